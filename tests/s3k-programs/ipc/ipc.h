// The IPC program's protocol: what a client asks its server (data[0]) and where the monitor puts things.
#pragma once

// Every server's slots: its code's PMP, the UART's PMP, its server socket, a slot for capabilities it
// receives.
#define SRV_CODE 0
#define SRV_UART 1
#define SRV_SOCK 2
#define SRV_BUF 4

enum {
	CMD_ECHO = 1,	   // reply with data[0] + 100 and the rest of the data (sendrecv)
	CMD_NOREPLY,	   // receive again without replying
	CMD_CAPBACK,	   // reply sending back the capability received
	CMD_KEEP,	   // leave the received capability in the buffer and reply (DST_OCCUPIED)
	CMD_SERVTIME,	   // set the server's SERVTIME to data[1], then reply
	CMD_LATE,	   // give up the hart (SYNC) before replying
	CMD_SEND_REPLY,	   // reply with SOCK_SEND, then receive with SOCK_RECV
};
