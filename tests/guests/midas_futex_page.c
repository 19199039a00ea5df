// A futex word shares its page with data another thread keeps writing while the waiter sleeps. Under a
// TOCTTOU protection, a FUTEX_WAIT that took a snapshot of its page would stay keyed to the old frame
// while the writes move the page to a new version, and the FUTEX_WAKE on the new frame would miss it:
// a lost wake-up. futex must read live memory (Midas exempts it); this guest must finish every round.
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ROUNDS 200

static struct {
    _Atomic int word;
    volatile long scribble[64];
} shared __attribute__((aligned(4096)));

static long futex(_Atomic int *addr, int op, int val) {
    return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

static void *waker(void *arg) {
    (void)arg;
    for (int round = 1; round <= ROUNDS; round++) {
        // Wait until the main thread is (probably) asleep on round-1, dirtying the page meanwhile.
        for (int i = 0; i < 200; i++) shared.scribble[i % 64] += round;
        atomic_store(&shared.word, round);
        futex(&shared.word, FUTEX_WAKE_PRIVATE, 1);
        while (atomic_load(&shared.word) != -round) shared.scribble[round % 64]++;
    }
    return NULL;
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, waker, NULL);
    int woken = 0;
    for (int round = 1; round <= ROUNDS; round++) {
        while (atomic_load(&shared.word) != round) futex(&shared.word, FUTEX_WAIT_PRIVATE, atomic_load(&shared.word));
        woken++;
        atomic_store(&shared.word, -round);
    }
    pthread_join(t, NULL);
    printf("finished %d rounds\n", woken);
    return 0;
}
