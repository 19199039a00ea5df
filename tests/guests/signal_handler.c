// signal_handler: sigaction handlers for SIGUSR1 (raise, return normally, flag seen), SA_SIGINFO data, sigprocmask blocking/pending, and a SIGSEGV handler that write()s and _exit(3)s.
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>

static volatile sig_atomic_t usr1_count, usr2_signo, usr2_code_is_user;
static void *volatile fault_addr_seen;

static void on_usr1(int sig) { (void)sig; usr1_count++; }

static void on_usr2(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    usr2_signo = si->si_signo;
    usr2_code_is_user = si->si_code == SI_USER || si->si_code == SI_TKILL;
    (void)sig;
}

static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    static const char msg[] = "caught SIGSEGV, exiting with 3\n";
    write(1, msg, sizeof msg - 1);
    if (sig == SIGSEGV && si->si_addr == (void *)16) write(1, "fault address ok\n", 17);
    _exit(3);
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGUSR1, &sa, NULL) != 0) { perror("sigaction"); return 1; }
    raise(SIGUSR1);
    printf("after raise: usr1_count=%d\n", (int)usr1_count);
    kill(getpid(), SIGUSR1);
    printf("after kill: usr1_count=%d\n", (int)usr1_count);

    struct sigaction sa2;
    memset(&sa2, 0, sizeof sa2);
    sa2.sa_sigaction = on_usr2;
    sa2.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa2, NULL);
    raise(SIGUSR2);
    printf("siginfo: signo=%d user-code=%d\n", (int)usr2_signo, (int)usr2_code_is_user);

    /* Blocked signal stays pending until unblocked. */
    sigset_t set, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR1);
    sigpending(&pend);
    printf("blocked: usr1_count=%d pending=%d\n", (int)usr1_count, sigismember(&pend, SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    printf("unblocked: usr1_count=%d\n", (int)usr1_count);

    /* Ignored signal does nothing. */
    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    struct sigaction old;
    sigaction(SIGUSR1, NULL, &old);
    printf("ignored SIGUSR2 survived; old handler is on_usr1=%d\n", old.sa_handler == on_usr1);

    struct sigaction sv;
    memset(&sv, 0, sizeof sv);
    sv.sa_sigaction = on_segv;
    sv.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sv, NULL);
    printf("about to fault\n");
    fflush(stdout);
    volatile int *volatile p = (volatile int *)16;
    *p = 1;
    printf("unreachable\n");
    return 0;
}
