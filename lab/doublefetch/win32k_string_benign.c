/* win32k_string_benign: passes well-formed UNICODE_STRINGs to DFB_WIN32K_STRING and checks the
 * x65599 hash; an odd, oversized or over-maximum Length and a misaligned Buffer give EINVAL, an
 * unreadable Buffer EFAULT. */
#include <errno.h>
#include "dfbench.h"

static uint16_t text[300];

static int capture(int fd, uint16_t length, uint16_t maximum, void *buffer, uint32_t *hash) {
    struct dfb_unicode_string us = {
        .length = length, .maximum_length = maximum, .hash = 0xdeadbeef, .buffer = (uint64_t)(uintptr_t)buffer,
    };
    int rc = ioctl(fd, DFB_WIN32K_STRING, &us) == 0 ? 0 : -errno;
    *hash = us.hash;
    return rc;
}

static uint32_t x65599(const uint16_t *s, int units) {
    uint32_t h = 0;
    for (int i = 0; i < units; i++) h = h * 65599 + s[i];
    return h;
}

int main(void) {
    int fd = dfb_open();
    for (int i = 0; i < 300; i++) text[i] = 0x41 + i % 50;
    int good = 1;
    uint32_t hash;
    for (int units = 0; units <= 256; units += 16) {
        good &= capture(fd, units * 2, 512, text, &hash) == 0 && hash == x65599(text, units);
    }
    good &= capture(fd, 6, 6, text + 3, &hash) == 0 && hash == x65599(text + 3, 3);
    int einval = capture(fd, 7, 512, text, &hash) == -EINVAL
        && capture(fd, 10, 8, text, &hash) == -EINVAL
        && capture(fd, 514, 600, text, &hash) == -EINVAL
        && capture(fd, 4, 8, (char *)text + 1, &hash) == -EINVAL;
    int efault = capture(fd, 4, 8, (void *)64, &hash) == -EFAULT
        && ioctl(fd, DFB_WIN32K_STRING, (void *)8) == -1 && errno == EFAULT;
    printf("hashes=%d einval=%d efault=%d\n", good, einval, efault);
    return good && einval && efault ? 0 : 1;
}
