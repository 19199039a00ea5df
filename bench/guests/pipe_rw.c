// pipe_rw: moving SIZE bytes through a pipe, one direction, with blocking.
// A writer thread does one write() of SIZE bytes per iteration; the main thread reads until it has
// those SIZE bytes (a read may return less: partial reads are continued), blocking when the pipe is
// empty, while the writer blocks when it is full. Both ends copy user memory in the kernel
// (copy_from_user on write, copy_to_user on read).
// LMbench counterpart: lat_pipe (here with a SIZE-byte payload, one way) and bw_pipe.
// Usage: pipe_rw.elf [ITERATIONS] [SIZE]   (defaults 10000, 64; SIZE at most 1 MiB)
// check = bytes received + a checksum of the iteration stamps the writer puts in each message.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SIZE (1 << 20)

static long iterations;
static size_t size;
static int fds[2];
static unsigned char out_buf[MAX_SIZE], in_buf[MAX_SIZE];

/* The first and last byte of each message carry the iteration number (cheap to stamp, cheap to check). */
static void *writer(void *arg) {
    (void)arg;
    for (long i = 0; i < iterations; i++) {
        out_buf[0] = (unsigned char)i;
        out_buf[size - 1] = (unsigned char)(i * 7 + 1);
        size_t done = 0;
        while (done < size) {
            ssize_t n = write(fds[1], out_buf + done, size - done);
            if (n <= 0) { perror("write"); exit(1); }
            done += (size_t)n;
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    iterations = argc > 1 ? atol(argv[1]) : 10000;
    size = argc > 2 ? (size_t)atol(argv[2]) : 64;
    if (size < 1 || size > MAX_SIZE) { fprintf(stderr, "bad size\n"); return 2; }
    memset(out_buf, 0x5a, size);
    if (pipe(fds) != 0) { perror("pipe"); return 1; }
    pthread_t t;
    pthread_create(&t, NULL, writer, NULL);
    uint64_t bytes = 0, sum = 0;
    for (long i = 0; i < iterations; i++) {
        size_t got = 0;
        while (got < size) {
            ssize_t n = read(fds[0], in_buf + got, size - got);
            if (n <= 0) { perror("read"); return 1; }
            got += (size_t)n;
        }
        bytes += got;
        sum = sum * 31 + in_buf[0] + in_buf[size - 1] + in_buf[size / 2];
    }
    pthread_join(t, NULL);
    printf("pipe_rw iterations=%ld check=%llu:%llu\n", iterations, (unsigned long long)bytes,
           (unsigned long long)sum);
    return 0;
}
