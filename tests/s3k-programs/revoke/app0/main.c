// The monitor (pid 0, hart 0): sets up the driver and the victim, lets the driver's requests run, takes
// TARGET back (revoke of its MEMORY capability, which deletes the driver's PMP capability of it) at a
// moment the hart scheduler decides, and gives it to the victim. It prints what each step answered and
// what the driver and the victim saw. Two designs (sector 0 of the disk says which):
// - plain: revoke at once, retrying while the kernel says DMA_BUSY (--revoke-policy deny);
// - the seed's (report 003, §3): before revoking, hold the revocation in a queue for as long as any chain
//   made available and not yet used has its head descriptor's start address in TARGET; it reads the
//   driver's rings through PMP capabilities of the driver's memory. It looks at no length, no later
//   descriptor, no indirect table and not at where the rings are.
#include "check.h"
#include "../revoke.h"
#include "faults.h"

// pid 0's slots (qemu_virt4's boot capabilities, then ours).
#define UART_PMP 10
#define DRV_MEM 11
#define VIC_MEM 12
#define MB_MEM 13
#define EXTRA_MEM 14
#define TARGET_MEM 15
#define TMP 3       // MTIME_MEM's slot, freed
#define MB_PMP 9    // CHANNEL's slot, freed
#define SEED_DRV 7    // HART3_TIME's slot, freed: the seed's view of the driver's memory
#define SEED_TARGET 6 // HART2_TIME's slot, once given to the victim: the seed's view of TARGET
#define HART1_TIME 5
#define HART2_TIME 6

// The driver's slots and PMP slots.
#define D_CODE 0
#define D_IO 1
#define D_MB 2
#define D_EXTRA 3
#define D_TARGET 4
#define D_TIME 5
// The victim's.
#define V_CODE 0
#define V_MB 1
#define V_TARGET 2
#define V_TIME 3

#define RETRIES 3000    // tries of a call that says DMA_BUSY (about 1.5 ms)
#define DOS_ROUNDS 5

static uint64_t napot(uint64_t base, uint64_t size) { return s3k_napot_encode(base, size); }

// Gives pid `pid` a PMP capability of [base, base+size) from `mem`, in its slot `idx`, loaded in `slot`.
static void give_pmp(uint64_t mem, uint64_t base, uint64_t size, uint64_t rwx, uint64_t pid, uint64_t idx, uint64_t slot)
{
	s3k_cap_derive(mem, TMP, s3k_mk_pmp(napot(base, size), rwx));
	s3k_mon_cap_move(MONITOR, 0, TMP, pid, idx);
	s3k_mon_pmp_load(MONITOR, pid, idx, slot);
}

static void load_own_pmp(uint64_t mem, uint64_t idx, uint64_t base, uint64_t size, uint64_t rwx, uint64_t slot)
{
	s3k_cap_derive(mem, idx, s3k_mk_pmp(napot(base, size), rwx));
	s3k_pmp_load(idx, slot);
	s3k_sync_mem();
}

// The seed's quarantine check: does a chain made available and not yet used have its head's start in TARGET?
static int seed_conflict(void)
{
	volatile struct vq_desc *desc = (volatile struct vq_desc *)MB->queue_desc;
	volatile struct vq_avail *avail = (volatile struct vq_avail *)MB->queue_avail;
	volatile struct vq_used *used = (volatile struct vq_used *)MB->queue_used;
	uint16_t num = MB->queue_num;
	for (uint16_t i = used->idx; i != avail->idx; i++) {
		uint64_t addr = desc[avail->ring[i % num] % num].addr;
		if (addr >= TARGET && addr < TARGET + TARGET_SIZE)
			return 1;
	}
	return 0;
}

// Retries `call` while it says DMA_BUSY; returns its last answer and how many tries it took.
#define RETRY(tries, call)                                                           \
	({                                                                           \
		s3k_err_t e_;                                                        \
		tries = 0;                                                           \
		do {                                                                 \
			e_ = (call);                                                 \
			tries++;                                                     \
			if (e_ == S3K_ERR_DMA_BUSY)                                  \
				wait_ticks(5);                                       \
		} while (e_ == S3K_ERR_DMA_BUSY && tries < RETRIES);                 \
		e_;                                                                  \
	})

static uint64_t seed_checks;

// Takes TARGET back: the revoke (after the seed's quarantine, in its design). Prints what it answered.
static s3k_err_t take_target(void)
{
	uint64_t tries = 0;
	if (MB->mode == MONITOR_SEED) {
		uint64_t checks = 0;
		while (seed_conflict() && checks < RETRIES) {
			checks++;
			wait_ticks(5);
		}
		seed_checks += checks;
		if (checks >= RETRIES) {
			say("take: the seed's quarantine never cleared; TARGET not revoked");
			return S3K_ERR_DMA_BUSY;
		}
	}
	s3k_err_t err = RETRY(tries, s3k_cap_revoke(TARGET_MEM));
	if (err == S3K_SUCCESS)
		MB->target_ok = 0; // the driver is told: its next requests use its own memory
	alt_printf("take: revoke = %s (%D tries)\n", err_name(err), tries);
	return err;
}

// Derives a PMP capability of TARGET again and moves it to `pid`, loaded; the process must be suspended.
static s3k_err_t give_target(uint64_t pid, uint64_t idx, uint64_t slot)
{
	uint64_t tries;
	s3k_err_t err = RETRY(tries, s3k_cap_derive(TARGET_MEM, TMP, s3k_mk_pmp(napot(TARGET, TARGET_SIZE), S3K_MEM_RW)));
	if (err == S3K_SUCCESS)
		err = s3k_mon_cap_move(MONITOR, 0, TMP, pid, idx);
	if (err == S3K_SUCCESS)
		err = s3k_mon_pmp_load(MONITOR, pid, idx, slot);
	alt_printf("give to pid %D: %s (%D tries)\n", pid, err_name(err), tries);
	return err;
}

int main(void)
{
	static volatile uint64_t faults;
	setup_uart(UART_PMP);
	setup_fault_handler(&faults); // the seed's monitor reads rings that may have been taken away
	who = "0> ";
	s3k_cap_delete(MTIME_MEM);
	s3k_cap_delete(CHANNEL);
	s3k_cap_delete(7);
	// Memory, in increasing addresses (each derivation moves RAM_MEM's mark).
	s3k_cap_derive(RAM_MEM, DRV_MEM, s3k_mk_memory(DRIVER_BASE, DRIVER_BASE + 0x10000, S3K_MEM_RWX));
	s3k_cap_derive(RAM_MEM, VIC_MEM, s3k_mk_memory(VICTIM_BASE, VICTIM_BASE + 0x10000, S3K_MEM_RWX));
	s3k_cap_derive(RAM_MEM, MB_MEM, s3k_mk_memory(MAILBOX, MAILBOX + MAILBOX_SIZE, S3K_MEM_RW));
	s3k_cap_derive(RAM_MEM, EXTRA_MEM, s3k_mk_memory(EXTRA, EXTRA + EXTRA_SIZE, S3K_MEM_RW));
	s3k_cap_derive(RAM_MEM, TARGET_MEM, s3k_mk_memory(TARGET, TARGET + TARGET_SIZE, S3K_MEM_RW));
	load_own_pmp(MB_MEM, MB_PMP, MAILBOX, MAILBOX_SIZE, S3K_MEM_RW, 2);

	// The driver: its code, the UART and the device, the mailbox, EXTRA, TARGET, and hart 1's time.
	give_pmp(DRV_MEM, DRIVER_BASE, 0x10000, S3K_MEM_RWX, 1, D_CODE, 0);
	give_pmp(UART_MEM, IO_BASE, IO_SIZE, S3K_MEM_RW, 1, D_IO, 1);
	give_pmp(MB_MEM, MAILBOX, MAILBOX_SIZE, S3K_MEM_RW, 1, D_MB, 2);
	give_pmp(EXTRA_MEM, EXTRA, EXTRA_SIZE, S3K_MEM_RW, 1, D_EXTRA, 3);
	give_pmp(TARGET_MEM, TARGET, TARGET_SIZE, S3K_MEM_RW, 1, D_TARGET, 4);
	MB->target_ok = 1;
	s3k_mon_cap_move(MONITOR, 0, HART1_TIME, 1, D_TIME);
	s3k_mon_reg_write(MONITOR, 1, S3K_REG_PC, DRIVER_BASE);
	// The victim: its code, the mailbox and hart 2's time; TARGET comes later.
	give_pmp(VIC_MEM, VICTIM_BASE, 0x10000, S3K_MEM_RWX, 2, V_CODE, 0);
	give_pmp(MB_MEM, MAILBOX, MAILBOX_SIZE, S3K_MEM_RW, 2, V_MB, 1);
	s3k_mon_cap_move(MONITOR, 0, HART2_TIME, 2, V_TIME);
	s3k_mon_reg_write(MONITOR, 2, S3K_REG_PC, VICTIM_BASE);

	s3k_mon_resume(MONITOR, 1);
	while (!MB->driver_ready)
		;
	if (MB->driver_ready != 1) {
		say("the driver found no legacy virtio-blk device");
		sleep_forever();
	}
	uint64_t attack = MB->attack;
	alt_printf("0> attack %s, monitor %s\n", attack_names[attack], MB->mode == MONITOR_SEED ? "seed" : "plain");
	if (MB->mode == MONITOR_SEED) {
		// The seed's monitor reads the driver's rings (its design shares them with the monitor).
		load_own_pmp(DRV_MEM, SEED_DRV, DRIVER_BASE, 0x10000, S3K_MEM_R, 3);
		load_own_pmp(TARGET_MEM, SEED_TARGET, TARGET, TARGET_SIZE, S3K_MEM_R, 4);
	}
	MB->go = 1;

	// Let the driver get going; then the revoke lands wherever the harts happen to be.
	while (MB->issued < (attack == ATTACK_STALL ? 1 : 3))
		;
	wait_ticks(30);
	int rounds = attack == ATTACK_DOS ? DOS_ROUNDS : 1;
	s3k_err_t taken = S3K_SUCCESS;
	for (int round = 1; round <= rounds; round++) {
		taken = take_target();
		if (round == rounds || taken != S3K_SUCCESS)
			break;
		// Denial of service: the monitor gives TARGET back to the driver and takes it again. A capability
		// goes only to a process that is suspended and off its hart (it leaves it at its next slot's end).
		s3k_mon_suspend(MONITOR, 1);
		s3k_state_t state = 0;
		for (uint64_t n = 0; n < RETRIES && (s3k_mon_state_get(MONITOR, 1, &state), state != 4); n++)
			wait_ticks(5);
		if (give_target(1, D_TARGET, 4) == S3K_SUCCESS)
			MB->target_ok = 1;
		s3k_mon_resume(MONITOR, 1);
		uint64_t issued = MB->issued;
		while (MB->issued < issued + 2 && !MB->driver_done)
			;
	}
	if (taken == S3K_SUCCESS && give_target(2, V_TARGET, 2) == S3K_SUCCESS) {
		MB->handed_over = 1;
		s3k_mon_resume(MONITOR, 2);
		while (!MB->victim_done)
			;
		// The driver goes on for a while with what it believes it has.
		uint64_t issued = MB->issued;
		uint64_t until = s3k_get_time() + 2000;
		while (MB->issued < issued + 6 && s3k_get_time() < until)
			;
	} else {
		say("TARGET was not handed over");
	}
	wait_ticks(500);
	MB->stop = 1;
	uint64_t until = s3k_get_time() + 5000;
	while ((!MB->driver_done || (MB->handed_over && !MB->victim_finished)) && s3k_get_time() < until)
		;
	alt_printf("0> driver: %D requests, %D completed, %D timeouts, %D faults, secret read back from the disk: %s%s\n", MB->issued,
		   MB->completed, MB->timeouts, MB->faults, MB->leak_seen ? "yes" : "no", MB->driver_done ? "" : " (driver stopped)");
	if (MB->handed_over)
		alt_printf("0> victim: %D bytes of old data on arrival, %D bytes changed under it\n", MB->residue, MB->changed);
	if (MB->mode == MONITOR_SEED)
		alt_printf("0> seed quarantine: %D checks\n", seed_checks);
	say("done");
	sleep_forever();
}
