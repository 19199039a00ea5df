// Bulwark's own small legacy (version 1) virtio-mmio block driver for the revocation attacks: one queue of
// QUEUE_NUM descriptors, one request in flight at a time, completion by polling the used ring. Unlike a
// normal driver it lets the caller place every descriptor, table and ring (that is what the attacks vary).
#pragma once
#include "revoke.h"

#define VIRTIO0 0x10001000ull
#define REG(off) (*(volatile uint32_t *)(VIRTIO0 + (off)))
#define R_MAGIC 0x000
#define R_VERSION 0x004
#define R_DEVICE_ID 0x008
#define R_DEVICE_FEATURES 0x010
#define R_DRIVER_FEATURES 0x020
#define R_GUEST_PAGE_SIZE 0x028
#define R_QUEUE_SEL 0x030
#define R_QUEUE_NUM_MAX 0x034
#define R_QUEUE_NUM 0x038
#define R_QUEUE_ALIGN 0x03c
#define R_QUEUE_PFN 0x040
#define R_QUEUE_NOTIFY 0x050
#define R_STATUS 0x070

#define S_ACK 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8
#define F_INDIRECT_DESC (1u << 28)

#define fence() __asm__ volatile("fence" ::: "memory")

struct vblk {
	uint64_t base; // the rings: descriptors and available ring in the first page, used ring in the second
	volatile struct vq_desc *desc;
	volatile struct vq_avail *avail;
	volatile struct vq_used *used;
	uint16_t last_used;
};

// Resets the device and sets up its queue with the rings at `base` (two pages, 4 KiB aligned). 0 if there
// is no legacy block device in slot 0.
static int vblk_init(struct vblk *q, uint64_t base)
{
	if (REG(R_MAGIC) != 0x74726976 || REG(R_VERSION) != 1 || REG(R_DEVICE_ID) != 2)
		return 0;
	REG(R_STATUS) = 0;
	REG(R_STATUS) = S_ACK;
	REG(R_STATUS) = S_ACK | S_DRIVER;
	REG(R_DRIVER_FEATURES) = REG(R_DEVICE_FEATURES) & F_INDIRECT_DESC;
	REG(R_STATUS) = S_ACK | S_DRIVER | S_FEATURES_OK;
	REG(R_STATUS) = S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK;
	REG(R_GUEST_PAGE_SIZE) = 4096;
	REG(R_QUEUE_SEL) = 0;
	if (REG(R_QUEUE_NUM_MAX) < QUEUE_NUM)
		return 0;
	REG(R_QUEUE_NUM) = QUEUE_NUM;
	REG(R_QUEUE_ALIGN) = 4096;
	q->base = base;
	q->desc = (volatile struct vq_desc *)base;
	q->avail = (volatile struct vq_avail *)(base + QUEUE_NUM * sizeof(struct vq_desc));
	q->used = (volatile struct vq_used *)(base + 4096);
	for (uint64_t *p = (uint64_t *)base; p < (uint64_t *)(base + 8192); p++)
		*(volatile uint64_t *)p = 0;
	q->last_used = 0;
	fence();
	REG(R_QUEUE_PFN) = (uint32_t)(base >> 12);
	return 1;
}

static void vblk_set(struct vblk *q, int i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	q->desc[i].addr = addr;
	q->desc[i].len = len;
	q->desc[i].flags = flags;
	q->desc[i].next = next;
}

// Makes the chain at `head` available and notifies the device.
static void vblk_submit(struct vblk *q, uint16_t head)
{
	uint16_t idx = q->avail->idx;
	q->avail->ring[idx % QUEUE_NUM] = head;
	fence();
	q->avail->idx = idx + 1;
	fence();
	REG(R_QUEUE_NOTIFY) = 0;
}

// Waits for the next used element, at most `spins` polls (0: for ever), or until the monitor says stop.
// 1 when one came.
static int vblk_wait(struct vblk *q, uint64_t spins)
{
	for (uint64_t n = 0; spins == 0 || n < spins; n++) {
		fence();
		if (q->used->idx != q->last_used) {
			q->last_used++;
			return 1;
		}
		if (MB->stop)
			return 0;
	}
	return 0;
}

static void write_header(uint64_t at, uint32_t type, uint64_t sector)
{
	volatile struct blk_header *h = (volatile struct blk_header *)at;
	h->type = type;
	h->reserved = 0;
	h->sector = sector;
}
