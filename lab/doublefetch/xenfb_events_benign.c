/* xenfb_events_benign: posts update, resize and unknown events on the DFB_XENFB_EVENTS ring
 * (including a wrap of the 8-slot ring) and checks the consumer index, the framebuffer size and the
 * updated area; more than 8 pending events give EINVAL, a bad page EFAULT. */
#include <errno.h>
#include <string.h>
#include "dfbench.h"

static struct dfb_xenfb_page page;

static void update(uint32_t at, int x, int y, int w, int h) {
    union dfb_xenfb_out_event *e = &page.out[at % 8];
    memset(e, 0, sizeof *e);
    e->update.type = DFB_XENFB_TYPE_UPDATE;
    e->update.x = x; e->update.y = y; e->update.width = w; e->update.height = h;
}

static void resize(uint32_t at, int w, int h) {
    union dfb_xenfb_out_event *e = &page.out[at % 8];
    memset(e, 0, sizeof *e);
    e->resize.type = DFB_XENFB_TYPE_RESIZE;
    e->resize.width = w; e->resize.height = h; e->resize.stride = 4 * w; e->resize.depth = 32;
}

int main(void) {
    int fd = dfb_open();
    memset(&page, 0, sizeof page);
    page.width = 640; page.height = 480;
    page.out_cons = 6; page.out_prod = 6;
    update(6, 0, 0, 10, 10);                  /* 100 */
    update(7, 630, 470, 100, 100);            /* clipped: 10 x 10 */
    resize(8, 100, 50);
    update(9, -5, -5, 200, 200);              /* clipped to 100 x 50 */
    page.out[10 % 8].type = 1;                /* unknown: ignored */
    page.out[11 % 8].type = 200;              /* unknown: ignored */
    resize(12, 0, 50);                        /* refused */
    update(13, 90, 40, 5, 5);                 /* 25 */
    page.out_prod = 14;
    int good = ioctl(fd, DFB_XENFB_EVENTS, &page) == 0 && page.out_cons == 14 && page.width == 100
            && page.height == 50 && page.updated_pixels == 100 + 100 + 5000 + 25;
    page.out_cons = 14; page.out_prod = 14;
    good &= ioctl(fd, DFB_XENFB_EVENTS, &page) == 0 && page.out_cons == 14 && page.updated_pixels == 0;
    page.out_cons = 0; page.out_prod = 9;
    int einval = ioctl(fd, DFB_XENFB_EVENTS, &page) == -1 && errno == EINVAL && page.out_cons == 0;
    int efault = ioctl(fd, DFB_XENFB_EVENTS, (void *)8) == -1 && errno == EFAULT;
    printf("events=%d einval=%d efault=%d\n", good, einval, efault);
    return good && einval && efault ? 0 : 1;
}
