// Bulwark's s3k test programs: what they share. Each program calls system calls and prints, through the
// UART, every call with its result and then the capability slots the call changed, so that two kernels
// that print the same text answered the same. Only what is fixed by the program is printed: never a time,
// never anything that depends on how fast a kernel is.
#pragma once
#include "altc/altio.h"
#include "s3k/s3k.h"

// The boot capabilities of qemu_virt (common/inc/plat/qemu_virt.h).
#define BOOT_PMP 0
#define RAM_MEM 1
#define UART_MEM 2
#define MTIME_MEM 3
#define HART0_TIME 4
#define MONITOR 8
#define CHANNEL 9

// 19 is not s3k's: Bulwark's --revoke-policy deny and quarantine answer it (the real kernel never does).
static const char *const err_names[] = {
    "SUCCESS",		 "ERR_EMPTY",		"ERR_SRC_EMPTY",	"ERR_DST_OCCUPIED",
    "ERR_INVALID_INDEX", "ERR_INVALID_DERIVATION", "ERR_INVALID_MONITOR", "ERR_INVALID_PID",
    "ERR_INVALID_STATE", "ERR_INVALID_PMP",	"ERR_INVALID_SLOT",	"ERR_INVALID_SOCKET",
    "ERR_INVALID_SYSCALL", "ERR_INVALID_REGISTER", "ERR_INVALID_CAPABILITY", "ERR_NO_RECEIVER",
    "ERR_PREEMPTED",	 "ERR_TIMEOUT",		"ERR_SUSPENDED",	"ERR_DMA_BUSY",
};

static const char *err_name(uint64_t err)
{
	return err < sizeof(err_names) / sizeof(err_names[0]) ? err_names[err] : "ERR_?";
}

static void cap_format(char *buf, s3k_cap_t cap)
{
	uint64_t tag_base = (uint64_t)cap.mem.tag << S3K_MAX_BLOCK_SIZE;
	switch (cap.type) {
	case S3K_CAPTY_NONE:
		alt_snprintf(buf, 96, "NONE");
		break;
	case S3K_CAPTY_TIME:
		alt_snprintf(buf, 96, "TIME{hart=%d,bgn=%d,mrk=%d,end=%d}", cap.time.hart, cap.time.bgn, cap.time.mrk, cap.time.end);
		break;
	case S3K_CAPTY_MEMORY:
		alt_snprintf(buf, 96, "MEMORY{bgn=0x%X,mrk=0x%X,end=0x%X,rwx=%d,lck=%d}",
			     tag_base + ((uint64_t)cap.mem.bgn << S3K_MIN_BLOCK_SIZE),
			     tag_base + ((uint64_t)cap.mem.mrk << S3K_MIN_BLOCK_SIZE),
			     tag_base + ((uint64_t)cap.mem.end << S3K_MIN_BLOCK_SIZE), cap.mem.rwx, cap.mem.lck);
		break;
	case S3K_CAPTY_PMP: {
		s3k_addr_t base, size;
		s3k_napot_decode(cap.pmp.addr, &base, &size);
		alt_snprintf(buf, 96, "PMP{bgn=0x%X,end=0x%X,rwx=%d,used=%d,slot=%d}", base, base + size, cap.pmp.rwx, cap.pmp.used,
			     cap.pmp.slot);
	} break;
	case S3K_CAPTY_MONITOR:
		alt_snprintf(buf, 96, "MONITOR{bgn=%d,mrk=%d,end=%d}", cap.mon.bgn, cap.mon.mrk, cap.mon.end);
		break;
	case S3K_CAPTY_CHANNEL:
		alt_snprintf(buf, 96, "CHANNEL{bgn=%d,mrk=%d,end=%d}", cap.chan.bgn, cap.chan.mrk, cap.chan.end);
		break;
	case S3K_CAPTY_SOCKET:
		alt_snprintf(buf, 96, "SOCKET{chan=%d,tag=%d,perm=%d,mode=%d}", cap.sock.chan, cap.sock.tag, cap.sock.perm,
			     cap.sock.mode);
		break;
	default:
		alt_snprintf(buf, 96, "UNKNOWN");
	}
}

static void print_cap(s3k_cap_t cap)
{
	char buf[96];
	cap_format(buf, cap);
	alt_printf("0x%X %s", cap.raw, buf);
}

// What every line the process prints starts with (a server says who it is).
static const char *who = "";

// The capability table as the program last printed it (its own slots).
static uint64_t shown[S3K_CAP_CNT];

// Prints the slots of the caller's table that changed since the last print, one per line.
static void show_caps(void)
{
	for (int i = 0; i < S3K_CAP_CNT; i++) {
		s3k_cap_t cap;
		s3k_cap_read(i, &cap);
		if (cap.raw == shown[i])
			continue;
		alt_printf("%s    [%d] ", who, i);
		print_cap(cap);
		alt_putstr("\n");
		shown[i] = cap.raw;
	}
}

// Prints the whole non-empty table of the caller.
static void show_all_caps(void)
{
	for (int i = 0; i < S3K_CAP_CNT; i++)
		shown[i] = 0;
	show_caps();
}

// Prints another process's non-empty slots (through a monitor; the process must be suspended).
static void show_caps_of(uint64_t mon, uint64_t pid)
{
	for (int i = 0; i < S3K_CAP_CNT; i++) {
		s3k_cap_t cap;
		if (s3k_mon_cap_read(mon, pid, i, &cap) != S3K_SUCCESS)
			continue;
		alt_printf("%s    pid %d [%d] ", who, (unsigned)pid, i);
		print_cap(cap);
		alt_putstr("\n");
	}
}

// One call and what it answered, then the slots it changed.
static void result(const char *call, uint64_t err)
{
	alt_putstr(who);
	alt_putstr(call);
	alt_printf(" = %s\n", err_name(err));
	show_caps();
}

#define R(...) result(#__VA_ARGS__, (__VA_ARGS__))

// A system call with every argument register given, for values the user library's types cannot carry.
typedef struct {
	uint64_t t0, a0, a1;
} raw_t;

static raw_t raw_call(uint64_t call, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4, uint64_t x5,
		      uint64_t x6, uint64_t x7)
{
	register uint64_t t0 __asm__("t0") = call;
	register uint64_t a0 __asm__("a0") = x0;
	register uint64_t a1 __asm__("a1") = x1;
	register uint64_t a2 __asm__("a2") = x2;
	register uint64_t a3 __asm__("a3") = x3;
	register uint64_t a4 __asm__("a4") = x4;
	register uint64_t a5 __asm__("a5") = x5;
	register uint64_t a6 __asm__("a6") = x6;
	register uint64_t a7 __asm__("a7") = x7;
	__asm__ volatile("ecall"
			 : "+r"(t0), "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6), "+r"(a7)
			 :
			 : "memory");
	return (raw_t){t0, a0, a1};
}

// A raw call, its result, and a0 (the value the call returns, when it returns one).
#define RAW(call, ...)                                                                            \
	do {                                                                                      \
		raw_t r_ = raw_call(call, __VA_ARGS__);                                           \
		alt_putstr(who);                                                                  \
		alt_putstr("raw(" #call ", " #__VA_ARGS__ ")");                                   \
		alt_printf(" = %s (t0=%D) a0=0x%X\n", err_name(r_.t0), r_.t0, r_.a0);            \
		show_caps();                                                                      \
	} while (0)

static void say(const char *line)
{
	alt_putstr(who);
	alt_putstr(line);
	alt_putstr("\n");
}

// Sets up the UART for the caller: a PMP capability of the UART page in slot `idx`, loaded in PMP slot 1.
static void setup_uart(uint64_t idx)
{
	s3k_cap_derive(UART_MEM, idx, s3k_mk_pmp(s3k_napot_encode(0x10000000, 0x1000), S3K_MEM_RW));
	s3k_pmp_load(idx, 1);
	s3k_sync_mem();
}

// Capability words a derivation may be asked for, valid or not.
static s3k_cap_t raw_cap(uint64_t raw)
{
	return (s3k_cap_t){.raw = raw};
}

// The same word with another mark (TIME, MEMORY, MONITOR and CHANNEL keep it in bits 32-47).
static s3k_cap_t with_mrk(s3k_cap_t cap, uint16_t mrk)
{
	cap.mem.mrk = mrk;
	return cap;
}

static s3k_cap_t with_lck(s3k_cap_t cap)
{
	cap.mem.lck = 1;
	return cap;
}

static s3k_cap_t with_used(s3k_cap_t cap, int used, int slot)
{
	cap.pmp.used = used;
	cap.pmp.slot = slot;
	return cap;
}

// A user trap handler that reports the exception and skips the 4-byte instruction that caused it.
static volatile int trapped;
static char trap_stack[2048];

void trap_handler(void) __attribute__((interrupt("machine")));
void trap_handler(void)
{
	uint64_t cause = s3k_reg_read(S3K_REG_ECAUSE), value = s3k_reg_read(S3K_REG_EVAL);
	uint64_t epc = s3k_reg_read(S3K_REG_EPC);
	alt_printf("%s    trap: ecause=%D eval=0x%X\n", who, cause, value);
	trapped = 1;
	s3k_reg_write(S3K_REG_EPC, epc + 4);
}

static void setup_trap(void)
{
	s3k_reg_write(S3K_REG_TPC, (uint64_t)trap_handler);
	s3k_reg_write(S3K_REG_TSP, (uint64_t)trap_stack + sizeof(trap_stack));
}

// Loads a doubleword (an uncompressed instruction, so that the handler can skip it) and says what happened.
static void probe_load(const char *what, uint64_t addr)
{
	trapped = 0;
	register uint64_t a0 __asm__("a0") = 0;
	register uint64_t a1 __asm__("a1") = addr;
	__asm__ volatile(".option push\n.option norvc\nld a0, 0(a1)\n.option pop" : "+r"(a0) : "r"(a1) : "memory");
	if (trapped)
		alt_printf("load %s: trapped\n", what);
	else
		alt_printf("load %s: 0x%X\n", what, a0);
}

static void probe_store(const char *what, uint64_t addr, uint64_t value)
{
	trapped = 0;
	register uint64_t a0 __asm__("a0") = value;
	register uint64_t a1 __asm__("a1") = addr;
	__asm__ volatile(".option push\n.option norvc\nsd a0, 0(a1)\n.option pop" : : "r"(a0), "r"(a1) : "memory");
	alt_printf("store %s: %s\n", what, trapped ? "trapped" : "done");
}
