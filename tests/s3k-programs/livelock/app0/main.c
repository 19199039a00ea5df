// The suspend/resume livelock (../shared/reference/s3k-and-virtio.md §1.5): a server with no time slots of
// its own lives on the time its clients give it (YIELD). Its monitor suspends it while it waits in recv
// and resumes it: s3k makes it runnable, its recv ending with SUSPENDED, but keeps it as the channel's
// receiver. A client's send now finds a receiver that is not waiting: NO_RECEIVER. Only a successful send
// would give the server time to wait again, so the client gets NO_RECEIVER for ever (it does not use the
// monitor's way out, MON_YIELD). `bulwark s3k --fix-ipc-livelock` restores the wait on resume instead.
#include "check.h"
#include "../../ipc/ipc.h"

#define APP1_MEM 5
#define SOCK 12
#define TMP 14
#define ATTEMPTS 20

static void show_state(uint64_t pid)
{
	s3k_state_t state = 0;
	s3k_err_t err = s3k_mon_state_get(MONITOR, pid, &state);
	alt_printf("state of pid %D: %s 0x%X\n", pid, err_name(err), state);
}

static s3k_err_t send(uint64_t n)
{
	s3k_msg_t m = {.cap_idx = 0, .send_cap = false, .data = {CMD_NOREPLY, n, 0, 0}};
	return s3k_sock_send(SOCK, &m);
}

int main(void)
{
	setup_uart(10);
	say("== livelock: a server without time slots, suspended and resumed while it waits in recv ==");
	uint64_t base = 0x80020000;
	s3k_cap_derive(CHANNEL, 11, s3k_mk_socket(0, S3K_IPC_YIELD, S3K_IPC_SDATA | S3K_IPC_CDATA, 0));
	s3k_cap_derive(11, SOCK, s3k_mk_socket(0, S3K_IPC_YIELD, S3K_IPC_SDATA | S3K_IPC_CDATA, 1));
	s3k_cap_derive(RAM_MEM, APP1_MEM, s3k_mk_memory(base, base + 0x10000, S3K_MEM_RWX));
	s3k_cap_derive(APP1_MEM, TMP, s3k_mk_pmp(s3k_napot_encode(base, 0x10000), S3K_MEM_RWX));
	s3k_mon_cap_move(MONITOR, 0, TMP, 1, SRV_CODE);
	s3k_mon_pmp_load(MONITOR, 1, SRV_CODE, 0);
	s3k_cap_derive(UART_MEM, TMP, s3k_mk_pmp(s3k_napot_encode(0x10000000, 0x1000), S3K_MEM_RW));
	s3k_mon_cap_move(MONITOR, 0, TMP, 1, SRV_UART);
	s3k_mon_pmp_load(MONITOR, 1, SRV_UART, 1);
	s3k_mon_cap_move(MONITOR, 0, 11, 1, SRV_SOCK);
	s3k_mon_reg_write(MONITOR, 1, S3K_REG_PC, base);
	R(s3k_mon_resume(MONITOR, 1));
	R(s3k_mon_yield(MONITOR, 1));
	show_state(1);

	say("-- the server lives on its clients' time --");
	s3k_sync();
	R(send(1));
	show_state(1);

	say("-- the monitor suspends and resumes the waiting server --");
	R(s3k_mon_suspend(MONITOR, 1));
	show_state(1);
	R(s3k_mon_resume(MONITOR, 1));
	show_state(1);

	say("-- the client sends, once per time slot --");
	int attempt;
	s3k_err_t err = S3K_ERR_NO_RECEIVER;
	for (attempt = 2; attempt <= ATTEMPTS + 1 && err != S3K_SUCCESS; attempt++) {
		s3k_sync();
		err = send(attempt);
		alt_printf("send %d = %s\n", attempt, err_name(err));
	}
	show_state(1);
	if (err == S3K_SUCCESS)
		say("== progress: the server received the message ==");
	else
		say("== livelock: every send found the stale receiver (ERR_NO_RECEIVER) ==");
	return 0;
}
