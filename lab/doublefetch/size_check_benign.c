/* size_check_benign: uses DFB_SIZE_CHECK correctly (no concurrent writer): every valid request is
 * accepted and an oversized one is refused with EINVAL. */
#include <errno.h>
#include <string.h>
#include "dfbench.h"

static struct { uint32_t size; uint8_t payload[512]; } request;

int main(void) {
    int fd = dfb_open();
    int ok = 0;
    for (uint32_t size = 4; size <= 256; size += 4) {
        request.size = size;
        memset(request.payload, (int)size, sizeof request.payload);
        if (ioctl(fd, DFB_SIZE_CHECK, &request) == 0) ok++;
    }
    request.size = 300;
    int refused = ioctl(fd, DFB_SIZE_CHECK, &request) == -1 && errno == EINVAL;
    printf("accepted %d of 64, oversized refused=%d\n", ok, refused);
    return ok == 64 && refused ? 0 : 1;
}
