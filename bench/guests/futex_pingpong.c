// futex_pingpong: two threads hand a token back and forth through one futex word, calling
// FUTEX_WAIT / FUTEX_WAKE directly with syscall(SYS_futex). One iteration = one round trip
// (main -> partner -> main). A waiter only sleeps when the token is not yet its own, so the number
// of real sleeps depends on scheduling, but the hand-offs do not.
// LMbench counterpart: lat_ctx with 2 processes / lat_sem (token passing between two threads).
// Usage: futex_pingpong.elf [ITERATIONS]   (default 10000)
// check = round trips the partner thread counted (equals ITERATIONS).
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static long iterations;
static int token; /* 0: main's turn, 1: partner's turn */

static long futex(int *addr, int op, int val) {
    return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

/* Wait until the token equals `want`. */
static void wait_for(int want) {
    int v;
    while ((v = __atomic_load_n(&token, __ATOMIC_ACQUIRE)) != want)
        futex(&token, FUTEX_WAIT_PRIVATE, v);
}

static void pass_to(int next) {
    __atomic_store_n(&token, next, __ATOMIC_RELEASE);
    futex(&token, FUTEX_WAKE_PRIVATE, 1);
}

static void *partner(void *arg) {
    (void)arg;
    long count = 0;
    for (long i = 0; i < iterations; i++) {
        wait_for(1);
        count++;
        pass_to(0);
    }
    return (void *)count;
}

int main(int argc, char **argv) {
    iterations = argc > 1 ? atol(argv[1]) : 10000;
    pthread_t t;
    pthread_create(&t, NULL, partner, NULL);
    for (long i = 0; i < iterations; i++) {
        pass_to(1);
        wait_for(0);
    }
    void *count;
    pthread_join(t, &count);
    printf("futex_pingpong iterations=%ld check=%ld\n", iterations, (long)count);
    return 0;
}
