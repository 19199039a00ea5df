// pause_suspend: pause() (ppoll with no files on riscv64) and sigsuspend block until a signal arrives;
// sigsuspend's mask holds only during the wait; sigwait/sigtimedwait take a blocked signal without its
// handler and time out in virtual time; idle threads parked in pause() cost nothing and end with the process.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int handled, last;
static void on_signal(int sig) { handled++; last = sig; }

static pthread_t main_thread;
static void *late_signal(void *arg) {
    usleep(30000);
    pthread_kill(main_thread, (int)(long)arg);
    return NULL;
}

static void *parked(void *arg) {
    (void)arg;
    for (;;) pause();
    return NULL;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    main_thread = pthread_self();

    pthread_t t;
    pthread_create(&t, NULL, late_signal, (void *)(long)SIGUSR1);
    int r = pause();
    printf("pause: %d %s, handler ran %d for signal %d\n", r, errno == EINTR ? "EINTR" : "?", handled, last);
    pthread_join(t, NULL);

    // the classic race-free wait: block, check, sigsuspend with the signal unblocked
    sigset_t block, old, wait_mask, now;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, &old);
    pthread_create(&t, NULL, late_signal, (void *)(long)SIGUSR2);
    wait_mask = old;
    r = sigsuspend(&wait_mask);
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("sigsuspend: %d %s, handler ran %d for signal %d, SIGUSR2 blocked again: %d\n", r, errno == EINTR ? "EINTR" : "?", handled, last,
           sigismember(&now, SIGUSR2));
    pthread_join(t, NULL);

    // a signal blocked by sigsuspend's own mask waits; the one it lets in ends the wait
    sigset_t only_usr1;
    sigfillset(&only_usr1);
    sigdelset(&only_usr1, SIGUSR1);
    raise(SIGUSR2); /* pending, blocked */
    pthread_create(&t, NULL, late_signal, (void *)(long)SIGUSR1);
    r = sigsuspend(&only_usr1);
    printf("sigsuspend letting only SIGUSR1 in: handler ran %d, last %d\n", handled, last);
    pthread_join(t, NULL);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("SIGUSR2 delivered on unblock: handler ran %d, last %d\n", handled, last);

    // sigwait and sigtimedwait
    sigprocmask(SIG_BLOCK, &block, NULL);
    pthread_create(&t, NULL, late_signal, (void *)(long)SIGUSR2);
    int sig = 0;
    r = sigwait(&block, &sig);
    printf("sigwait: %d, signal %d, handler ran %d\n", r, sig, handled);
    pthread_join(t, NULL);
    struct timespec timeout = {0, 20000000};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r = sigtimedwait(&block, NULL, &timeout);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    printf("sigtimedwait: %d %s, waited at least 20ms: %s\n", r, errno == EAGAIN ? "EAGAIN" : "?", ms >= 20 ? "yes" : "no");
    raise(SIGUSR2);
    siginfo_t info;
    r = sigwaitinfo(&block, &info);
    printf("sigwaitinfo of a pending signal: %d, si_signo %d, si_code %d\n", r, info.si_signo, info.si_code);

    // a child waits in pause until its parent's SIGTERM kills it
    pid_t child = fork();
    if (child == 0) {
        for (;;) pause();
    }
    usleep(20000);
    kill(child, SIGTERM);
    int status;
    waitpid(child, &status, 0);
    printf("child in pause killed by signal %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : -1);

    // idle threads in pause() end with the process
    for (int i = 0; i < 50; i++) pthread_create(&t, NULL, parked, NULL);
    usleep(10000);
    printf("50 threads parked in pause(); exiting\n");
    fflush(stdout);
    return 0;
}
