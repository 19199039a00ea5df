/* count_leak_benign: uses DFB_COUNT_LEAK correctly: every count from 0 to 16 copies exactly that many
 * table entries (0x1000 + i), 17 is refused with EINVAL and a bad output pointer gives EFAULT. */
#include <errno.h>
#include <string.h>
#include "dfbench.h"

static struct { uint32_t count; uint32_t pad; uint64_t out; } request;

int main(void) {
    int fd = dfb_open();
    uint64_t entries[17];
    int good = 0;
    for (uint32_t count = 0; count <= 16; count++) {
        memset(entries, 0xff, sizeof entries);
        request.count = count;
        request.out = (uint64_t)(uintptr_t)entries;
        int ok = ioctl(fd, DFB_COUNT_LEAK, &request) == 0;
        for (uint32_t i = 0; i < count; i++) ok &= entries[i] == 0x1000 + i;
        ok &= entries[count] == UINT64_MAX;
        good += ok;
    }
    request.count = 17;
    int refused = ioctl(fd, DFB_COUNT_LEAK, &request) == -1 && errno == EINVAL;
    request.count = 4;
    request.out = 8;
    int faulted = ioctl(fd, DFB_COUNT_LEAK, &request) == -1 && errno == EFAULT;
    printf("counts copied correctly %d/17, 17 refused=%d, bad pointer faulted=%d\n", good, refused, faulted);
    return good == 17 && refused && faulted ? 0 : 1;
}
