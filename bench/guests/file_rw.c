// file_rw: writing then reading back SIZE bytes of a regular file in /tmp.
// Each iteration seeks to an offset, write()s SIZE bytes, seeks back and read()s the same SIZE
// bytes (lseek+write/read rather than pwrite/pread: Bulwark has no pwrite64 yet). The
// offset cycles through 16 slots of the file, so the file stays at most 16*SIZE bytes.
// LMbench counterpart: lat_syscall read/write and bw_file_rd (here on a file in the kernel's
// file system, not /dev/zero, and including the write).
// Usage: file_rw.elf [ITERATIONS] [SIZE]   (defaults 10000, 64; SIZE at most 1 MiB)
// check = bytes read back + a checksum of the iteration stamps found in them.
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SIZE (1 << 20)
#define SLOTS 16

static unsigned char out_buf[MAX_SIZE], in_buf[MAX_SIZE];

int main(int argc, char **argv) {
    long iterations = argc > 1 ? atol(argv[1]) : 10000;
    size_t size = argc > 2 ? (size_t)atol(argv[2]) : 64;
    if (size < 1 || size > MAX_SIZE) { fprintf(stderr, "bad size\n"); return 2; }
    char path[64];
    snprintf(path, sizeof path, "/tmp/bulwark_file_rw.%zu", size);
    mkdir("/tmp", 0777); /* harmless if it exists */
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    if (fd < 0) { perror("open"); return 1; }
    memset(out_buf, 0xa5, size);
    uint64_t bytes = 0, sum = 0;
    for (long i = 0; i < iterations; i++) {
        off_t off = (off_t)(i % SLOTS) * (off_t)size;
        out_buf[0] = (unsigned char)i;
        out_buf[size - 1] = (unsigned char)(i * 7 + 1);
        if (lseek(fd, off, SEEK_SET) != off) { perror("lseek"); return 1; }
        if (write(fd, out_buf, size) != (ssize_t)size) { perror("write"); return 1; }
        if (lseek(fd, off, SEEK_SET) != off) { perror("lseek"); return 1; }
        ssize_t n = read(fd, in_buf, size);
        if (n != (ssize_t)size) { perror("read"); return 1; }
        bytes += (uint64_t)n;
        sum = sum * 31 + in_buf[0] + in_buf[size - 1] + in_buf[size / 2];
    }
    close(fd);
    unlink(path);
    printf("file_rw iterations=%ld check=%llu:%llu\n", iterations, (unsigned long long)bytes,
           (unsigned long long)sum);
    return 0;
}
