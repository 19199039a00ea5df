/* dfbench.h: the /dev/dfbench ABI shared by the double-fetch lab's guests. */
#ifndef DFBENCH_H
#define DFBENCH_H
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define DFB_SIZE_CHECK 1
#define DFB_COUNT_LEAK 2

static inline int dfb_open(void) {
    int fd = open("/dev/dfbench", O_RDWR);
    if (fd < 0) { perror("open /dev/dfbench (run this under bulwark)"); exit(2); }
    return fd;
}
#endif
