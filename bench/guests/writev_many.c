// writev_many: one writev() of 64 small pieces (16 bytes each, 64 bytes apart in a 4 KiB buffer)
// per iteration: a system call that fetches a user array of iovecs and then many separate pieces
// of user memory.
//   mode 0: to /dev/null (the kernel still validates and walks the iovec array).
//   mode 1: to a pipe, drained by a second thread (each piece is really copied).
// LMbench counterpart: lat_syscall write (to /dev/null), with a scatter-gather payload.
// Usage: writev_many.elf [ITERATIONS] [MODE]   (defaults 10000, 0)
// check = bytes writev() reported (mode 0) / bytes the draining thread received (mode 1).
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>

#define PIECES 64
#define PIECE 16
#define STRIDE 64

static unsigned char buf[PIECES * STRIDE];
static int fds[2];

static void *drain(void *arg) {
    (void)arg;
    static unsigned char sink[65536];
    uint64_t total = 0;
    ssize_t n;
    while ((n = read(fds[0], sink, sizeof sink)) > 0) total += (uint64_t)n;
    return (void *)(uintptr_t)total;
}

int main(int argc, char **argv) {
    long iterations = argc > 1 ? atol(argv[1]) : 10000;
    int mode = argc > 2 ? atoi(argv[2]) : 0;
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)i;
    struct iovec iov[PIECES];
    for (int i = 0; i < PIECES; i++) iov[i] = (struct iovec){buf + i * STRIDE, PIECE};
    pthread_t t;
    int fd;
    if (mode == 1) {
        if (pipe(fds) != 0) { perror("pipe"); return 1; }
        pthread_create(&t, NULL, drain, NULL);
        fd = fds[1];
    } else {
        fd = open("/dev/null", O_WRONLY);
        if (fd < 0) { perror("open /dev/null"); return 1; }
    }
    uint64_t written = 0;
    for (long i = 0; i < iterations; i++) {
        ssize_t n = writev(fd, iov, PIECES);
        /* 1024 bytes <= PIPE_BUF: a blocking pipe write of that size is never partial. */
        if (n != PIECES * PIECE) { perror("writev"); return 1; }
        written += (uint64_t)n;
    }
    uint64_t check = written;
    if (mode == 1) {
        close(fds[1]);
        void *received;
        pthread_join(t, &received);
        check = (uint64_t)(uintptr_t)received;
    } else {
        close(fd);
    }
    printf("writev_many iterations=%ld mode=%d check=%llu\n", iterations, mode,
           (unsigned long long)check);
    return 0;
}
