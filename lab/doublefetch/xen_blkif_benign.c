/* xen_blkif_benign: posts well-formed and malformed requests on the DFB_XEN_BLKIF ring and checks
 * each response (id, operation, status); req_prod above 4 gives EACCES, a bad ring EFAULT. */
#include <errno.h>
#include <string.h>
#include "dfbench.h"

static struct dfb_blkif_sring ring;

static void post(int slot, uint8_t op, uint8_t nseg, uint64_t id, uint8_t first, uint8_t last) {
    struct dfb_blkif_request *r = &ring.ring[slot].req;
    memset(r, 0, sizeof *r);
    r->operation = op;
    r->nr_segments = nseg;
    r->id = id;
    r->sector_number = 8 * id;
    for (int s = 0; s < DFB_BLKIF_MAX_SEGMENTS; s++) {
        r->seg[s].gref = 100 + s;
        r->seg[s].first_sect = first;
        r->seg[s].last_sect = last;
    }
}

static int response(int slot, uint64_t id, uint8_t op, int16_t status) {
    struct dfb_blkif_response *r = &ring.ring[slot].rsp;
    return r->id == id && r->operation == op && r->status == status;
}

int main(void) {
    int fd = dfb_open();
    int good = 1;
    for (int round = 0; round < 3; round++) {
        memset(&ring, 0, sizeof ring);
        post(0, 0, 1, 10 + round, 0, 7);
        post(1, 1, 11, 20 + round, 2, 3);
        post(2, 0, 0, 30 + round, 0, 7);      /* no segments */
        post(3, 1, 12, 40 + round, 0, 7);     /* too many: only 11 are copied, then refused */
        ring.req_prod = 4;
        good &= ioctl(fd, DFB_XEN_BLKIF, &ring) == 0 && ring.rsp_prod == 4;
        good &= response(0, 10 + round, 0, 0) && response(1, 20 + round, 1, 0);
        good &= response(2, 30 + round, 0, -1) && response(3, 40 + round, 1, -1);
    }
    memset(&ring, 0, sizeof ring);
    post(0, 2, 1, 7, 0, 7);                   /* unknown operation */
    post(1, 0, 3, 8, 5, 4);                   /* first_sect > last_sect */
    post(2, 0, 3, 9, 0, 8);                   /* last_sect past the page */
    ring.req_prod = 3;
    good &= ioctl(fd, DFB_XEN_BLKIF, &ring) == 0 && response(0, 7, 2, -1) && response(1, 8, 0, -1) && response(2, 9, 0, -1);
    ring.req_prod = 5;
    int eacces = ioctl(fd, DFB_XEN_BLKIF, &ring) == -1 && errno == EACCES;
    int efault = ioctl(fd, DFB_XEN_BLKIF, (void *)8) == -1 && errno == EFAULT;
    printf("responses=%d eacces=%d efault=%d\n", good, eacces, efault);
    return good && eacces && efault ? 0 : 1;
}
