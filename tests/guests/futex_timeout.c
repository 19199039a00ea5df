// futex_timeout: timed waits expire in (virtual) time: pthread_cond_timedwait (FUTEX_WAIT_BITSET with
// an absolute CLOCK_REALTIME deadline), a raw FUTEX_WAIT with a relative timeout, and sem_timedwait.
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static struct timespec in_ms(long ms) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_nsec += ms * 1000000L;
    t.tv_sec += t.tv_nsec / 1000000000L;
    t.tv_nsec %= 1000000000L;
    return t;
}

int main(void) {
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    double start = now(CLOCK_MONOTONIC);
    pthread_mutex_lock(&m);
    struct timespec deadline = in_ms(200);
    int r = pthread_cond_timedwait(&c, &m, &deadline);
    pthread_mutex_unlock(&m);
    double waited = now(CLOCK_MONOTONIC) - start;
    printf("cond_timedwait: %s, waited at least 0.2 s: %d\n", r == ETIMEDOUT ? "ETIMEDOUT" : "other", waited >= 0.2);

    int word = 0;
    struct timespec rel = {0, 50000000};
    start = now(CLOCK_MONOTONIC);
    long f = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0);
    waited = now(CLOCK_MONOTONIC) - start;
    printf("futex wait: %ld %s, waited at least 0.05 s: %d\n", f, f == -1 && errno == ETIMEDOUT ? "ETIMEDOUT" : "other", waited >= 0.05);
    f = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, &rel, NULL, 0);
    printf("futex wait on a changed value: %s\n", f == -1 && errno == EAGAIN ? "EAGAIN" : "other");

    sem_t s;
    sem_init(&s, 0, 0);
    deadline = in_ms(100);
    int sr = sem_timedwait(&s, &deadline);
    printf("sem_timedwait: %s\n", sr == -1 && errno == ETIMEDOUT ? "ETIMEDOUT" : "other");
    return 0;
}
