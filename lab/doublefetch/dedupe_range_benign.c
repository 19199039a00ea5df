/* dedupe_range_benign: uses DFB_DEDUPE_RANGE correctly: every destination is answered (status 0
 * and bytes_deduped = src_length, or -EBADF for a negative fd); nonzero reserved fields give
 * EINVAL, a request larger than a page ENOMEM, a bad pointer EFAULT. */
#include <errno.h>
#include <string.h>
#include "dfbench.h"

static union { struct dfb_dedupe_range r; uint8_t bytes[8192]; } request;

int main(void) {
    int fd = dfb_open();
    int good = 1;
    for (int count = 0; count <= 127; count += 9) {
        memset(&request, 0, sizeof request);
        request.r.src_length = 1000 + count;
        request.r.dest_count = count;
        for (int i = 0; i < count; i++) {
            request.r.info[i].dest_fd = i % 3 == 2 ? -1 : 3 + i;
            request.r.info[i].status = 12345;
        }
        if (ioctl(fd, DFB_DEDUPE_RANGE, &request) != 0) good = 0;
        for (int i = 0; i < count; i++) {
            int bad = request.r.info[i].dest_fd < 0;
            if (request.r.info[i].status != (bad ? -EBADF : 0)) good = 0;
            if (request.r.info[i].bytes_deduped != (bad ? 0 : 1000 + (uint64_t)count)) good = 0;
        }
    }
    memset(&request, 0, sizeof request);
    request.r.dest_count = 1;
    request.r.reserved2 = 1;
    int einval = ioctl(fd, DFB_DEDUPE_RANGE, &request) == -1 && errno == EINVAL;
    request.r.reserved2 = 0;
    request.r.dest_count = 128;
    int enomem = ioctl(fd, DFB_DEDUPE_RANGE, &request) == -1 && errno == ENOMEM;
    int efault = ioctl(fd, DFB_DEDUPE_RANGE, (void *)8) == -1 && errno == EFAULT;
    printf("answered=%d einval=%d enomem=%d efault=%d\n", good, einval, enomem, efault);
    return good && einval && enomem && efault ? 0 : 1;
}
