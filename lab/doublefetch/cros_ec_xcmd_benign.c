/* cros_ec_xcmd_benign: sends EC commands through DFB_CROS_EC_XCMD (protocol version, hello, an
 * unknown command) and checks the answers; an oversized insize gives EINVAL, a bad pointer EFAULT. */
#include <errno.h>
#include <string.h>
#include "dfbench.h"

static union { struct dfb_cros_ec_command c; uint8_t bytes[512]; } m;

static int xcmd(int fd, uint32_t command, uint32_t outsize, uint32_t insize, uint32_t arg) {
    memset(&m, 0xee, sizeof m);
    m.c.version = 0;
    m.c.command = command;
    m.c.outsize = outsize;
    m.c.insize = insize;
    m.c.result = 99;
    memcpy(m.c.data, &arg, 4);
    return ioctl(fd, DFB_CROS_EC_XCMD, &m) == 0 ? 0 : -errno;
}

static uint32_t answer(void) { uint32_t v; memcpy(&v, m.c.data, 4); return v; }

int main(void) {
    int fd = dfb_open();
    int good = 1;
    good &= xcmd(fd, 0, 0, 4, 0) == 0 && m.c.result == 0 && answer() == 3;
    good &= xcmd(fd, 1, 4, 4, 0xa0b0c0d0) == 0 && m.c.result == 0 && answer() == 0xa1b2c3d4;
    /* A larger insize: the answer is zero-padded to insize and copied back. */
    good &= xcmd(fd, 1, 4, 64, 0x10) == 0 && m.c.result == 0 && answer() == 0x01020314;
    for (int i = 4; i < 64; i++) good &= m.c.data[i] == 0;
    good &= m.c.data[64] == 0xee;
    good &= xcmd(fd, 1, 4, 2, 0x10) == 0 && m.c.result == 3;
    good &= xcmd(fd, 7, 4, 4, 0) == 0 && m.c.result == 1;
    good &= xcmd(fd, 1, DFB_EC_MAX_MSG_BYTES, DFB_EC_MAX_MSG_BYTES, 5) == 0 && answer() == 0x01020309;
    int einval = xcmd(fd, 1, 4, DFB_EC_MAX_MSG_BYTES + 1, 0) == -EINVAL;
    int efault = ioctl(fd, DFB_CROS_EC_XCMD, (void *)4) == -1 && errno == EFAULT;
    printf("answers=%d einval=%d efault=%d\n", good, einval, efault);
    return good && einval && efault ? 0 : 1;
}
