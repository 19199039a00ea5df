/* msnd_midq_benign: plays a well-behaved card for DFB_MSND_MIDQ: drains the MIDI queue (including a
 * wrap past wSize) and checks the bytes and the final wHead; an out-of-range register gives EIO, a
 * bad queue EFAULT. */
#include <errno.h>
#include <string.h>
#include "dfbench.h"

static struct dfb_msnd_queue q;

static int drain(int fd, uint16_t size, uint16_t head, uint16_t tail) {
    memset(&q, 0, sizeof q);
    for (int i = 0; i < 64; i++) q.data[i] = 0x1100 + i;
    q.wSize = size; q.wHead = head; q.wTail = tail;
    return ioctl(fd, DFB_MSND_MIDQ, &q) == 0 ? 0 : -errno;
}

int main(void) {
    int fd = dfb_open();
    int good = drain(fd, 63, 0, 5) == 0 && q.received == 5 && q.wHead == 5;
    for (int i = 0; i < 5; i++) good &= q.midi[i] == i;
    good &= drain(fd, 63, 62, 1) == 0 && q.received == 3 && q.wHead == 1
            && q.midi[0] == 62 && q.midi[1] == 63 && q.midi[2] == 0;
    good &= drain(fd, 15, 7, 7) == 0 && q.received == 0;
    good &= drain(fd, 15, 10, 9) == 0 && q.received == 15 && q.wHead == 9;
    int eio = drain(fd, 63, 64, 1) == -EIO && drain(fd, 64, 0, 1) == -EIO && drain(fd, 10, 0, 11) == -EIO;
    int efault = ioctl(fd, DFB_MSND_MIDQ, (void *)8) == -1 && errno == EFAULT;
    printf("drained=%d eio=%d efault=%d\n", good, eio, efault);
    return good && eio && efault ? 0 : 1;
}
