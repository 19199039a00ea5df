// poll_wait: waiting on many files with poll, ppoll, select and pselect: pipes, /dev/null stdin, a regular
// file, an eventfd; timeouts (in virtual time under Bulwark), POLLHUP/POLLNVAL, a writer thread that wakes a
// blocked poller, signal masks that let a signal in only during the wait (EINTR even with SA_RESTART, the
// handler runs once, the old mask is back afterwards).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static volatile int handled;
static void on_usr1(int sig) { (void)sig; handled++; }

static long elapsed_ms(struct timespec a) {
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
}

static int wfd;
static void *late_writer(void *arg) {
    usleep(50000);
    write(wfd, arg, strlen(arg));
    return NULL;
}

static pthread_t main_thread;
static void *late_signal(void *arg) {
    (void)arg;
    usleep(50000);
    pthread_kill(main_thread, SIGUSR1);
    return NULL;
}

int main(void) {
    int p[2];
    pipe(p);
    struct pollfd fds[3] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {-1, POLLIN, 0}};
    int n = poll(fds, 3, 0);
    printf("empty pipe: %d ready, read end %#x, write end %#x, negative fd %#x\n", n, fds[0].revents, fds[1].revents, fds[2].revents);

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    n = poll(fds, 1, 30);
    long ms = elapsed_ms(t0);
    printf("poll timeout 30ms: %d ready, waited at least 30ms: %s\n", n, ms >= 30 ? "yes" : "no");

    write(p[1], "abc", 3);
    n = poll(fds, 2, -1);
    printf("after write: %d ready, read end %#x\n", n, fds[0].revents);
    char buf[64];
    read(p[0], buf, sizeof buf);

    // a blocked poller is woken by a write from another thread
    wfd = p[1];
    pthread_t t;
    pthread_create(&t, NULL, late_writer, "hello");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    n = poll(fds, 1, 5000);
    ms = elapsed_ms(t0);
    printf("woken by writer: %d ready, revents %#x, before timeout: %s\n", n, fds[0].revents, ms < 5000 ? "yes" : "no");
    pthread_join(t, NULL);
    n = read(p[0], buf, sizeof buf);
    printf("read %d: %.*s\n", n, n, buf);

    close(p[1]);
    n = poll(fds, 1, -1);
    printf("writer closed: %d ready, revents %#x\n", n, fds[0].revents);

    int q[2];
    pipe(q);
    close(q[0]);
    struct pollfd w = {q[1], POLLOUT, 0};
    n = poll(&w, 1, 0);
    printf("reader closed: %d ready, revents %#x\n", n, w.revents);
    close(q[1]);

    struct pollfd bad = {99, POLLIN, 0};
    n = poll(&bad, 1, 0);
    printf("closed fd: %d ready, revents %#x\n", n, bad.revents);

    struct pollfd in = {0, POLLIN, 0};
    n = poll(&in, 1, 0);
    printf("stdin (/dev/null): %d ready, revents %#x\n", n, in.revents);

    int f = open("/tmp/poll_wait.tmp", O_CREAT | O_RDWR | O_TRUNC, 0600);
    struct pollfd reg = {f, POLLIN | POLLOUT, 0};
    n = poll(&reg, 1, 0);
    printf("regular file: %d ready, revents %#x\n", n, reg.revents);
    close(f);
    unlink("/tmp/poll_wait.tmp");

    int e = eventfd(0, EFD_NONBLOCK);
    struct pollfd ev = {e, POLLIN | POLLOUT, 0};
    poll(&ev, 1, 0);
    printf("eventfd 0: revents %#x\n", ev.revents);
    eventfd_write(e, 3);
    poll(&ev, 1, 0);
    printf("eventfd 3: revents %#x\n", ev.revents);
    close(e);

    // select
    int r[2];
    pipe(r);
    fd_set rs, ws;
    FD_ZERO(&rs); FD_ZERO(&ws);
    FD_SET(r[0], &rs); FD_SET(r[1], &ws);
    struct timeval tv = {0, 20000};
    n = select(r[1] + 1, &rs, &ws, NULL, &tv);
    printf("select empty pipe: %d ready, read set %d, write set %d\n", n, FD_ISSET(r[0], &rs), FD_ISSET(r[1], &ws));
    FD_ZERO(&rs);
    FD_SET(r[0], &rs);
    tv.tv_sec = 0; tv.tv_usec = 20000;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    n = select(r[0] + 1, &rs, NULL, NULL, &tv);
    ms = elapsed_ms(t0);
    printf("select timeout 20ms: %d ready, waited at least 20ms: %s, timeval left %ld.%06ld\n", n, ms >= 20 ? "yes" : "no", (long)tv.tv_sec, (long)tv.tv_usec);
    wfd = r[1];
    pthread_create(&t, NULL, late_writer, "select");
    FD_ZERO(&rs);
    FD_SET(r[0], &rs);
    n = select(r[0] + 1, &rs, NULL, NULL, NULL);
    printf("select woken by writer: %d ready, read set %d\n", n, FD_ISSET(r[0], &rs));
    pthread_join(t, NULL);
    FD_ZERO(&rs);
    FD_SET(77, &rs);
    n = select(78, &rs, NULL, NULL, NULL);
    printf("select of a closed fd: %d %s\n", n, n < 0 && errno == EBADF ? "EBADF" : "?");

    // signal masks: SIGUSR1 blocked, let in only while waiting
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t block, empty, now;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &block, NULL);
    main_thread = pthread_self();
    pthread_create(&t, NULL, late_signal, NULL);
    FD_ZERO(&rs);
    FD_SET(r[0], &rs);
    char drain[16];
    read(r[0], drain, sizeof drain);
    n = pselect(r[0] + 1, &rs, NULL, NULL, NULL, &empty);
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("pselect interrupted: %d %s, handler ran %d, SIGUSR1 blocked again: %d\n", n, n < 0 && errno == EINTR ? "EINTR" : "?", handled, sigismember(&now, SIGUSR1));
    pthread_join(t, NULL);

    pthread_create(&t, NULL, late_signal, NULL);
    struct pollfd pr = {r[0], POLLIN, 0};
    n = ppoll(&pr, 1, NULL, &empty);
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("ppoll interrupted: %d %s, handler ran %d, SIGUSR1 blocked again: %d\n", n, n < 0 && errno == EINTR ? "EINTR" : "?", handled, sigismember(&now, SIGUSR1));
    pthread_join(t, NULL);

    // a signal that stays blocked during the wait does not interrupt it
    pthread_create(&t, NULL, late_signal, NULL);
    struct timespec ts = {0, 150000000};
    n = ppoll(&pr, 1, &ts, &block);
    printf("ppoll with SIGUSR1 blocked: %d (timeout), handler ran %d\n", n, handled);
    pthread_join(t, NULL);
    sigset_t pending;
    sigpending(&pending);
    printf("SIGUSR1 pending: %d\n", sigismember(&pending, SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("after unblocking, handler ran %d\n", handled);
    return 0;
}
