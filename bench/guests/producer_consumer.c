// producer_consumer: the case where Midas must version pages that system calls are reading.
// A shared array holds 8 page-aligned 4 KiB buffers. Two producer threads keep modifying them
// (one word per 64 bytes, buffer after buffer) until the consumers are done; two consumer threads
// each write() buffers from that same array to a pipe, ITERATIONS writes each, while another
// thread drains the pipe. Every write() reads a page a producer may be writing at that moment.
// LMbench counterpart: none directly (closest: bw_pipe with concurrent writers to the source).
// Usage: producer_consumer.elf [ITERATIONS]   (default 1000 writes per consumer)
// check = bytes the draining thread received (2 * ITERATIONS * 4096).
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define NBUF 8
#define BUFSZ 4096

static unsigned char bufs[NBUF][BUFSZ] __attribute__((aligned(4096)));
static long iterations;
static int fds[2];
static int stop;

static void *producer(void *arg) {
    uint64_t id = (uint64_t)(uintptr_t)arg, round = 0;
    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
        for (int b = (int)id; b < NBUF; b += 2) /* producer 0: even buffers, 1: odd ones */
            for (int off = 0; off < BUFSZ; off += 64)
                *(volatile uint64_t *)&bufs[b][off] = round * 1000003u + (uint64_t)off;
        round++;
    }
    return NULL;
}

static void *consumer(void *arg) {
    int id = (int)(uintptr_t)arg;
    for (long i = 0; i < iterations; i++) {
        const unsigned char *b = bufs[(i * 2 + id) % NBUF];
        size_t done = 0;
        while (done < BUFSZ) {
            ssize_t n = write(fds[1], b + done, BUFSZ - done);
            if (n <= 0) { perror("write"); exit(1); }
            done += (size_t)n;
        }
    }
    return NULL;
}

static void *drain(void *arg) {
    (void)arg;
    static unsigned char sink[65536];
    uint64_t total = 0;
    ssize_t n;
    while ((n = read(fds[0], sink, sizeof sink)) > 0) total += (uint64_t)n;
    return (void *)(uintptr_t)total;
}

int main(int argc, char **argv) {
    iterations = argc > 1 ? atol(argv[1]) : 1000;
    if (pipe(fds) != 0) { perror("pipe"); return 1; }
    pthread_t d, p[2], c[2];
    pthread_create(&d, NULL, drain, NULL);
    for (int i = 0; i < 2; i++) pthread_create(&p[i], NULL, producer, (void *)(uintptr_t)i);
    for (int i = 0; i < 2; i++) pthread_create(&c[i], NULL, consumer, (void *)(uintptr_t)i);
    for (int i = 0; i < 2; i++) pthread_join(c[i], NULL);
    __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
    for (int i = 0; i < 2; i++) pthread_join(p[i], NULL);
    close(fds[1]);
    void *received;
    pthread_join(d, &received);
    printf("producer_consumer iterations=%ld check=%llu\n", iterations,
           (unsigned long long)(uintptr_t)received);
    return 0;
}
