// A user trap handler for programs that may lose memory while they use it (a revoked PMP capability): an
// access fault is counted and the faulting instruction skipped, whatever its length (compressed or not).
#pragma once
#include "s3k/s3k.h"

static volatile uint64_t *fault_counter;
static char fault_stack[1024];

void fault_handler(void) __attribute__((interrupt("machine")));
void fault_handler(void)
{
	uint64_t epc = s3k_reg_read(S3K_REG_EPC);
	uint16_t insn = *(volatile uint16_t *)epc;
	if (fault_counter)
		(*fault_counter)++;
	s3k_reg_write(S3K_REG_EPC, epc + ((insn & 3) == 3 ? 4 : 2));
}

static void setup_fault_handler(volatile uint64_t *counter)
{
	fault_counter = counter;
	s3k_reg_write(S3K_REG_TPC, (uint64_t)fault_handler);
	s3k_reg_write(S3K_REG_TSP, (uint64_t)fault_stack + sizeof(fault_stack));
}
