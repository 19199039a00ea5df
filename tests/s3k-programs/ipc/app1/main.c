// A server of the IPC program (pid 1 on a YIELD channel, pid 2 on a NOYIELD one; the same code, linked
// at two addresses): it answers what its clients ask (ipc.h), printing each message it receives.
#include "check.h"
#include "../ipc.h"

static void show_message(s3k_reply_t r)
{
	alt_printf("%sreceived %s tag=%d data=%D,%D,%D,%D cap=", who, err_name(r.err), r.tag, r.data[0], r.data[1],
		   r.data[2], r.data[3]);
	print_cap(r.cap);
	alt_putstr("\n");
	show_caps();
}

int main(void)
{
	who = s3k_get_pid() == 1 ? "srv1: " : "srv2: ";
	say("started");
	show_all_caps();
	s3k_reply_t r = s3k_sock_recv(SRV_SOCK, SRV_BUF);
	while (1) {
		show_message(r);
		if (r.err != S3K_SUCCESS) {
			// SUSPENDED (a monitor stopped the wait) or DST_OCCUPIED (the buffer is not free).
			if (r.err == S3K_ERR_DST_OCCUPIED)
				R(s3k_cap_delete(SRV_BUF));
			r = s3k_sock_recv(SRV_SOCK, SRV_BUF);
			continue;
		}
		s3k_msg_t m = {.cap_idx = SRV_BUF, .send_cap = false, .data = {r.data[0] + 100, r.data[1], r.data[2], r.data[3]}};
		switch (r.data[0]) {
		case CMD_NOREPLY:
			r = s3k_sock_recv(SRV_SOCK, SRV_BUF);
			break;
		case CMD_CAPBACK:
			m.send_cap = true;
			r = s3k_sock_sendrecv(SRV_SOCK, &m);
			break;
		case CMD_SERVTIME:
			s3k_reg_write(S3K_REG_SERVTIME, r.data[1]);
			alt_printf("%sSERVTIME = %D\n", who, s3k_reg_read(S3K_REG_SERVTIME));
			r = s3k_sock_sendrecv(SRV_SOCK, &m);
			break;
		case CMD_LATE:
			say("gives up the hart before replying");
			s3k_sync();
			say("replies late");
			r = s3k_sock_sendrecv(SRV_SOCK, &m);
			break;
		case CMD_SEND_REPLY:
			R(s3k_sock_send(SRV_SOCK, &m));
			R(s3k_sock_send(SRV_SOCK, &m));
			r = s3k_sock_recv(SRV_SOCK, SRV_BUF);
			break;
		default: // CMD_ECHO, CMD_KEEP
			r = s3k_sock_sendrecv(SRV_SOCK, &m);
			break;
		}
	}
}
