/* fbsd_cmsg32_benign: converts well-formed 32-bit control messages through DFB_FBSD_CMSG32 and checks
 * the 64-bit layout (16-byte headers, 8-byte alignment); a short or overlong cmsg_len, an oversized
 * controllen or a small out buffer give EINVAL, a bad control pointer EFAULT. */
#include <errno.h>
#include <string.h>
#include "dfbench.h"

static uint8_t control[4096];
static uint8_t out[4096];

static int convert(int fd, uint32_t controllen, uint32_t out_size, uint32_t *m_len) {
    struct dfb_cmsg32_req r = {
        .control = (uint64_t)(uintptr_t)control, .controllen = controllen,
        .out = (uint64_t)(uintptr_t)out, .out_size = out_size, .m_len = 0xffff,
    };
    memset(out, 0xee, sizeof out);
    int rc = ioctl(fd, DFB_FBSD_CMSG32, &r) == 0 ? 0 : -errno;
    *m_len = r.m_len;
    return rc;
}

static uint32_t u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

static void message(uint32_t at, uint32_t len, int32_t type, uint8_t fill) {
    struct dfb_cmsghdr32 h = {len, 0xffff, type};
    memcpy(control + at, &h, sizeof h);
    if (len > 12) memset(control + at + 12, fill, len - 12);
}

int main(void) {
    int fd = dfb_open();
    uint32_t m_len;
    memset(control, 0, sizeof control);
    message(0, 16, 1, 0x11);                  /* 4 data bytes  -> 64-bit len 20, space 24 */
    message(16, 20, 2, 0x22);                 /* 8 data bytes  -> 64-bit len 24, space 24 */
    message(36, 13, 3, 0x33);                 /* 1 data byte, padded to 16 -> len 20, space 24 */
    int good = convert(fd, 52, sizeof out, &m_len) == 0 && m_len == 72;
    good &= u32(out + 0) == 20 && u32(out + 4) == 0xffff && u32(out + 8) == 1 && u32(out + 12) == 0;
    good &= out[16] == 0x11 && out[19] == 0x11;
    good &= u32(out + 24) == 24 && u32(out + 32) == 2 && out[40] == 0x22 && out[47] == 0x22;
    good &= u32(out + 48) == 20 && u32(out + 56) == 3 && out[64] == 0x33 && out[72] == 0xee;
    /* Many messages: more than MLEN, so a cluster. */
    for (int i = 0; i < 20; i++) message(16 * i, 16, i, (uint8_t)i);
    good &= convert(fd, 320, sizeof out, &m_len) == 0 && m_len == 480 && u32(out + 24 * 19 + 8) == 19;
    int einval = convert(fd, 8, sizeof out, &m_len) == -EINVAL
        && convert(fd, 2052, sizeof out, &m_len) == -EINVAL
        && convert(fd, 320, 100, &m_len) == -EINVAL;
    message(0, 8, 1, 0);
    einval &= convert(fd, 16, sizeof out, &m_len) == -EINVAL;
    message(0, 40, 1, 0);
    einval &= convert(fd, 16, sizeof out, &m_len) == -EINVAL;
    struct dfb_cmsg32_req bad = {.control = 4096 * 3 + 8, .controllen = 16, .out = (uint64_t)(uintptr_t)out, .out_size = 64};
    int efault = ioctl(fd, DFB_FBSD_CMSG32, &bad) == -1 && errno == EFAULT;
    printf("converted=%d einval=%d efault=%d\n", good, einval, efault);
    return good && einval && efault ? 0 : 1;
}
