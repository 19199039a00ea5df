// Every system call but the socket ones' message passing, with valid and invalid arguments, from one
// process (pid 0) that governs three more (pids 1-3, suspended, never run). Each call is printed with
// its result and the capability slots it changed (see check.h).
#include "check.h"

#define PMP_RAM napot(0x80100000, 0x10000)

static uint64_t napot(uint64_t base, uint64_t size)
{
	return s3k_napot_encode(base, size);
}

static void info_and_registers(void)
{
	say("-- 0 GET_INFO, 1 REG_READ, 2 REG_WRITE, 3 SYNC, 4 SLEEP, numbers past 24 --");
	alt_printf("s3k_get_pid() = %D\n", s3k_get_pid());
	uint64_t t1 = s3k_get_time(), timeout = s3k_get_timeout(), t2 = s3k_get_time();
	alt_printf("time goes on: %d; the timeout lies ahead: %d\n", t1 > 0 && t2 >= t1, timeout > t2);
	RAW(0, 3, 0, 0, 0, 0, 0, 0, 0);
	RAW(0, -1ull, 0, 0, 0, 0, 0, 0, 0);
	RAW(2, S3K_REG_SERVTIME, 123, 0, 0, 0, 0, 0, 0);
	RAW(1, S3K_REG_SERVTIME, 0, 0, 0, 0, 0, 0, 0);
	RAW(1, S3K_REG_TPC, 0, 0, 0, 0, 0, 0, 0);
	RAW(1, S3K_REG_ECAUSE, 0, 0, 0, 0, 0, 0, 0);
	RAW(1, S3K_REG_CNT, 0, 0, 0, 0, 0, 0, 0);
	RAW(2, S3K_REG_CNT, 5, 0, 0, 0, 0, 0, 0);
	RAW(1, 1000, 0, 0, 0, 0, 0, 0, 0);
	// Register numbers the kernel holds as a C enum: negative or wide ones.
	RAW(1, -1ull, 0, 0, 0, 0, 0, 0, 0);
	RAW(1, 0xffffffffull, 0, 0, 0, 0, 0, 0, 0);
	RAW(1, 0x80000000ull, 0, 0, 0, 0, 0, 0, 0);
	RAW(2, -1ull, 1, 0, 0, 0, 0, 0, 0);
	RAW(2, 0xfffffffeull, 1, 0, 0, 0, 0, 0, 0);
	RAW(2, S3K_REG_SERVTIME, 0, 0, 0, 0, 0, 0, 0);
	// SYNC writes no t0: it keeps the call's number.
	RAW(3, 0, 0, 0, 0, 0, 0, 0, 0);
	RAW(3, 1, 0, 0, 0, 0, 0, 0, 0);
	RAW(4, 0, 0, 0, 0, 0, 0, 0, 0);
	s3k_sleep(s3k_get_time() + 1000);
	say("s3k_sleep(s3k_get_time() + 1000) returned");
	RAW(25, 0, 0, 0, 0, 0, 0, 0, 0);
	RAW(1000, 0, 0, 0, 0, 0, 0, 0, 0);
	RAW(-1ull, 0, 0, 0, 0, 0, 0, 0, 0);
}

static void read_move_delete(void)
{
	say("-- 5 CAP_READ, 6 CAP_MOVE, 7 CAP_DELETE --");
	RAW(5, RAM_MEM, 0, 0, 0, 0, 0, 0, 0);
	RAW(5, 5, 0, 0, 0, 0, 0, 0, 0);
	RAW(5, S3K_CAP_CNT, 0, 0, 0, 0, 0, 0, 0);
	RAW(5, 0xffff, 0, 0, 0, 0, 0, 0, 0);
	R(s3k_cap_move(5, 6));
	R(s3k_cap_move(RAM_MEM, MTIME_MEM));
	R(s3k_cap_move(RAM_MEM, RAM_MEM));
	R(s3k_cap_move(RAM_MEM, S3K_CAP_CNT));
	R(s3k_cap_move(S3K_CAP_CNT, 5));
	R(s3k_cap_move(MTIME_MEM, 5));
	R(s3k_cap_move(5, 15));
	R(s3k_cap_move(15, MTIME_MEM));
	R(s3k_cap_move(HART0_TIME, 5));
	R(s3k_cap_move(5, HART0_TIME));
	R(s3k_cap_delete(5));
	R(s3k_cap_delete(S3K_CAP_CNT));
	R(s3k_cap_delete(MTIME_MEM));
	R(s3k_cap_delete(MTIME_MEM));
}

static void derive_time(void)
{
	say("-- 9 CAP_DERIVE and 8 CAP_REVOKE: TIME --");
	R(s3k_cap_derive(HART0_TIME, 5, s3k_mk_time(0, 0, 8)));
	R(s3k_cap_derive(HART0_TIME, 6, s3k_mk_time(0, 0, 8)));
	R(s3k_cap_derive(HART0_TIME, 6, s3k_mk_time(0, 9, 16)));
	R(s3k_cap_derive(HART0_TIME, 6, s3k_mk_time(1, 8, 16)));
	R(s3k_cap_derive(HART0_TIME, 6, s3k_mk_time(0, 8, 33)));
	R(s3k_cap_derive(HART0_TIME, 6, s3k_mk_time(0, 8, 8)));
	R(s3k_cap_derive(HART0_TIME, 6, with_mrk(s3k_mk_time(0, 8, 16), 9)));
	R(s3k_cap_derive(HART0_TIME, 6, s3k_mk_time(0, 8, 16)));
	R(s3k_cap_derive(5, 7, s3k_mk_time(0, 0, 4)));
	R(s3k_cap_derive(7, 11, s3k_mk_time(0, 0, 2)));
	R(s3k_cap_derive(5, 12, s3k_mk_time(0, 0, 4)));
	R(s3k_cap_derive(5, 12, s3k_mk_memory(0x80100000, 0x80101000, S3K_MEM_R)));
	R(s3k_cap_derive(5, 12, s3k_mk_time(0, 4, 8)));
	// Deleting a middle capability leaves its children to its parent's revoke.
	R(s3k_cap_delete(7));
	R(s3k_cap_revoke(5));
	R(s3k_cap_revoke(5));
	R(s3k_cap_revoke(HART0_TIME));
	R(s3k_cap_revoke(7));
	R(s3k_cap_revoke(S3K_CAP_CNT));
}

static void derive_memory(void)
{
	say("-- 9 CAP_DERIVE and 8 CAP_REVOKE: MEMORY and PMP --");
	R(s3k_cap_derive(RAM_MEM, 5, s3k_mk_memory(0x80100000, 0x80200000, S3K_MEM_RWX)));
	R(s3k_cap_derive(RAM_MEM, 6, s3k_mk_memory(0x80000000, 0x80100000, S3K_MEM_RWX)));
	R(s3k_cap_derive(RAM_MEM, 6, s3k_mk_memory(0x80200000, 0x88001000, S3K_MEM_RW)));
	R(s3k_cap_derive(RAM_MEM, 6, s3k_mk_memory(0x80100000, 0x80180000, S3K_MEM_RW)));
	R(s3k_cap_derive(RAM_MEM, 6, s3k_mk_memory(0x90000000, 0x90001000, S3K_MEM_RW)));
	R(s3k_cap_derive(RAM_MEM, 6, s3k_mk_memory(0x80300000, 0x80300000, S3K_MEM_RW)));
	R(s3k_cap_derive(RAM_MEM, 6, with_lck(s3k_mk_memory(0x80300000, 0x80400000, S3K_MEM_RW))));
	R(s3k_cap_derive(RAM_MEM, 6, with_mrk(s3k_mk_memory(0x80300000, 0x80400000, S3K_MEM_RW), 0x301)));
	R(s3k_cap_derive(UART_MEM, 6, s3k_mk_memory(0x10000000, 0x10001000, S3K_MEM_RWX)));
	R(s3k_cap_derive(5, 6, s3k_mk_memory(0x80100000, 0x80140000, S3K_MEM_RW)));
	R(s3k_cap_derive(6, 7, s3k_mk_memory(0x80100000, 0x80110000, S3K_MEM_R)));
	R(s3k_cap_derive(6, 11, s3k_mk_memory(0x80110000, 0x80120000, S3K_MEM_RWX)));
	R(s3k_cap_derive(5, 11, s3k_mk_pmp(napot(0x80100000, 0x10000), S3K_MEM_RW)));
	R(s3k_cap_derive(5, 11, s3k_mk_pmp(napot(0x80180000, 0x10000), S3K_MEM_RW)));
	R(s3k_cap_derive(5, 12, s3k_mk_pmp(napot(0x80180000, 0x10000), S3K_MEM_RW)));
	R(s3k_cap_derive(5, 13, s3k_mk_memory(0x80190000, 0x801a0000, S3K_MEM_RW)));
	R(s3k_cap_derive(5, 13, s3k_mk_pmp(napot(0x801f0000, 0x20000), S3K_MEM_R)));
	R(s3k_cap_derive(7, 13, s3k_mk_pmp(napot(0x80100000, 0x10000), S3K_MEM_RW)));
	R(s3k_cap_derive(7, 13, with_used(s3k_mk_pmp(napot(0x80100000, 0x10000), S3K_MEM_R), 1, 0)));
	R(s3k_cap_derive(7, 13, with_used(s3k_mk_pmp(napot(0x80100000, 0x10000), S3K_MEM_R), 0, 3)));
	R(s3k_cap_derive(7, 13, s3k_mk_pmp(napot(0x80100000, 0x10000), S3K_MEM_R)));
	R(s3k_cap_derive(13, 14, s3k_mk_pmp(napot(0x80100000, 0x1000), S3K_MEM_R)));
	R(s3k_cap_derive(BOOT_PMP, 14, s3k_mk_pmp(napot(0x80010000, 0x1000), S3K_MEM_R)));
	R(s3k_cap_derive(7, 14, s3k_mk_memory(0x80100000, 0x80101000, S3K_MEM_R)));
	R(s3k_cap_derive(RAM_MEM, 14, s3k_mk_time(0, 0, 1)));
	R(s3k_cap_derive(RAM_MEM, 14, raw_cap(0)));
	R(s3k_cap_derive(RAM_MEM, 14, raw_cap(7)));
	R(s3k_cap_derive(RAM_MEM, 14, raw_cap(0xf)));
	// A revoke deletes the descendants that follow in the derivation list, newest first.
	R(s3k_cap_revoke(6));
	R(s3k_cap_revoke(6));
	R(s3k_cap_revoke(5));
	R(s3k_cap_revoke(BOOT_PMP));
	R(s3k_cap_revoke(RAM_MEM));
}

static void pmp(void)
{
	say("-- 10 PMP_LOAD, 11 PMP_UNLOAD, and the PMP they set --");
	setup_trap();
	R(s3k_cap_derive(RAM_MEM, 5, s3k_mk_memory(0x80100000, 0x80200000, S3K_MEM_RW)));
	R(s3k_cap_derive(5, 6, s3k_mk_pmp(PMP_RAM, S3K_MEM_RW)));
	R(s3k_cap_derive(5, 7, s3k_mk_pmp(napot(0x80110000, 0x10000), S3K_MEM_R)));
	probe_load("0x80100000 (no PMP)", 0x80100000);
	R(s3k_pmp_load(6, 0));
	R(s3k_pmp_load(6, 2));
	// The hart's PMP follows at SYNC(0) or at the next dispatch, not at once.
	probe_store("0x80100000 before sync", 0x80100000, 0x1234);
	s3k_sync_mem();
	probe_store("0x80100000 after sync", 0x80100000, 0x1234);
	probe_load("0x80100000", 0x80100000);
	R(s3k_pmp_load(6, 3));
	R(s3k_pmp_load(7, 2));
	RAW(10, 7, 8, 0, 0, 0, 0, 0, 0);
	RAW(10, 7, 0x103, 0, 0, 0, 0, 0, 0);
	RAW(10, S3K_CAP_CNT, 3, 0, 0, 0, 0, 0, 0);
	R(s3k_pmp_load(5, 4));
	R(s3k_pmp_load(12, 4));
	probe_store("0x80110000 (read only)", 0x80110000, 1);
	probe_load("0x80110000", 0x80110000);
	R(s3k_pmp_unload(6));
	R(s3k_pmp_unload(6));
	R(s3k_pmp_unload(5));
	R(s3k_pmp_unload(12));
	RAW(11, S3K_CAP_CNT, 0, 0, 0, 0, 0, 0, 0);
	s3k_sync();
	probe_load("0x80100000 after unload", 0x80100000);
	R(s3k_pmp_load(6, 2));
	// Revoking the memory takes its PMP capabilities and unloads them.
	R(s3k_cap_revoke(5));
	s3k_sync_mem();
	probe_load("0x80110000 after revoke", 0x80110000);
	R(s3k_cap_revoke(RAM_MEM));
}

static void show_state(uint64_t pid)
{
	s3k_state_t state = 0;
	s3k_err_t err = s3k_mon_state_get(MONITOR, pid, &state);
	alt_printf("state of pid %D: %s 0x%X\n", pid, err_name(err), state);
}

static void monitor(void)
{
	say("-- 12-21: monitor calls --");
	show_state(0);
	show_state(1);
	R(s3k_mon_suspend(MONITOR, 1));
	R(s3k_mon_resume(MONITOR, 1));
	show_state(1);
	R(s3k_mon_suspend(MONITOR, 1));
	R(s3k_mon_suspend(MONITOR, 1));
	show_state(1);
	RAW(12, S3K_CAP_CNT, 1, 0, 0, 0, 0, 0, 0);
	RAW(12, MONITOR, S3K_PROC_CNT, 0, 0, 0, 0, 0, 0);
	RAW(12, MONITOR, 0x10001, 0, 0, 0, 0, 0, 0);
	RAW(13, MONITOR, 0x10004, 0, 0, 0, 0, 0, 0);
	RAW(14, MONITOR, 0x20002, 0, 0, 0, 0, 0, 0);
	R(s3k_mon_suspend(RAM_MEM, 1));
	R(s3k_mon_suspend(5, 1));
	// Registers of a suspended process; not of a running or runnable one.
	R(s3k_mon_reg_write(MONITOR, 1, S3K_REG_A3, 0xabc));
	uint64_t value = 0;
	R(s3k_mon_reg_read(MONITOR, 1, S3K_REG_A3, &value));
	alt_printf("pid 1 a3 = 0x%X\n", value);
	RAW(16, MONITOR, 1, S3K_REG_CNT, 0, 0, 0, 0, 0);
	RAW(16, MONITOR, 1, -1ull, 0, 0, 0, 0, 0);
	RAW(17, MONITOR, 1, S3K_REG_CNT, 0, 0, 0, 0, 0);
	RAW(16, MONITOR, S3K_PROC_CNT, 0, 0, 0, 0, 0, 0);
	RAW(16, S3K_CAP_CNT, 1, 0, 0, 0, 0, 0, 0);
	R(s3k_mon_reg_read(MONITOR, 0, S3K_REG_A3, &value));
	R(s3k_mon_reg_write(MONITOR, 0, S3K_REG_A3, 1));
	R(s3k_mon_resume(MONITOR, 2));
	R(s3k_mon_reg_read(MONITOR, 2, S3K_REG_PC, &value));
	show_state(2);
	R(s3k_mon_suspend(MONITOR, 2));
	// Yield: to itself (running), to a suspended process.
	R(s3k_mon_yield(MONITOR, 0));
	R(s3k_mon_yield(MONITOR, 1));
	RAW(15, MONITOR, S3K_PROC_CNT, 0, 0, 0, 0, 0, 0);
	// Capabilities of suspended processes.
	RAW(18, MONITOR, 1, 0, 0, 0, 0, 0, 0);
	RAW(18, MONITOR, 0, RAM_MEM, 0, 0, 0, 0, 0);
	RAW(18, MONITOR, 1, S3K_CAP_CNT, 0, 0, 0, 0, 0);
	RAW(18, MONITOR, S3K_PROC_CNT, 0, 0, 0, 0, 0, 0);
	R(s3k_cap_derive(RAM_MEM, 5, s3k_mk_memory(0x80100000, 0x80200000, S3K_MEM_RW)));
	R(s3k_cap_derive(5, 6, s3k_mk_pmp(PMP_RAM, S3K_MEM_RW)));
	R(s3k_pmp_load(6, 2));
	R(s3k_mon_cap_move(MONITOR, 0, 6, 1, 0));
	show_caps_of(MONITOR, 1);
	R(s3k_mon_cap_move(MONITOR, 0, 5, 1, 0));
	R(s3k_mon_cap_move(MONITOR, 1, 0, 2, 3));
	R(s3k_mon_cap_move(MONITOR, 1, 0, 2, 3));
	R(s3k_mon_cap_move(MONITOR, 2, 3, 2, 3));
	R(s3k_mon_pmp_load(MONITOR, 2, 3, 0));
	R(s3k_mon_pmp_load(MONITOR, 2, 3, 1));
	R(s3k_mon_pmp_load(MONITOR, 2, 4, 1));
	R(s3k_mon_pmp_load(MONITOR, 0, BOOT_PMP, 5));
	RAW(20, MONITOR, 2, 3, 8, 0, 0, 0, 0);
	RAW(20, MONITOR, 2, S3K_CAP_CNT, 1, 0, 0, 0, 0);
	show_caps_of(MONITOR, 2);
	// A loaded PMP capability that moves to another process is unloaded first.
	R(s3k_mon_cap_move(MONITOR, 2, 3, 0, 6));
	R(s3k_mon_cap_move(MONITOR, 0, 6, 2, 3));
	R(s3k_mon_pmp_load(MONITOR, 2, 3, 1));
	R(s3k_mon_pmp_unload(MONITOR, 2, 3));
	R(s3k_mon_pmp_unload(MONITOR, 2, 3));
	R(s3k_mon_pmp_unload(MONITOR, 2, 4));
	R(s3k_mon_pmp_load(MONITOR, 2, 3, 7));
	// A running process's capabilities are out of reach; moving into or out of the monitor's own table is not.
	R(s3k_mon_resume(MONITOR, 2));
	R(s3k_mon_cap_move(MONITOR, 2, 3, 0, 6));
	R(s3k_mon_pmp_unload(MONITOR, 2, 3));
	R(s3k_mon_cap_move(MONITOR, 0, HART0_TIME, 2, 5));
	R(s3k_mon_suspend(MONITOR, 2));
	show_caps_of(MONITOR, 2);
	// Time slots follow a TIME capability to another process and back.
	R(s3k_cap_derive(HART0_TIME, 7, s3k_mk_time(0, 0, 4)));
	R(s3k_mon_cap_move(MONITOR, 0, 7, 3, 0));
	R(s3k_mon_cap_move(MONITOR, 3, 0, 0, 7));
	R(s3k_cap_revoke(HART0_TIME));
	// A monitor governs the pids it has not delegated: [mrk, end).
	R(s3k_cap_derive(MONITOR, 11, s3k_mk_monitor(2, 4)));
	R(s3k_cap_derive(MONITOR, 12, s3k_mk_monitor(0, 2)));
	R(s3k_cap_derive(MONITOR, 12, s3k_mk_monitor(4, 5)));
	R(s3k_cap_derive(MONITOR, 12, s3k_mk_monitor(3, 3)));
	R(s3k_cap_derive(MONITOR, 12, s3k_mk_channel(0, 1)));
	R(s3k_mon_suspend(MONITOR, 1));
	R(s3k_mon_suspend(MONITOR, 3));
	R(s3k_mon_suspend(11, 3));
	R(s3k_mon_suspend(11, 1));
	R(s3k_cap_derive(11, 12, s3k_mk_monitor(3, 4)));
	R(s3k_mon_reg_read(11, 2, S3K_REG_A3, &value));
	R(s3k_mon_reg_read(11, 3, S3K_REG_A3, &value));
	R(s3k_mon_cap_move(11, 2, 3, 0, 6));
	R(s3k_cap_revoke(MONITOR));
	R(s3k_mon_cap_move(MONITOR, 2, 3, 0, 6));
	R(s3k_mon_cap_move(MONITOR, 1, 0, 0, 5));
	R(s3k_cap_revoke(RAM_MEM));
}

static void sockets(void)
{
	say("-- 22 SOCK_SEND, 23 SOCK_RECV, 24 SOCK_SENDRECV without a peer; CHANNEL and SOCKET derivations --");
	s3k_msg_t msg = {.cap_idx = 0, .send_cap = false, .data = {1, 2, 3, 4}};
	R(s3k_sock_send(5, &msg));
	R(s3k_sock_send(RAM_MEM, &msg));
	R(s3k_sock_recv(5, 6).err);
	R(s3k_sock_recv(RAM_MEM, 6).err);
	R(s3k_sock_sendrecv(5, &msg).err);
	R(s3k_sock_sendrecv(RAM_MEM, &msg).err);
	RAW(22, S3K_CAP_CNT, 0, 0, 0, 0, 0, 0, 0);
	RAW(23, 0, S3K_CAP_CNT, 0, 0, 0, 0, 0, 0);
	RAW(24, 0x10000 + S3K_CAP_CNT, 0, 0, 0, 0, 0, 0, 0);
	R(s3k_cap_derive(CHANNEL, 5, s3k_mk_channel(0, 2)));
	R(s3k_cap_derive(CHANNEL, 6, s3k_mk_channel(1, 3)));
	R(s3k_cap_derive(CHANNEL, 6, s3k_mk_channel(2, 5)));
	R(s3k_cap_derive(CHANNEL, 6, s3k_mk_socket(1, S3K_IPC_YIELD, S3K_IPC_SDATA, 0)));
	R(s3k_cap_derive(CHANNEL, 6, s3k_mk_socket(4, S3K_IPC_YIELD, S3K_IPC_SDATA, 0)));
	R(s3k_cap_derive(CHANNEL, 6, s3k_mk_socket(2, 2, S3K_IPC_SDATA, 0)));
	R(s3k_cap_derive(5, 6, s3k_mk_socket(0, S3K_IPC_YIELD, S3K_IPC_SDATA | S3K_IPC_CDATA | S3K_IPC_CCAP, 0)));
	R(s3k_cap_derive(5, 7, s3k_mk_socket(0, S3K_IPC_YIELD, S3K_IPC_SDATA, 0)));
	R(s3k_cap_derive(5, 7, s3k_mk_socket(1, S3K_IPC_NOYIELD, S3K_IPC_CDATA, 0)));
	R(s3k_cap_derive(6, 11, s3k_mk_socket(0, S3K_IPC_YIELD, S3K_IPC_SDATA | S3K_IPC_CDATA | S3K_IPC_CCAP, 0)));
	R(s3k_cap_derive(6, 11, s3k_mk_socket(1, S3K_IPC_YIELD, S3K_IPC_SDATA | S3K_IPC_CDATA | S3K_IPC_CCAP, 7)));
	R(s3k_cap_derive(6, 11, s3k_mk_socket(0, S3K_IPC_NOYIELD, S3K_IPC_SDATA | S3K_IPC_CDATA | S3K_IPC_CCAP, 7)));
	R(s3k_cap_derive(6, 11, s3k_mk_socket(0, S3K_IPC_YIELD, S3K_IPC_SDATA, 7)));
	R(s3k_cap_derive(6, 11, s3k_mk_socket(0, S3K_IPC_YIELD, S3K_IPC_SDATA | S3K_IPC_CDATA | S3K_IPC_CCAP, 7)));
	R(s3k_cap_derive(6, 12, s3k_mk_socket(0, S3K_IPC_YIELD, S3K_IPC_SDATA | S3K_IPC_CDATA | S3K_IPC_CCAP, 8)));
	R(s3k_cap_derive(11, 13, s3k_mk_socket(0, S3K_IPC_YIELD, S3K_IPC_SDATA | S3K_IPC_CDATA | S3K_IPC_CCAP, 9)));
	R(s3k_cap_derive(6, 13, s3k_mk_channel(0, 1)));
	// No server waits: a client's send and call find no receiver, a server's reply no client.
	R(s3k_sock_send(11, &msg));
	R(s3k_sock_sendrecv(11, &msg).err);
	R(s3k_sock_send(6, &msg));
	// A client that has no call pending has nothing to wait for.
	R(s3k_sock_recv(11, 14).err);
	// Capabilities: a client may send one only with CCAP, a server only with SCAP; a receiver with CCAP
	// needs its buffer slot free.
	s3k_msg_t with_cap = {.cap_idx = 14, .send_cap = true, .data = {5, 6, 7, 8}};
	R(s3k_sock_send(6, &with_cap));
	R(s3k_sock_sendrecv(6, &with_cap).err);
	R(s3k_sock_send(11, &with_cap));
	R(s3k_sock_recv(11, RAM_MEM).err);
	R(s3k_sock_sendrecv(7, &with_cap).err);
	// Revoking a server socket deletes its clients; revoking the channel, every socket on it.
	R(s3k_cap_revoke(6));
	R(s3k_cap_derive(6, 11, s3k_mk_socket(0, S3K_IPC_YIELD, S3K_IPC_SDATA | S3K_IPC_CDATA | S3K_IPC_CCAP, 3)));
	R(s3k_cap_revoke(11));
	R(s3k_cap_revoke(5));
	R(s3k_cap_revoke(CHANNEL));
}

int main(void)
{
	setup_uart(10);
	say("== syscalls: every system call with valid and invalid arguments, from pid 0 ==");
	show_all_caps();
	info_and_registers();
	read_move_delete();
	derive_time();
	derive_memory();
	pmp();
	monitor();
	sockets();
	say("-- the whole table at the end --");
	show_all_caps();
	// An index whose low 16 bits pass the check reaches the table whole: the kernel's assertion.
	RAW(7, 0x10000 + 5, 0, 0, 0, 0, 0, 0, 0);
	say("not printed: the kernel stopped");
	return 0;
}
