/* A password register is the thread's: it survives context switches (other processes use the same
 * register on the same hart meanwhile), a signal whose handler loads it with something else, and fork
 * (the child inherits it). pr3 is loaded once and then only used, never reloaded.
 * Password and password-table modes only (the instructions are illegal elsewhere). */
#include "common.h"

#define VALUE 0x0123456789abcdefull

static volatile int handled;

static void on_usr1(int sig)
{
    (void)sig;
    pwd_t junk = { 0xdeadbeef, 0xfeedface };
    PWD_LOADPWD(3, &junk);
    handled = 1;
}

static int pr3_reads(void *addr)
{
    uint64_t v;
    PWD_FAR_LOAD(3, 3, v, addr);
    return v == VALUE;
}

static int pr3_is(pwd_t expect)
{
    pwd_t now = { 0, 0 };
    PWD_STOREPWD(3, &now);
    return now.lo == expect.lo && now.hi == expect.hi;
}

int main(void)
{
    if (pwd_mode() != PWD_MODE_PASSWORD && pwd_mode() != PWD_MODE_TABLE) {
        printf("pwdregs needs password or password-table mode\n");
        return 1;
    }
    void *addr;
    int seg = pwd_segment_create(4096, PWD_R | PWD_W, &addr);
    if (seg < 0) die("create");
    pwd_t rw = pwd_get(seg, PWD_R | PWD_W);
    far_store_u64(make_far(addr, rw), VALUE);
    /* What storepwd shows: the password itself, or (table mode) the slot address only. */
    pwd_t visible = rw;
    if (pwd_mode() == PWD_MODE_TABLE) visible.hi = 0;
    PWD_LOADPWD(3, &rw);

    /* Context switches: busy children load garbage into pr3 on the same harts while we yield. */
    fflush(stdout);
    pid_t kids[3];
    for (int i = 0; i < 3; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            pwd_t junk = { (uint64_t)i + 1, 0x77 };
            for (int k = 0; k < 2000; k++) {
                PWD_LOADPWD(3, &junk);
                sched_yield();
            }
            _exit(0);
        }
    }
    for (int k = 0; k < 2000; k++) sched_yield();
    for (int i = 0; i < 3; i++) wait_child(kids[i]);
    printf("after context switches: pr3 %s, far load through it %s\n", pr3_is(visible) ? "kept" : "LOST", pr3_reads(addr) ? "works" : "FAILS");

    signal(SIGUSR1, on_usr1);
    kill(getpid(), SIGUSR1);
    printf("after a signal handler that loaded pr3: handler ran %s, pr3 %s, far load %s\n", handled ? "yes" : "no",
           pr3_is(visible) ? "kept" : "LOST", pr3_reads(addr) ? "works" : "FAILS");

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        printf("in a forked child: pr3 %s, far load %s\n", pr3_is(visible) ? "inherited" : "LOST", pr3_reads(addr) ? "works" : "FAILS");
        fflush(stdout);
        _exit(0);
    }
    wait_child(child);
    return 0;
}
