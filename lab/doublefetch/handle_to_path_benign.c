/* handle_to_path_benign: decodes FILEID_INO32_GEN and FILEID_INO32_GEN_PARENT handles through
 * DFB_HANDLE_TO_PATH; handle_bytes 0 or above 128 give EINVAL, short or unknown handles ESTALE,
 * a bad handle pointer EFAULT. */
#include <errno.h>
#include <string.h>
#include "dfbench.h"

static union { struct dfb_file_handle h; uint8_t bytes[256]; } handle;
static struct dfb_open_by_handle request;

static int decode(int fd, uint32_t bytes, int32_t type, uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
    memset(&handle, 0, sizeof handle);
    handle.h.handle_bytes = bytes;
    handle.h.handle_type = type;
    uint32_t words[4] = {a, b, c, d};
    memcpy(handle.h.f_handle, words, sizeof words);
    memset(&request, 0xff, sizeof request);
    request.handle = (uint64_t)(uintptr_t)&handle;
    return ioctl(fd, DFB_HANDLE_TO_PATH, &request) == 0 ? 0 : -errno;
}

int main(void) {
    int fd = dfb_open();
    int good = decode(fd, 8, 1, 12, 3, 7, 7) == 0 && request.ino == 12 && request.gen == 3
            && request.parent_ino == 0 && request.parent_gen == 0;
    good &= decode(fd, 12, 2, 40, 5, 2, 9) == 0 && request.ino == 40 && request.gen == 5
            && request.parent_ino == 2 && request.parent_gen == 0;
    good &= decode(fd, 16, 2, 41, 6, 2, 9) == 0 && request.parent_ino == 2 && request.parent_gen == 9;
    good &= decode(fd, 128, 1, 42, 7, 0, 0) == 0 && request.ino == 42;
    int estale = decode(fd, 8, 2, 1, 1, 1, 1) == -ESTALE && decode(fd, 4, 1, 1, 1, 1, 1) == -ESTALE
            && decode(fd, 16, 9, 1, 1, 1, 1) == -ESTALE;
    int einval = decode(fd, 0, 1, 1, 1, 1, 1) == -EINVAL && decode(fd, 129, 1, 1, 1, 1, 1) == -EINVAL;
    request.handle = 24;
    int efault = ioctl(fd, DFB_HANDLE_TO_PATH, &request) == -1 && errno == EFAULT;
    printf("decoded=%d estale=%d einval=%d efault=%d\n", good, estale, einval, efault);
    return good && estale && einval && efault ? 0 : 1;
}
