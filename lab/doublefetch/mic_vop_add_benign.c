/* mic_vop_add_benign: adds virtio devices through DFB_MIC_VOP_ADD with 0..4 vrings and checks the ring
 * addresses written back; too many vrings, a bad ring size, type 0 and an oversized descriptor give
 * EINVAL, a bad pointer EFAULT. */
#include <errno.h>
#include <string.h>
#include "dfbench.h"

static union {
    struct { struct dfb_mic_device_desc desc; struct dfb_mic_vqconfig vq[5]; } d;
    uint8_t bytes[512];
} request;

static int add(int fd, int type, int num_vq, int feature_len, int config_len, int num) {
    memset(&request, 0, sizeof request);
    request.d.desc.type = type;
    request.d.desc.num_vq = num_vq;
    request.d.desc.feature_len = feature_len;
    request.d.desc.config_len = config_len;
    for (int i = 0; i < 5; i++) request.d.vq[i].num = num;
    return ioctl(fd, DFB_MIC_VOP_ADD, &request) == 0 ? 0 : -errno;
}

int main(void) {
    int fd = dfb_open();
    int good = 1;
    for (int n = 0; n <= 4; n++) {
        good &= add(fd, 1, n, 2, 8, 1 << (n + 3)) == 0;
        for (int i = 0; i < n; i++) good &= request.d.vq[i].address == 0x80000000u + 0x10000u * i;
        good &= request.d.vq[n].address == 0;
    }
    int einval = add(fd, 1, 5, 0, 0, 16) == -EINVAL     /* more than MIC_MAX_VRINGS */
        && add(fd, 1, 2, 0, 0, 12) == -EINVAL           /* not a power of two */
        && add(fd, 0, 1, 0, 0, 16) == -EINVAL           /* type */
        && add(fd, 1, 4, 40, 80, 16) == -EINVAL;        /* 8 + 96 + 80 + 80 > 256 */
    int efault = ioctl(fd, DFB_MIC_VOP_ADD, (void *)8) == -1 && errno == EFAULT;
    printf("added=%d einval=%d efault=%d\n", good, einval, efault);
    return good && einval && efault ? 0 : 1;
}
