// signal_restart: a thread blocked in read() on a pipe gets a signal. With a handler installed with
// SA_RESTART the read resumes and returns the data written later; without it the read fails with EINTR.
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int fds[2];
static volatile int handled;
static volatile int reader_waiting;

static void on_usr1(int sig) { (void)sig; handled++; }

static void *reader(void *arg) {
    char buf[32] = {0};
    reader_waiting = 1;
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    static char result[64];
    if (n < 0) snprintf(result, sizeof result, "read failed: %s", errno == EINTR ? "EINTR" : "other");
    else snprintf(result, sizeof result, "read %zd bytes: %s", n, buf);
    (void)arg;
    return result;
}

static void trial(int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = flags;
    sigaction(SIGUSR1, &sa, NULL);
    pipe(fds);
    reader_waiting = 0;
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    while (!reader_waiting) sched_yield();
    usleep(20000); /* let the reader block in read() */
    pthread_kill(t, SIGUSR1);
    usleep(20000);
    write(fds[1], "data", 4);
    void *result;
    pthread_join(t, &result);
    printf("%s: %s (handler ran %d)\n", flags & SA_RESTART ? "SA_RESTART" : "no SA_RESTART", (char *)result, handled);
    close(fds[0]);
    close(fds[1]);
}

int main(void) {
    trial(SA_RESTART);
    trial(0);
    return 0;
}
