// locks_limits: files as databases use them and the limits a process lives under. fcntl record locks between
// processes (conflicts, F_GETLK naming the holder, F_SETLKW waiting for a release, EDEADLK, release when any
// descriptor of the file closes, ranges split and merged), OFD locks owned by the open file, flock (shared,
// exclusive, LOCK_NB, conversion); ftruncate, fallocate, O_APPEND, O_EXCL, fsync; sigaltstack (a stack overflow
// caught on the alternate stack); getrlimit/setrlimit/prlimit (RLIMIT_NOFILE honoured: EMFILE), getrusage.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define F "/tmp/bulwark-locks"

static const char *err(int r) {
    if (r >= 0) return "ok";
    switch (errno) {
    case EAGAIN: return "EAGAIN";
    case EDEADLK: return "EDEADLK";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EEXIST: return "EEXIST";
    case EMFILE: return "EMFILE";
    case EPERM: return "EPERM";
    case EINTR: return "EINTR";
    default: return strerror(errno);
    }
}

static int lock(int fd, int cmd, short type, off_t start, off_t len) {
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    return fcntl(fd, cmd, &fl);
}

static struct flock query(int fd, int cmd, short type, off_t start, off_t len) {
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    fcntl(fd, cmd, &fl);
    return fl;
}

static const char *tname(short t) { return t == F_RDLCK ? "read" : t == F_WRLCK ? "write" : t == F_UNLCK ? "unlocked" : "?"; }

static int sync_pipe[2], back_pipe[2];
static void signal_parent(void) { write(sync_pipe[1], "x", 1); }
static void wait_child(void) { char c; read(sync_pipe[0], &c, 1); }
static void signal_child(void) { write(back_pipe[1], "x", 1); }
static void wait_parent(void) { char c; read(back_pipe[0], &c, 1); }

static volatile uintptr_t handler_sp;
static char *alt;
static void on_segv(int sig) {
    char here;
    (void)sig;
    handler_sp = (uintptr_t)&here;
    int on_alt = handler_sp >= (uintptr_t)alt && handler_sp < (uintptr_t)alt + 65536;
    char msg[64];
    int n = snprintf(msg, sizeof msg, "overflow caught on the alternate stack: %s\n", on_alt ? "yes" : "no");
    write(1, msg, n);
    _exit(3);
}
static int depth(int n) {
    volatile char pad[512];
    pad[0] = (char)n;
    return n == 0 ? pad[0] : depth(n + 1) + pad[0];
}

int main(void) {
    unlink(F);
    pipe(sync_pipe);
    pipe(back_pipe);
    int fd = open(F, O_CREAT | O_RDWR | O_EXCL, 0644);
    printf("O_EXCL create: %s, again: %s\n", err(fd), err(open(F, O_CREAT | O_RDWR | O_EXCL, 0644)));
    write(fd, "0123456789abcdefghij", 20);
    printf("write lock 0-9: %s\n", err(lock(fd, F_SETLK, F_WRLCK, 0, 10)));
    printf("read lock 10-: %s\n", err(lock(fd, F_SETLK, F_RDLCK, 10, 0)));
    struct flock q = query(fd, F_GETLK, F_WRLCK, 0, 0);
    printf("own locks never conflict: %s\n", tname(q.l_type));
    fflush(stdout);

    pid_t child = fork();
    if (child == 0) {
        int cfd = open(F, O_RDWR);
        struct flock c = query(cfd, F_GETLK, F_WRLCK, 5, 1);
        printf("child: GETLK write at 5: %s %ld+%ld held by parent: %s\n", tname(c.l_type), (long)c.l_start, (long)c.l_len, c.l_pid == getppid() ? "yes" : "no");
        c = query(cfd, F_GETLK, F_RDLCK, 12, 3);
        printf("child: GETLK read at 12: %s\n", tname(c.l_type));
        c = query(cfd, F_GETLK, F_WRLCK, 12, 3);
        printf("child: GETLK write at 12: %s %ld+%ld\n", tname(c.l_type), (long)c.l_start, (long)c.l_len);
        printf("child: SETLK write 0-4: %s\n", err(lock(cfd, F_SETLK, F_WRLCK, 0, 5)));
        printf("child: SETLK read 15-19: %s\n", err(lock(cfd, F_SETLK, F_RDLCK, 15, 5)));
        fflush(stdout);
        signal_parent();
        /* block until the parent unlocks 0-9 */
        int r = lock(cfd, F_SETLKW, F_WRLCK, 2, 3);
        wait_parent(); /* print after the parent did */
        printf("child: SETLKW write 2-4 after the parent's release: %s\n", err(r));
        fflush(stdout);
        signal_parent();
        wait_parent();
        /* deadlock: the child holds 2-4 and waits for 30-39, which the parent holds */
        r = lock(cfd, F_SETLKW, F_WRLCK, 30, 10);
        wait_parent();
        printf("child: SETLKW 30-39 after the parent gave up: %s\n", err(r));
        fflush(stdout);
        _exit(0);
    }
    wait_child();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    usleep(30000);
    printf("parent: unlock 0-9: %s\n", err(lock(fd, F_SETLK, F_UNLCK, 0, 10)));
    fflush(stdout);
    signal_child();
    wait_child();
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("parent: the child waited: %s\n", (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >= 30 ? "yes" : "no");
    printf("parent: write lock 30-39: %s\n", err(lock(fd, F_SETLK, F_WRLCK, 30, 10)));
    fflush(stdout);
    signal_child();
    usleep(30000); /* the child now waits for 30-39 */
    printf("parent: SETLKW 2-4 would deadlock: %s\n", err(lock(fd, F_SETLKW, F_WRLCK, 2, 3)));
    printf("parent: SETLK 2-4: %s\n", err(lock(fd, F_SETLK, F_WRLCK, 2, 3)));
    lock(fd, F_SETLK, F_UNLCK, 30, 10);
    fflush(stdout);
    signal_child();
    int status;
    waitpid(child, &status, 0);
    printf("parent: child done, status %d\n", WEXITSTATUS(status));

    /* ranges: split by an unlock in the middle, merged when adjacent */
    lock(fd, F_SETLK, F_UNLCK, 0, 0);
    lock(fd, F_SETLK, F_WRLCK, 0, 20);
    lock(fd, F_SETLK, F_UNLCK, 5, 5);
    lock(fd, F_SETLK, F_RDLCK, 20, 5);
    fflush(stdout);
    child = fork();
    if (child == 0) {
        int cfd = open(F, O_RDWR);
        for (off_t at = 0; at < 30; at += 5) {
            struct flock c = query(cfd, F_GETLK, F_WRLCK, at, 5);
            printf("child: %2ld-%2ld: %s", (long)at, (long)at + 4, tname(c.l_type));
            if (c.l_type != F_UNLCK) printf(" %ld+%ld", (long)c.l_start, (long)c.l_len);
            printf("\n");
        }
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, NULL, 0);

    /* closing any descriptor of the file drops the process's locks */
    int other = open(F, O_RDONLY);
    close(other);
    fflush(stdout);
    child = fork();
    if (child == 0) {
        int cfd = open(F, O_RDWR);
        printf("child: after the parent closed another descriptor: %s\n", err(lock(cfd, F_SETLK, F_WRLCK, 0, 0)));
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, NULL, 0);

    /* OFD locks belong to the open file */
    int a = open(F, O_RDWR), b = open(F, O_RDWR);
    struct flock ofd = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    printf("OFD lock through a: %s\n", err(fcntl(a, F_OFD_SETLK, &ofd)));
    ofd.l_type = F_RDLCK;
    printf("OFD lock through b conflicts: %s\n", err(fcntl(b, F_OFD_SETLK, &ofd)));
    struct flock g = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
    fcntl(b, F_OFD_GETLK, &g);
    printf("OFD GETLK through b: %s pid %d\n", tname(g.l_type), g.l_pid);
    printf("POSIX lock of the same process conflicts with it: %s\n", err(lock(fd, F_SETLK, F_WRLCK, 0, 1)));
    ofd.l_pid = 1;
    printf("OFD with l_pid set: %s\n", err(fcntl(b, F_OFD_SETLK, &ofd)));
    close(a);
    ofd.l_pid = 0;
    printf("after closing a: %s\n", err(fcntl(b, F_OFD_SETLK, &ofd)));
    close(b);
    int ro = open(F, O_RDONLY);
    printf("write lock on a read-only descriptor: %s\n", err(lock(ro, F_SETLK, F_WRLCK, 0, 1)));
    close(ro);
    printf("bad lock type: %s\n", err(lock(fd, F_SETLK, 7, 0, 1)));

    /* flock */
    a = open(F, O_RDWR);
    b = open(F, O_RDWR);
    printf("flock shared a: %s, shared b: %s\n", err(flock(a, LOCK_SH)), err(flock(b, LOCK_SH | LOCK_NB)));
    printf("flock exclusive b while a shares: %s\n", err(flock(b, LOCK_EX | LOCK_NB)));
    flock(a, LOCK_UN);
    printf("after a unlocks: %s\n", err(flock(b, LOCK_EX | LOCK_NB)));
    printf("flock and fcntl locks are independent: %s\n", err(lock(fd, F_SETLK, F_WRLCK, 0, 0)));
    int dupb = dup(b);
    close(b);
    printf("a duplicate keeps the flock: %s\n", err(flock(a, LOCK_SH | LOCK_NB)));
    close(dupb);
    printf("the last close releases it: %s\n", err(flock(a, LOCK_SH | LOCK_NB)));
    printf("flock bad operation: %s\n", err(flock(a, 3)));
    close(a);

    /* waiting: a child blocks in flock and in F_OFD_SETLKW until the parent lets go */
    a = open(F, O_RDWR);
    flock(a, LOCK_SH);
    struct flock held = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 4};
    fcntl(a, F_OFD_SETLK, &held);
    fflush(stdout);
    child = fork();
    if (child == 0) {
        close(a); /* the parent's open file must be the parent's alone for its close to end the OFD lock */
        int cfd = open(F, O_RDWR);
        struct timespec c0, c1, c2;
        clock_gettime(CLOCK_MONOTONIC, &c0);
        int r1 = flock(cfd, LOCK_EX);
        clock_gettime(CLOCK_MONOTONIC, &c1);
        struct flock want = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 2, .l_len = 1};
        int r2 = fcntl(cfd, F_OFD_SETLKW, &want);
        clock_gettime(CLOCK_MONOTONIC, &c2);
        long w1 = (c1.tv_sec - c0.tv_sec) * 1000 + (c1.tv_nsec - c0.tv_nsec) / 1000000;
        long w2 = (c2.tv_sec - c1.tv_sec) * 1000 + (c2.tv_nsec - c1.tv_nsec) / 1000000;
        wait_parent();
        printf("child: flock LOCK_EX after the wait: %s (waited: %s), F_OFD_SETLKW: %s (waited: %s)\n", err(r1),
               w1 >= 10 ? "yes" : "no", err(r2), w2 >= 10 ? "yes" : "no");
        fflush(stdout);
        _exit(0);
    }
    usleep(20000);
    printf("parent: releases its flock\n");
    flock(a, LOCK_UN);
    usleep(20000);
    printf("parent: closes its OFD lock\n");
    fflush(stdout);
    close(a); /* the OFD lock ends with the open file */
    signal_child();
    waitpid(child, &status, 0);

    /* sizes */
    struct stat st;
    printf("ftruncate to 5: %s", err(ftruncate(fd, 5)));
    fstat(fd, &st);
    printf(", size %ld\n", (long)st.st_size);
    ftruncate(fd, 12);
    char buf[32];
    memset(buf, '?', sizeof buf);
    pread(fd, buf, 12, 0);
    printf("grown to 12: %.5s then zeros: %d\n", buf, buf[5] == 0 && buf[11] == 0);
    printf("ftruncate negative: %s\n", err(ftruncate(fd, -1)));
    ro = open(F, O_RDONLY);
    printf("ftruncate read-only: %s\n", err(ftruncate(ro, 1)));
    close(ro);
    printf("fallocate 100+50: %s", err(fallocate(fd, 0, 100, 50)));
    fstat(fd, &st);
    printf(", size %ld\n", (long)st.st_size);
    printf("fallocate keep size: %s", err(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 4096)));
    fstat(fd, &st);
    printf(", size %ld\n", (long)st.st_size);
    printf("fallocate zero length: %s\n", err(fallocate(fd, 0, 0, 0)));
    printf("fsync: %s, fdatasync: %s, fsync of a pipe: %s\n", err(fsync(fd)), err(fdatasync(fd)), err(fsync(sync_pipe[0])));
    int ap = open(F, O_WRONLY | O_APPEND);
    lseek(ap, 0, SEEK_SET);
    write(ap, "END", 3);
    fstat(fd, &st);
    printf("O_APPEND writes at the end: size %ld\n", (long)st.st_size);
    fcntl(ap, F_SETFL, 0);
    lseek(ap, 0, SEEK_SET);
    write(ap, "S", 1);
    pread(fd, buf, 1, 0);
    printf("after clearing O_APPEND: first byte %c\n", buf[0]);
    close(ap);
    close(fd);
    unlink(F);

    /* limits */
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    struct rlimit low = {10, rl.rlim_max};
    printf("lower RLIMIT_NOFILE to 10: %s\n", err(setrlimit(RLIMIT_NOFILE, &low)));
    int opened = 0, last = 0;
    for (int i = 0; i < 20; i++) {
        last = open("/dev/null", O_RDONLY);
        if (last < 0) break;
        opened++;
    }
    printf("opened %d more before %s\n", opened, err(last));
    printf("dup2 to 10: %s\n", err(dup2(0, 10)));
    printf("F_DUPFD from 10: %s\n", err(fcntl(0, F_DUPFD, 10)));
    struct rlimit over = {rl.rlim_max, rl.rlim_max == RLIM_INFINITY ? RLIM_INFINITY : rl.rlim_max + 1};
    printf("raise the hard limit: %s\n", err(setrlimit(RLIMIT_NOFILE, &over)));
    struct rlimit bad = {20, 10};
    printf("soft above hard: %s\n", err(setrlimit(RLIMIT_NOFILE, &bad)));
    struct rlimit old;
    low.rlim_cur = 64;
    printf("prlimit: %s", err(prlimit(0, RLIMIT_NOFILE, &low, &old)));
    printf(", old soft %ld\n", (long)old.rlim_cur);
    getrlimit(RLIMIT_STACK, &rl);
    printf("stack limit %ld KiB\n", (long)(rl.rlim_cur / 1024));
    printf("getrlimit bad resource: %s\n", err(getrlimit(99, &rl)));

    volatile unsigned long spin = 0;
    for (unsigned long i = 0; i < 3000000; i++) spin += i;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("getrusage: user time positive: %s, maxrss positive: %s\n", ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0 ? "yes" : "no", ru.ru_maxrss > 0 ? "yes" : "no");
    printf("getrusage bad who: %s\n", err(getrusage(7, &ru)));

    cpu_set_t set;
    CPU_ZERO(&set);
    sched_getaffinity(0, sizeof set, &set);
    printf("affinity has the online processors: %s\n", CPU_COUNT(&set) == sysconf(_SC_NPROCESSORS_ONLN) ? "yes" : "no");

    /* sigaltstack */
    stack_t ss = {0}, cur;
    sigaltstack(NULL, &cur);
    printf("no alternate stack at first: %s\n", cur.ss_flags & SS_DISABLE ? "yes" : "no");
    alt = malloc(65536);
    ss.ss_sp = alt;
    ss.ss_size = 1024;
    printf("too small: %s\n", sigaltstack(&ss, NULL) < 0 && errno == ENOMEM ? "ENOMEM" : "?");
    ss.ss_size = 65536;
    printf("set: %s\n", err(sigaltstack(&ss, NULL)));
    sigaltstack(NULL, &cur);
    printf("read back: size %ld, same base %s, flags %d\n", (long)cur.ss_size, cur.ss_sp == alt ? "yes" : "no", cur.ss_flags);
    fflush(stdout);
    child = fork();
    if (child == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_segv;
        sa.sa_flags = SA_ONSTACK;
        sigaction(SIGSEGV, &sa, NULL);
        depth(1);
        _exit(0);
    }
    waitpid(child, &status, 0);
    printf("child status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 0;
}
