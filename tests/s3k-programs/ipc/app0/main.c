// IPC between processes, deterministic by design on one hart: pid 0 (client and monitor) owns time slots
// 0-15 and pid 2 (a NOYIELD server) slots 16-31; pid 1 (a YIELD server) has none and runs only on time it
// is given (MON_YIELD, YIELD messages). Every exchange starts at the beginning of a slot (SYNC) so that no
// slot ends in the middle of it; after waking pid 2, pid 0 sleeps to the next period, so that pid 2 has
// run and is waiting again. Both kernels must print the same, whatever their speed.
#include "check.h"
#include "../ipc.h"

// pid 0's slots.
#define APP1_MEM 5
#define APP2_MEM 6
#define MY_TIME 7
#define SOCK_Y 12  // client of pid 1 (channel 0, YIELD, every permission), tag 1
#define SOCK_N 13  // client of pid 2 (channel 1, NOYIELD, data only), tag 2
#define TMP 14
#define RECV 11   // where a call that sends no capability may receive one
#define SCRATCH 15 // a capability to send

#define PERIOD (S3K_SLOT_CNT * S3K_SLOT_LEN)

static void next_period(void)
{
	s3k_sleep((s3k_get_time() / PERIOD + 1) * PERIOD);
}

static void show_reply(const char *what, s3k_reply_t r)
{
	alt_printf("%s = %s tag=%d data=%D,%D,%D,%D cap=", what, err_name(r.err), r.tag, r.data[0], r.data[1], r.data[2],
		   r.data[3]);
	print_cap(r.cap);
	alt_putstr("\n");
	show_caps();
}

static void call(const char *what, uint64_t sock, uint64_t cmd, uint64_t arg, bool send_cap)
{
	s3k_sync();
	s3k_msg_t m = {.cap_idx = send_cap ? SCRATCH : RECV, .send_cap = send_cap, .data = {cmd, arg, 20, 30}};
	show_reply(what, s3k_sock_sendrecv(sock, &m));
}

static void send(const char *what, uint64_t sock, uint64_t cmd, uint64_t arg, bool send_cap)
{
	s3k_sync();
	s3k_msg_t m = {.cap_idx = SCRATCH, .send_cap = send_cap, .data = {cmd, arg, 20, 30}};
	result(what, s3k_sock_send(sock, &m));
}

static void show_state(uint64_t pid)
{
	s3k_state_t state = 0;
	s3k_err_t err = s3k_mon_state_get(MONITOR, pid, &state);
	alt_printf("state of pid %D: %s 0x%X\n", pid, err_name(err), state);
}

// A server process: its code, the UART, its server socket; it starts at its code's beginning.
static void setup_server(uint64_t pid, uint64_t mem, uint64_t base, uint64_t sock)
{
	R(s3k_cap_derive(RAM_MEM, mem, s3k_mk_memory(base, base + 0x10000, S3K_MEM_RWX)));
	R(s3k_cap_derive(mem, TMP, s3k_mk_pmp(s3k_napot_encode(base, 0x10000), S3K_MEM_RWX)));
	R(s3k_mon_cap_move(MONITOR, 0, TMP, pid, SRV_CODE));
	R(s3k_mon_pmp_load(MONITOR, pid, SRV_CODE, 0));
	R(s3k_cap_derive(UART_MEM, TMP, s3k_mk_pmp(s3k_napot_encode(0x10000000, 0x1000), S3K_MEM_RW)));
	R(s3k_mon_cap_move(MONITOR, 0, TMP, pid, SRV_UART));
	R(s3k_mon_pmp_load(MONITOR, pid, SRV_UART, 1));
	R(s3k_mon_cap_move(MONITOR, 0, sock, pid, SRV_SOCK));
	R(s3k_mon_reg_write(MONITOR, pid, S3K_REG_PC, base));
	show_caps_of(MONITOR, pid);
}

int main(void)
{
	setup_uart(10);
	say("== ipc: sockets between pid 0 (client, monitor) and servers pid 1 (YIELD) and pid 2 (NOYIELD) ==");
	show_all_caps();

	say("-- setup --");
	R(s3k_cap_derive(CHANNEL, 11, s3k_mk_socket(0, S3K_IPC_YIELD, S3K_IPC_SDATA | S3K_IPC_SCAP | S3K_IPC_CDATA | S3K_IPC_CCAP, 0)));
	R(s3k_cap_derive(11, SOCK_Y, s3k_mk_socket(0, S3K_IPC_YIELD, S3K_IPC_SDATA | S3K_IPC_SCAP | S3K_IPC_CDATA | S3K_IPC_CCAP, 1)));
	setup_server(1, APP1_MEM, 0x80020000, 11);
	R(s3k_cap_derive(CHANNEL, 11, s3k_mk_socket(1, S3K_IPC_NOYIELD, S3K_IPC_SDATA | S3K_IPC_CDATA, 0)));
	R(s3k_cap_derive(11, SOCK_N, s3k_mk_socket(1, S3K_IPC_NOYIELD, S3K_IPC_SDATA | S3K_IPC_CDATA, 2)));
	setup_server(2, APP2_MEM, 0x80030000, 11);
	R(s3k_cap_derive(HART0_TIME, MY_TIME, s3k_mk_time(0, 0, 16)));
	R(s3k_cap_derive(HART0_TIME, 11, s3k_mk_time(0, 16, 32)));
	R(s3k_mon_cap_move(MONITOR, 0, 11, 2, 3));
	R(s3k_cap_derive(RAM_MEM, SCRATCH, s3k_mk_memory(0x80100000, 0x80101000, S3K_MEM_RW)));

	say("-- a server with no time runs when its monitor yields to it, and waits in recv --");
	show_state(1);
	R(s3k_mon_resume(MONITOR, 1));
	show_state(1);
	R(s3k_mon_yield(MONITOR, 1));
	show_state(1);
	R(s3k_mon_yield(MONITOR, 1));
	say("-- a server with time slots runs in them --");
	R(s3k_mon_resume(MONITOR, 2));
	next_period();
	show_state(2);

	say("-- YIELD calls: the server runs on the client's time --");
	call("call ECHO", SOCK_Y, CMD_ECHO, 7, false);
	say("   (the server keeps the capability in its buffer: its reply fails, the client's call times out)");
	call("call KEEP sending a capability", SOCK_Y, CMD_KEEP, 8, true);
	show_state(1);
	call("call CAPBACK (the server has nothing to send back)", SOCK_Y, CMD_CAPBACK, 9, false);
	R(s3k_cap_derive(RAM_MEM, SCRATCH, s3k_mk_memory(0x80101000, 0x80102000, S3K_MEM_R)));
	call("call ECHO sending a capability", SOCK_Y, CMD_ECHO, 10, true);
	R(s3k_cap_derive(RAM_MEM, SCRATCH, s3k_mk_memory(0x80102000, 0x80103000, S3K_MEM_R)));
	call("call CAPBACK sending a capability (it comes back)", SOCK_Y, CMD_CAPBACK, 11, true);
	s3k_msg_t occupied = {.cap_idx = SCRATCH, .send_cap = false, .data = {CMD_ECHO, 12, 20, 30}};
	show_reply("call with the receiving slot occupied", s3k_sock_sendrecv(SOCK_Y, &occupied));
	send("send NOREPLY", SOCK_Y, CMD_NOREPLY, 13, false);
	show_state(1);
	send("send NOREPLY sending a capability", SOCK_Y, CMD_NOREPLY, 14, true);
	send("send NOREPLY sending from an empty slot", SOCK_Y, CMD_NOREPLY, 15, true);

	say("-- a server's reply by SOCK_SEND, and a reply nobody waits for --");
	call("call SEND_REPLY", SOCK_Y, CMD_SEND_REPLY, 16, false);
	show_state(1);
	say("   (the server runs on the time it was given: after it, the monitor can yield to it)");
	R(s3k_mon_yield(MONITOR, 1));
	next_period();
	R(s3k_mon_yield(MONITOR, 1));

	say("-- SERVTIME: a YIELD client must have the server's service time left --");
	call("call SERVTIME 2^40", SOCK_Y, CMD_SERVTIME, 1ull << 40, false);
	send("send ECHO", SOCK_Y, CMD_ECHO, 17, false);

	say("-- suspending a waiting server ends its recv with SUSPENDED; it stays the channel's receiver --");
	R(s3k_mon_suspend(MONITOR, 1));
	show_state(1);
	uint64_t t0 = 0;
	R(s3k_mon_reg_read(MONITOR, 1, S3K_REG_T0, &t0));
	alt_printf("pid 1 t0 = %s\n", err_name(t0));
	R(s3k_mon_reg_write(MONITOR, 1, S3K_REG_SERVTIME, 0));
	send("send ECHO to the suspended server", SOCK_Y, CMD_ECHO, 18, false);
	R(s3k_mon_resume(MONITOR, 1));
	show_state(1);
	send("send ECHO to the resumed server", SOCK_Y, CMD_ECHO, 19, false);
	R(s3k_mon_yield(MONITOR, 1));
	show_state(1);
	send("send ECHO once it waits again", SOCK_Y, CMD_ECHO, 20, false);

	say("-- NOYIELD: pid 2 wakes to run in its own slots --");
	send("send NOYIELD NOREPLY", SOCK_N, CMD_NOREPLY, 21, false);
	show_state(2);
	next_period();
	show_state(2);
	send("send NOYIELD with a capability (no CCAP)", SOCK_N, CMD_NOREPLY, 22, true);
	call("call NOYIELD ECHO", SOCK_N, CMD_ECHO, 23, false);
	show_state(2);
	call("call NOYIELD LATE", SOCK_N, CMD_LATE, 24, false);

	say("-- revoking the channel takes every socket, the servers' too --");
	R(s3k_mon_suspend(MONITOR, 2));
	R(s3k_cap_revoke(CHANNEL));
	show_caps_of(MONITOR, 2);
	send("send on a revoked socket", SOCK_N, CMD_ECHO, 25, false);
	say("-- a process that suspends itself runs on until it leaves the hart, then never again --");
	R(s3k_mon_suspend(MONITOR, 0));
	show_state(0);
	s3k_sync();
	say("not printed: pid 0 is suspended");
	return 0;
}
