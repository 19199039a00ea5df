// epoll_events: epoll on pipes and eventfds (level-triggered, edge-triggered, one-shot, MOD/DEL, the error
// cases of epoll_ctl, a waiter woken by another thread, epoll_pwait with a signal mask), eventfd counters and
// semaphores, timerfd one-shot and periodic timers in virtual time, and an epoll set inside another.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static const char *err(int r) {
    if (r >= 0) return "ok";
    switch (errno) {
    case EEXIST: return "EEXIST";
    case ENOENT: return "ENOENT";
    case EPERM: return "EPERM";
    case EINVAL: return "EINVAL";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case EINTR: return "EINTR";
    default: return "other";
    }
}

static int wfd;
static void *late_writer(void *arg) {
    usleep(40000);
    write(wfd, arg, strlen(arg));
    return NULL;
}

static int efd;
static void *late_eventfd(void *arg) {
    (void)arg;
    usleep(40000);
    eventfd_write(efd, 7);
    return NULL;
}

static volatile int handled;
static void on_usr1(int sig) { (void)sig; handled++; }
static pthread_t main_thread;
static void *late_signal(void *arg) {
    (void)arg;
    usleep(40000);
    pthread_kill(main_thread, SIGUSR1);
    return NULL;
}

static void show(const char *what, int n, struct epoll_event *ev) {
    printf("%s: %d", what, n);
    for (int i = 0; i < n; i++) printf(" [data %llu events %#x]", (unsigned long long)ev[i].data.u64, ev[i].events);
    printf("\n");
}

int main(void) {
    struct epoll_event ev, out[8];
    int ep = epoll_create1(EPOLL_CLOEXEC);
    printf("epoll_create1: %s, cloexec %d\n", err(ep), (fcntl(ep, F_GETFD) & FD_CLOEXEC) != 0);
    printf("epoll_create1(bad flags): %s\n", err(epoll_create1(1)));
    int p[2];
    pipe(p);
    ev.events = EPOLLIN;
    ev.data.u64 = 100;
    printf("add read end: %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev)));
    printf("add again: %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev)));
    printf("mod missing: %s\n", err(epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev)));
    printf("del missing: %s\n", err(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], &ev)));
    printf("add itself: %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev)));
    printf("add closed fd: %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, 99, &ev)));
    printf("ctl on a pipe: %s\n", err(epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &ev)));
    int f = open("/tmp/epoll_events.tmp", O_CREAT | O_RDWR | O_TRUNC, 0600);
    printf("add regular file: %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, f, &ev)));
    close(f);
    unlink("/tmp/epoll_events.tmp");
    printf("bad op: %s\n", err(epoll_ctl(ep, 7, p[0], &ev)));
    printf("maxevents 0: %s\n", err(epoll_wait(ep, out, 0, 0)));

    int n = epoll_wait(ep, out, 8, 0);
    show("empty pipe", n, out);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    n = epoll_wait(ep, out, 8, 25);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    printf("timeout 25ms: %d, waited at least 25ms: %s\n", n, ms >= 25 ? "yes" : "no");

    write(p[1], "xy", 2);
    n = epoll_wait(ep, out, 8, -1);
    show("level-triggered after write", n, out);
    n = epoll_wait(ep, out, 8, -1);
    show("level-triggered again (not read)", n, out);
    char buf[64];
    read(p[0], buf, sizeof buf);
    n = epoll_wait(ep, out, 8, 0);
    show("after read", n, out);

    // edge-triggered: one report per write
    ev.events = EPOLLIN | EPOLLET;
    ev.data.u64 = 200;
    printf("mod to edge-triggered: %s\n", err(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev)));
    write(p[1], "a", 1);
    n = epoll_wait(ep, out, 8, 0);
    show("edge after write", n, out);
    n = epoll_wait(ep, out, 8, 20);
    show("edge again, nothing new", n, out);
    read(p[0], buf, sizeof buf);

    // one-shot: reported once, then disabled until MOD
    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.u64 = 300;
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    write(p[1], "b", 1);
    n = epoll_wait(ep, out, 8, 0);
    show("one-shot", n, out);
    n = epoll_wait(ep, out, 8, 0);
    show("one-shot disabled", n, out);
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    n = epoll_wait(ep, out, 8, 0);
    show("one-shot re-armed", n, out);
    read(p[0], buf, sizeof buf);

    // a waiter woken by another thread
    ev.events = EPOLLIN;
    ev.data.u64 = 400;
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    wfd = p[1];
    pthread_t t;
    pthread_create(&t, NULL, late_writer, "late");
    n = epoll_wait(ep, out, 8, 5000);
    show("woken by a writer thread", n, out);
    pthread_join(t, NULL);
    n = read(p[0], buf, sizeof buf);
    printf("read %.*s\n", n, buf);

    // eventfd in the set, woken by another thread
    efd = eventfd(0, 0);
    ev.events = EPOLLIN;
    ev.data.u64 = 500;
    epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
    pthread_create(&t, NULL, late_eventfd, NULL);
    n = epoll_wait(ep, out, 8, 5000);
    show("eventfd written by a thread", n, out);
    pthread_join(t, NULL);
    eventfd_t value;
    eventfd_read(efd, &value);
    printf("eventfd read %llu\n", (unsigned long long)value);
    printf("del eventfd: %s\n", err(epoll_ctl(ep, EPOLL_CTL_DEL, efd, NULL)));

    // hang-up and error reported without being asked for
    close(p[1]);
    n = epoll_wait(ep, out, 8, 0);
    show("writer closed", n, out);
    epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL);
    int q[2];
    pipe(q);
    ev.events = 0;
    ev.data.u64 = 600;
    epoll_ctl(ep, EPOLL_CTL_ADD, q[1], &ev);
    close(q[0]);
    n = epoll_wait(ep, out, 8, 0);
    show("reader closed, no events asked", n, out);
    epoll_ctl(ep, EPOLL_CTL_DEL, q[1], NULL);
    close(q[1]);
    close(p[0]);

    // a closed file leaves the set
    int r[2];
    pipe(r);
    ev.events = EPOLLIN;
    ev.data.u64 = 700;
    epoll_ctl(ep, EPOLL_CTL_ADD, r[0], &ev);
    write(r[1], "z", 1);
    close(r[0]);
    n = epoll_wait(ep, out, 8, 0);
    show("closed file left the set", n, out);
    close(r[1]);

    // eventfd semantics
    int e = eventfd(5, EFD_NONBLOCK | EFD_SEMAPHORE);
    for (int i = 0; i < 6; i++) {
        int rr = eventfd_read(e, &value);
        printf("semaphore read %d: %s %llu\n", i, err(rr), rr == 0 ? (unsigned long long)value : 0ULL);
    }
    close(e);
    e = eventfd(0, EFD_NONBLOCK);
    eventfd_write(e, 2);
    eventfd_write(e, 3);
    int rr = eventfd_read(e, &value);
    printf("counter read: %s %llu\n", err(rr), (unsigned long long)value);
    printf("empty counter: %s\n", err(eventfd_read(e, &value)));
    printf("write of all ones: %s\n", err(eventfd_write(e, UINT64_MAX)));
    printf("short read: %s\n", err((int)read(e, buf, 4)));
    eventfd_write(e, 0xfffffffffffffffeULL);
    printf("write past the maximum: %s\n", err(eventfd_write(e, 1)));
    close(e);

    // timerfd
    int tf = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec its = {{0, 0}, {0, 30000000}};
    timerfd_settime(tf, 0, &its, NULL);
    uint64_t expirations;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    read(tf, &expirations, 8);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    printf("one-shot timer: %llu expiration, waited at least 25ms: %s\n", (unsigned long long)expirations, ms >= 25 ? "yes" : "no");
    struct itimerspec cur;
    timerfd_gettime(tf, &cur);
    printf("disarmed: %ld %ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
    struct itimerspec periodic = {{0, 10000000}, {0, 10000000}};
    timerfd_settime(tf, 0, &periodic, NULL);
    ev.events = EPOLLIN;
    ev.data.u64 = 800;
    epoll_ctl(ep, EPOLL_CTL_ADD, tf, &ev);
    n = epoll_wait(ep, out, 8, 1000);
    show("periodic timer in epoll", n, out);
    usleep(55000);
    read(tf, &expirations, 8);
    printf("periodic timer after 55ms more: at least 5 expirations: %s\n", expirations >= 5 ? "yes" : "no");
    timerfd_gettime(tf, &cur);
    printf("interval %ld ns\n", cur.it_interval.tv_nsec);
    struct itimerspec off = {{0, 0}, {0, 0}};
    timerfd_settime(tf, 0, &off, NULL);
    int nb = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
    printf("unarmed non-blocking timer: %s\n", err((int)read(nb, &expirations, 8)));
    printf("timerfd bad clock: %s\n", err(timerfd_create(99, 0)));
    close(nb);
    epoll_ctl(ep, EPOLL_CTL_DEL, tf, NULL);
    close(tf);

    // nested: an epoll set is readable when one of its items is ready
    int inner = epoll_create1(0);
    int s[2];
    pipe(s);
    ev.events = EPOLLIN;
    ev.data.u64 = 900;
    epoll_ctl(inner, EPOLL_CTL_ADD, s[0], &ev);
    ev.data.u64 = 901;
    epoll_ctl(ep, EPOLL_CTL_ADD, inner, &ev);
    n = epoll_wait(ep, out, 8, 0);
    show("nested, nothing ready", n, out);
    write(s[1], "n", 1);
    n = epoll_wait(ep, out, 8, 0);
    show("nested, inner ready", n, out);

    // epoll_pwait lets a blocked signal in for the wait only
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
    read(s[0], buf, 1);
    pthread_create(&t, NULL, late_signal, NULL);
    n = epoll_pwait(ep, out, 8, -1, &empty);
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("epoll_pwait interrupted: %s, handler ran %d, blocked again: %d\n", err(n), handled, sigismember(&now, SIGUSR1));
    pthread_join(t, NULL);
    return 0;
}
