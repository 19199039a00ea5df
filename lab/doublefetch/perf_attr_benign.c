/* perf_attr_benign: passes perf_event_attr structures of the sizes the ABI allows to DFB_PERF_ATTR;
 * bad sizes give E2BIG (with 112 written back to size), a nonzero reserved field EINVAL, an unknown
 * type ENOENT, a bad pointer EFAULT. */
#include <errno.h>
#include <string.h>
#include "dfbench.h"

static union { struct dfb_perf_event_attr a; uint8_t bytes[8192]; } attr;

static int open_attr(int fd, uint32_t type, uint32_t size) {
    memset(&attr, 0, sizeof attr);
    attr.a.type = type;
    attr.a.size = size;
    attr.a.config = 1;
    attr.a.sample_period = 1000;
    return ioctl(fd, DFB_PERF_ATTR, &attr) == 0 ? 0 : -errno;
}

int main(void) {
    int fd = dfb_open();
    int good = open_attr(fd, 0, 0) == 0 && open_attr(fd, 1, 64) == 0 && open_attr(fd, 2, 96) == 0
            && open_attr(fd, 1, 112) == 0 && open_attr(fd, 5, 200) == 0 && open_attr(fd, 1, 4096) == 0;
    int e2big = open_attr(fd, 1, 32) == -E2BIG && attr.a.size == 112
            && open_attr(fd, 1, 4097) == -E2BIG && attr.a.size == 112;
    memset(&attr, 0, sizeof attr);
    attr.a.type = 1;
    attr.a.size = 200;
    attr.bytes[150] = 1;                   /* an unknown field set: the kernel cannot honour it */
    e2big &= ioctl(fd, DFB_PERF_ATTR, &attr) == -1 && errno == E2BIG && attr.a.size == 112;
    memset(&attr, 0, sizeof attr);
    attr.a.size = 112;
    attr.a.reserved_2 = 1;
    int einval = ioctl(fd, DFB_PERF_ATTR, &attr) == -1 && errno == EINVAL;
    int enoent = open_attr(fd, 6, 64) == -ENOENT;
    int efault = ioctl(fd, DFB_PERF_ATTR, (void *)8) == -1 && errno == EFAULT;
    printf("opened=%d e2big=%d einval=%d enoent=%d efault=%d\n", good, e2big, einval, enoent, efault);
    return good && e2big && einval && enoent && efault ? 0 : 1;
}
