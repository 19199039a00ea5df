/* nd_cmd_call_benign: calls the four firmware functions through DFB_ND_CMD_CALL and checks their
 * output and nd_fw_size; a nonzero reserved word or family or an oversized envelope gives EINVAL,
 * an unknown function ENOTTY, a bad pointer EFAULT. */
#include <errno.h>
#include <string.h>
#include "dfbench.h"

static union { struct dfb_nd_cmd_pkg p; uint8_t bytes[1024]; } m;

static int call(int fd, uint64_t function, uint32_t in, uint32_t out) {
    memset(&m, 0, sizeof m);
    m.p.nd_command = function;
    m.p.nd_size_in = in;
    m.p.nd_size_out = out;
    for (uint32_t i = 0; i < in; i++) m.p.nd_payload[i] = (uint8_t)(i + 1);
    for (uint32_t i = 0; i < out; i++) m.p.nd_payload[in + i] = 0xaa;
    return ioctl(fd, DFB_ND_CMD_CALL, &m) == 0 ? 0 : -errno;
}

static uint32_t out32(uint32_t in) { uint32_t v; memcpy(&v, m.p.nd_payload + in, 4); return v; }

int main(void) {
    int fd = dfb_open();
    int good = call(fd, 0, 0, 4) == 0 && out32(0) == 0xf && m.p.nd_fw_size == 4;
    good &= call(fd, 1, 0, 8) == 0 && out32(0) == 100 && out32(4) == 0 && m.p.nd_fw_size == 8;
    good &= call(fd, 2, 16, 16) == 0 && m.p.nd_fw_size == 16 && memcmp(m.p.nd_payload, m.p.nd_payload + 16, 16) == 0;
    good &= call(fd, 3, 10, 4) == 0 && out32(10) == 55 && m.p.nd_fw_size == 4;
    /* Output larger than nd_size_out is cut; nd_fw_size tells the full length. */
    good &= call(fd, 2, 16, 4) == 0 && m.p.nd_fw_size == 16 && m.p.nd_payload[16] == 1 && m.p.nd_payload[19] == 4;
    good &= call(fd, 2, 256, 256) == 0 && m.p.nd_payload[256 + 255] == 0;
    memset(&m, 0, sizeof m);
    m.p.nd_reserved2[4] = 1;
    m.p.nd_size_out = 4;
    int einval = ioctl(fd, DFB_ND_CMD_CALL, &m) == -1 && errno == EINVAL;
    memset(&m, 0, sizeof m);
    m.p.nd_family = 1;
    einval &= ioctl(fd, DFB_ND_CMD_CALL, &m) == -1 && errno == EINVAL;
    einval &= call(fd, 2, 257, 4) == -EINVAL;
    int enotty = call(fd, 4, 0, 4) == -ENOTTY;
    int efault = ioctl(fd, DFB_ND_CMD_CALL, (void *)8) == -1 && errno == EFAULT;
    printf("calls=%d einval=%d enotty=%d efault=%d\n", good, einval, enotty, efault);
    return good && einval && enotty && efault ? 0 : 1;
}
