// The revocation attacks (issue 9): a monitor (pid 0, hart 0), a virtio-blk driver (pid 1, hart 1) and a
// victim (pid 2, hart 2), on qemu_virt4 (the course exercise's platform, whose boot capabilities include
// the first virtio-mmio slot). The monitor gives the driver its code, the device's registers, a mailbox
// shared by all three, EXTRA (memory of its own just below the target) and TARGET (its buffers). While the
// driver's requests use TARGET the monitor takes TARGET back and gives it to the victim. What the device
// then does to the victim's memory is decided by the kernel's DMA log; the programs print what they saw.
// The attack and the monitor's design come from the disk's sector 0 (see config below), so that one build
// runs every attack; a disk that never answers (--disk-stall) means the stall attack, plain monitor.
#pragma once
#include <stdint.h>

#define MAILBOX 0x80040000ull
#define MAILBOX_SIZE 0x1000ull
#define EXTRA 0x80048000ull
#define EXTRA_SIZE 0x8000ull
#define TARGET 0x80050000ull
#define TARGET_SIZE 0x4000ull
#define DRIVER_BASE 0x80020000ull
#define VICTIM_BASE 0x80030000ull
#define IO_BASE 0x10000000ull   // the UART and virtio-mmio slot 0
#define IO_SIZE 0x2000ull

// Not s3k: the error of --revoke-policy deny and quarantine (the kernel's Err.DmaBusy): retry later.
#define S3K_ERR_DMA_BUSY 19

enum attack {
	ATTACK_RACE = 1,     // whole chains (header, data, status) in TARGET: the revoke lands anywhere in them
	ATTACK_CROSSING = 2, // buffers starting in EXTRA, just below TARGET, and running into it
	ATTACK_SECOND = 3,   // header and status in EXTRA, the data (the chain's second descriptor) in TARGET
	ATTACK_INDIRECT = 4, // the head points to an indirect table in EXTRA whose data descriptor is in TARGET
	ATTACK_RINGS = 5,    // the rings in TARGET, every buffer in EXTRA
	ATTACK_REWRITE = 6,  // chains in TARGET, rewritten to point to EXTRA right after the notify
	ATTACK_DOS = 7,      // the monitor takes TARGET back and gives it again, five times, while the driver streams
	ATTACK_STALL = 8,    // chains in TARGET on a disk that never completes (--disk-stall; sector 0 unreadable)
	ATTACK_COUNT = 9,
};

static const char *const attack_names[] = {"?", "race", "crossing", "second", "indirect", "rings", "rewrite", "dos", "stall"};

// Sector 0 of the disk: "BWREVOKE", the attack (u64) and the monitor's design (u64: 0 plain, 1 the seed's).
#define CONFIG_MAGIC "BWREVOKE"
#define MONITOR_PLAIN 0
#define MONITOR_SEED 1

// Disk sectors the driver reads from and writes to.
#define SECTOR_DATA 1
#define SECTOR_EXFIL 8

// What the victim writes over the whole target.
#define VICTIM_BYTE 0x5a

struct mailbox {
	volatile uint64_t attack, mode;
	volatile uint64_t driver_ready, go, stop, driver_done;
	// The monitor tells the driver whether it has TARGET (cleared once a revoke succeeded, set when it is
	// given back): a request the driver builds after that uses its own memory. So only the requests
	// already built when the revoke lands can reach TARGET: the race the issue is about, not a driver
	// that goes on using memory it knows it lost (which the kernel's access checks stop anyway).
	volatile uint64_t target_ok;
	volatile uint64_t handed_over, victim_done, victim_finished;
	// the driver's counters
	volatile uint64_t issued, completed, errors, timeouts, reinits, faults, leak_seen;
	// the victim's findings
	volatile uint64_t residue, changed;
	// where the driver's rings are (the seed's monitor reads them)
	volatile uint64_t queue_desc, queue_avail, queue_used, queue_num;
};

#define MB ((struct mailbox *)MAILBOX)

// Legacy split virtqueue structures (virtio 1.2 §2.7, legacy layout §2.7.2).
#define QUEUE_NUM 8
#define DESC_F_NEXT 1
#define DESC_F_WRITE 2
#define DESC_F_INDIRECT 4

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[QUEUE_NUM];
	uint16_t used_event;
};

struct vq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct vq_used {
	uint16_t flags;
	uint16_t idx;
	struct vq_used_elem ring[QUEUE_NUM];
	uint16_t avail_event;
};

struct blk_header {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

#define BLK_IN 0
#define BLK_OUT 1

// Busy-waits about `ticks` of mtime (10 MHz).
static inline void wait_ticks(uint64_t ticks)
{
	uint64_t until = s3k_get_time() + ticks;
	while (s3k_get_time() < until)
		;
}

// Never runs again (the hart idles until the run's time limit).
static inline void sleep_forever(void)
{
	while (1)
		s3k_sleep(~0ull >> 1);
}
