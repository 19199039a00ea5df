// The driver (pid 1, hart 1): a virtio-blk driver that uses TARGET the way its attack says for as long as
// the monitor says it has it (mailbox target_ok), and its own memory afterwards, until the monitor says
// stop. The request it is building or waiting for when the revoke lands is the one that races it. It never
// touches TARGET with its own loads and stores after the setup except where the attack needs it (rings in
// TARGET); a fault there is counted and skipped. It counts what its requests did and, once the victim has
// written its secret, reads back the sector its OUT requests wrote, to see whether the secret reached the disk.
#include "s3k/s3k.h"
#include "../revoke.h"
#include "../vblk.h"
#include "faults.h"

// The driver's own rings (for every attack but rings), two pages in its image.
static uint8_t rings[8192] __attribute__((aligned(4096)));

// Where things are. TARGET while the driver has it, else the same layout in its own EXTRA (tb): headers,
// status and data of the chains that live there (above the first 256 bytes, which the crossing buffer covers).
#define ALT (EXTRA + 0x4000)
static uint64_t tb = TARGET;
#define T_HDR_IN (tb + 0x800)
#define T_HDR_OUT (tb + 0x820)
#define T_STATUS (tb + 0x840)
#define T_DATA_IN (tb + 0x200)
#define T_DATA_OUT (tb + 0x400)
#define T_RINGS (TARGET + 0x1000)
// EXTRA, the driver's own memory just below TARGET.
#define X_HDR_IN (EXTRA + 0x000)
#define X_HDR_OUT (EXTRA + 0x020)
#define X_HDR_CHECK (EXTRA + 0x040)
#define X_STATUS (EXTRA + 0x060)
#define X_TABLE (EXTRA + 0x100)
#define X_CHECK (EXTRA + 0x1000)
#define X_DATA_IN (EXTRA + 0x2000)
#define X_DATA_OUT (EXTRA + 0x2200)
// An OUT header and data in one buffer that runs 256 bytes into TARGET, and an IN buffer that does too
// (once TARGET is gone, the same below an address of EXTRA).
static uint64_t cb = TARGET;
#define X_CROSS_HDR (cb - 256 - 16)
#define X_CROSS (cb - 256)
#define ALT_CROSS (EXTRA + 0x7000)

#define TIMEOUT_SPINS 40000

static struct vblk q;
static uint64_t attack;
static int rings_in_target;

// Builds the request of this attack (IN: the disk's data into the buffer; OUT: the buffer to the disk)
// in descriptors 0..2 and returns its head.
static uint16_t build(int out)
{
	uint16_t data_flags = (out ? 0 : DESC_F_WRITE) | DESC_F_NEXT;
	switch (attack) {
	case ATTACK_RACE:
	case ATTACK_STALL:
	case ATTACK_REWRITE:
		vblk_set(&q, 0, out ? T_HDR_OUT : T_HDR_IN, 16, DESC_F_NEXT, 1);
		vblk_set(&q, 1, out ? T_DATA_OUT : T_DATA_IN, 512, data_flags, 2);
		vblk_set(&q, 2, T_STATUS, 1, DESC_F_WRITE, 0);
		break;
	case ATTACK_CROSSING:
		if (out) {
			vblk_set(&q, 0, X_CROSS_HDR, 16 + 512, DESC_F_NEXT, 1);
			vblk_set(&q, 1, X_STATUS, 1, DESC_F_WRITE, 0);
		} else {
			vblk_set(&q, 0, X_HDR_IN, 16, DESC_F_NEXT, 1);
			vblk_set(&q, 1, X_CROSS, 512, data_flags, 2);
			vblk_set(&q, 2, X_STATUS, 1, DESC_F_WRITE, 0);
		}
		break;
	case ATTACK_INDIRECT: {
		volatile struct vq_desc *t = (volatile struct vq_desc *)X_TABLE;
		t[0] = (struct vq_desc){out ? X_HDR_OUT : X_HDR_IN, 16, DESC_F_NEXT, 1};
		t[1] = (struct vq_desc){out ? T_DATA_OUT : T_DATA_IN, 512, data_flags, 2};
		t[2] = (struct vq_desc){X_STATUS, 1, DESC_F_WRITE, 0};
		vblk_set(&q, 0, X_TABLE, 3 * sizeof(struct vq_desc), DESC_F_INDIRECT, 0);
		break;
	}
	case ATTACK_RINGS:
		vblk_set(&q, 0, out ? X_HDR_OUT : X_HDR_IN, 16, DESC_F_NEXT, 1);
		vblk_set(&q, 1, out ? X_DATA_OUT : X_DATA_IN, 512, data_flags, 2);
		vblk_set(&q, 2, X_STATUS, 1, DESC_F_WRITE, 0);
		break;
	default: // ATTACK_SECOND, ATTACK_DOS
		vblk_set(&q, 0, out ? X_HDR_OUT : X_HDR_IN, 16, DESC_F_NEXT, 1);
		vblk_set(&q, 1, out ? T_DATA_OUT : T_DATA_IN, 512, data_flags, 2);
		vblk_set(&q, 2, X_STATUS, 1, DESC_F_WRITE, 0);
		break;
	}
	return 0;
}

static void reinit(void)
{
	MB->reinits++;
	rings_in_target = attack == ATTACK_RINGS && MB->target_ok;
	vblk_init(&q, rings_in_target ? T_RINGS : (uint64_t)rings);
}

// Whether the next request may use TARGET; once it may not, the rings move out of it too (a reset of the
// device: the request that raced the revoke has completed by now, into the rings where they were).
static void follow_target(void)
{
	int ok = MB->target_ok != 0;
	tb = ok ? TARGET : ALT;
	cb = ok ? TARGET : ALT_CROSS;
	if (rings_in_target && !ok)
		reinit();
}

// One request of the attack; waits for it (a stalled disk: until stop). Gives up after a while and resets
// the device, as a driver must when its device stops answering.
static void request(int out)
{
	follow_target();
	uint16_t head = build(out);
	MB->issued++;
	vblk_submit(&q, head);
	if (attack == ATTACK_REWRITE) {
		// The device popped the chain at the notify: point it elsewhere, so that whoever reads the
		// descriptors now sees nothing in TARGET.
		q.desc[0].addr = out ? X_HDR_OUT : X_HDR_IN;
		q.desc[1].addr = out ? X_DATA_OUT : X_DATA_IN;
		q.desc[2].addr = X_STATUS;
	}
	if (vblk_wait(&q, attack == ATTACK_STALL ? 0 : TIMEOUT_SPINS)) {
		MB->completed++;
		return;
	}
	if (MB->stop)
		return;
	MB->timeouts++;
	reinit();
}

// Reads back the sector the OUT requests wrote, into the driver's own memory: the victim's secret there
// means the device read it out of the victim's memory.
static void check_exfiltration(void)
{
	write_header(X_HDR_CHECK, BLK_IN, SECTOR_EXFIL);
	*(volatile uint8_t *)X_STATUS = 0xff;
	vblk_set(&q, 0, X_HDR_CHECK, 16, DESC_F_NEXT, 1);
	vblk_set(&q, 1, X_CHECK, 512, DESC_F_WRITE | DESC_F_NEXT, 2);
	vblk_set(&q, 2, X_STATUS, 1, DESC_F_WRITE, 0);
	vblk_submit(&q, 0);
	if (!vblk_wait(&q, TIMEOUT_SPINS))
		return;
	int run = 0;
	for (volatile uint8_t *p = (volatile uint8_t *)X_CHECK; p < (volatile uint8_t *)(X_CHECK + 512); p++)
		run = *p == VICTIM_BYTE ? run + 1 : 0, MB->leak_seen |= run >= 64;
}

int main(void)
{
	setup_fault_handler(&MB->faults);
	// The disk's sector 0 says which attack to run and which monitor watches.
	write_header(X_HDR_IN, BLK_IN, 0);
	if (!vblk_init(&q, (uint64_t)rings)) {
		MB->driver_ready = 2;
		sleep_forever();
	}
	vblk_set(&q, 0, X_HDR_IN, 16, DESC_F_NEXT, 1);
	vblk_set(&q, 1, X_CHECK, 512, DESC_F_WRITE | DESC_F_NEXT, 2);
	vblk_set(&q, 2, X_STATUS, 1, DESC_F_WRITE, 0);
	vblk_submit(&q, 0);
	// A disk that does not answer is a stalled one (--disk-stall): then the attack is the stall.
	int answered = vblk_wait(&q, TIMEOUT_SPINS);
	if (!answered)
		vblk_init(&q, (uint64_t)rings);
	const char *magic = CONFIG_MAGIC;
	volatile uint8_t *config = (volatile uint8_t *)X_CHECK;
	int ok = answered;
	for (int i = 0; i < 8; i++)
		ok &= config[i] == (uint8_t)magic[i];
	attack = ok ? *(volatile uint64_t *)(X_CHECK + 8) : answered ? ATTACK_RACE : ATTACK_STALL;
	if (attack == 0 || attack >= ATTACK_COUNT)
		attack = ATTACK_RACE;
	MB->attack = attack;
	MB->mode = ok ? *(volatile uint64_t *)(X_CHECK + 16) : MONITOR_PLAIN;
	if (attack == ATTACK_RINGS) {
		vblk_init(&q, T_RINGS);
		rings_in_target = 1;
	}
	MB->queue_desc = (uint64_t)q.desc;
	MB->queue_avail = (uint64_t)q.avail;
	MB->queue_used = (uint64_t)q.used;
	MB->queue_num = QUEUE_NUM;

	// Headers and the data the OUT requests write, in TARGET and in their places in EXTRA, before anything
	// can be taken away.
	for (int k = 0; k < 2; k++) {
		tb = k ? ALT : TARGET;
		cb = k ? ALT_CROSS : TARGET;
		write_header(T_HDR_IN, BLK_IN, SECTOR_DATA);
		write_header(T_HDR_OUT, BLK_OUT, SECTOR_EXFIL);
		write_header(X_CROSS_HDR, BLK_OUT, SECTOR_EXFIL);
		for (uint64_t i = 0; i < 512; i++) {
			*(volatile uint8_t *)(T_DATA_OUT + i) = 'D';
			*(volatile uint8_t *)(X_CROSS + i) = 'D';
		}
	}
	tb = cb = TARGET;
	write_header(X_HDR_IN, BLK_IN, SECTOR_DATA);
	write_header(X_HDR_OUT, BLK_OUT, SECTOR_EXFIL);
	for (uint64_t i = 0; i < 512; i++)
		*(volatile uint8_t *)(X_DATA_OUT + i) = 'D';
	fence();
	MB->driver_ready = 1;
	while (!MB->go)
		;

	int checked = 0;
	while (!MB->stop) {
		request(0);
		if (MB->stop)
			break;
		request(1);
		if (MB->victim_done && !checked && !MB->stop) {
			check_exfiltration();
			checked = 1;
		}
		// A pause between requests (a real driver has them; a DoS driver has none).
		if (attack != ATTACK_DOS)
			wait_ticks(20);
	}
	MB->driver_done = 1;
	sleep_forever();
}
