// The victim (pid 2, hart 2): it gets TARGET after the monitor took it from the driver. It counts the old
// bytes it finds there, writes its secret over all of it, and then watches for bytes that change under it.
#include "s3k/s3k.h"
#include "../revoke.h"

int main(void)
{
	volatile uint8_t *t = (volatile uint8_t *)TARGET;
	uint64_t residue = 0;
	for (uint64_t i = 0; i < TARGET_SIZE; i++)
		residue += t[i] != 0;
	MB->residue = residue;
	for (uint64_t i = 0; i < TARGET_SIZE; i++)
		t[i] = VICTIM_BYTE;
	__asm__ volatile("fence" ::: "memory");
	MB->victim_done = 1;
	uint64_t changed = 0;
	while (!MB->stop) {
		uint64_t now = 0;
		for (uint64_t i = 0; i < TARGET_SIZE; i += 8)
			now += *(volatile uint64_t *)(TARGET + i) != 0x5a5a5a5a5a5a5a5aull;
		if (now > changed)
			changed = now;
	}
	MB->changed = changed * 8;
	MB->victim_finished = 1;
	sleep_forever();
}
