/* Helpers shared by the password lab's guests: pipes as one-word channels, virtual time, and the
 * attack verdict lines the tests and `bulwark eval` read. */
#ifndef PWD_LAB_COMMON_H
#define PWD_LAB_COMMON_H
#define _GNU_SOURCE
#include <bulwark/pwd.h>
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *const mode_names[] = { "none", "statistical", "password", "password-table", "fallback" };

static inline void die(const char *what)
{
    printf("error: %s (errno %d)\n", what, errno);
    fflush(stdout);
    _exit(2);
}

static inline void send_bytes(int fd, const void *p, size_t n) { if (write(fd, p, n) != (ssize_t)n) die("pipe write"); }
static inline void recv_bytes(int fd, void *p, size_t n)
{
    for (size_t got = 0; got < n;) {
        ssize_t r = read(fd, (char *)p + got, n - got);
        if (r <= 0) die("pipe read");
        got += (size_t)r;
    }
}
static inline void send_u64(int fd, uint64_t v) { send_bytes(fd, &v, sizeof v); }
static inline uint64_t recv_u64(int fd) { uint64_t v; recv_bytes(fd, &v, sizeof v); return v; }

static inline uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* A fixed pseudo-random sequence (xorshift64*), so every mode sees the same guesses for one seed. */
static inline uint64_t next_random(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1Dull;
}

static inline void wait_child(pid_t pid)
{
    int status;
    if (waitpid(pid, &status, 0) != pid) die("waitpid");
}

/* The SIGSEGV a probe or a victim catches: si_code and si_addr, then back to the saved context. */
static sigjmp_buf probe_env;
static volatile int last_code;
static volatile uintptr_t last_addr;

static void on_segv(int sig, siginfo_t *info, void *uc)
{
    (void)sig;
    (void)uc;
    last_code = info->si_code;
    last_addr = (uintptr_t)info->si_addr;
    siglongjmp(probe_env, 1);
}

static inline void catch_segv(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
}

#endif
