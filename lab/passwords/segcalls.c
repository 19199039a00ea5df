/* The segment system calls' own checks, in every mode: who may create, grant, get, revoke and destroy
 * what (raw return values: 0 or -errno), what a forked child of a grantee inherits, where a read-only
 * grantee's writes go, who is blamed for a pointer only the owner wrote, and what is left of a
 * destroyed segment. One line per check, printed by the owner (uid 1000) or the reader (uid 2000). */
#include "common.h"

static long raw(long n, long a, long b, long c)
{
    long r = syscall(n, a, b, c);
    return r < 0 ? -errno : r;
}

static long get(int seg, unsigned rights)
{
    pwd_t p;
    return raw(PWD_SYS_GET, seg, rights, (long)&p);
}

static uint64_t private_word = 0x5ec7e7;
static volatile int returned_signals;

static void on_segv_return(int sig) { (void)sig; returned_signals++; }

static void reader(int from_owner, int to_owner)
{
    if (setuid(2000) != 0) die("setuid");
    int a = (int)recv_u64(from_owner);
    void *base, *owners = (void *)(uintptr_t)recv_u64(from_owner);
    printf("reader attach a: %ld\n", raw(PWD_SYS_SEGMENT_ATTACH, a, (long)&base, 0));
    printf("reader's address is the owner's: %s\n", base == owners ? "yes" : "no");
    printf("reader get a R: %ld\n", get(a, PWD_R));
    printf("reader get a W: %ld\n", get(a, PWD_W));
    printf("reader get a RW: %ld\n", get(a, PWD_R | PWD_W));
    printf("reader grants the owner R of a: %ld\n", raw(PWD_SYS_SEGMENT_GRANT, a, getppid(), PWD_R));
    printf("reader grants the owner W of a: %ld\n", raw(PWD_SYS_SEGMENT_GRANT, a, getppid(), PWD_W));
    printf("reader revokes the owner: %ld\n", raw(PWD_SYS_SEGMENT_REVOKE, a, getppid(), 0));
    printf("reader destroys a: %ld\n", raw(PWD_SYS_SEGMENT_DESTROY, a, 0, 0));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        printf("reader's child get a R: %ld\n", get(a, PWD_R));
        fflush(stdout);
        _exit(0);
    }
    wait_child(child);
    catch_segv();
    far_ptr r = make_far(base, pwd_get(a, PWD_R));
    if (sigsetjmp(probe_env, 1) == 0) {
        far_store_u64(r, 1);
        printf("reader's write through its read grant: done\n");
    } else {
        printf("reader's write through its read grant: SIGSEGV\n");
    }
    if (sigsetjmp(probe_env, 1) == 0) {
        far_ptr p = far_load_ptr(make_far((char *)base + 8, r.pwd));
        printf("reader's load of the owner's pointer: %s\n", p.addr == (uintptr_t)&private_word ? "loaded" : "other");
    } else {
        printf("reader's load of the owner's pointer: SIGSEGV si_code 0x%x\n", last_code);
    }
    fflush(stdout);
    send_u64(to_owner, 1);
    recv_u64(from_owner);   /* stay alive (and granted) until the owner has revoked */
    _exit(0);
}

int main(void)
{
    int to_reader[2], to_owner[2];
    if (pipe(to_reader) || pipe(to_owner)) die("pipe");
    pid_t pid = fork();
    if (pid == 0) reader(to_reader[0], to_owner[1]);

    void *a_base, *b_base, *c_base, *x;
    printf("create 0 bytes: %ld\n", raw(PWD_SYS_SEGMENT_CREATE, 0, PWD_R, (long)&x));
    printf("create 1 GiB + 1: %ld\n", raw(PWD_SYS_SEGMENT_CREATE, (1l << 30) + 1, PWD_R, (long)&x));
    printf("create without R: %ld\n", raw(PWD_SYS_SEGMENT_CREATE, 4096, PWD_W, (long)&x));
    printf("create with an unknown right: %ld\n", raw(PWD_SYS_SEGMENT_CREATE, 4096, PWD_R | 8, (long)&x));
    int a = (int)raw(PWD_SYS_SEGMENT_CREATE, 4096, PWD_R | PWD_W, (long)&a_base);
    int b = (int)raw(PWD_SYS_SEGMENT_CREATE, 8192, PWD_R, (long)&b_base);
    int c = (int)raw(PWD_SYS_SEGMENT_CREATE, 4096, PWD_R | PWD_W | PWD_X, (long)&c_base);
    printf("ids: %d %d %d\n", a, b, c);
    if (pwd_mode() != PWD_MODE_STATISTICAL)   /* statistical places its aliases at random */
        printf("in the shared part, in order: %s\n",
               (uintptr_t)a_base >= PWD_SHARED_BASE && b_base > a_base && c_base > b_base ? "yes" : "no");
    printf("owner get a X: %ld\n", get(a, PWD_X));
    printf("owner get c X: %ld\n", get(c, PWD_X));
    printf("owner get 99 R: %ld\n", get(99, PWD_R));
    printf("owner get a with no right: %ld\n", get(a, 0));
    printf("owner get a with an unknown right: %ld\n", get(a, 8));

    /* A pointer into private memory, written by the owner alone. */
    pwd_t rw = pwd_get(a, PWD_R | PWD_W);
    far_ptr kept = make_far(a_base, rw);
    far_store_u64(kept, 0x5a5a);
    far_store_u64(make_far((char *)a_base + 8, rw), (uint64_t)(uintptr_t)&private_word);

    printf("grant no right: %ld\n", raw(PWD_SYS_SEGMENT_GRANT, a, pid, 0));
    printf("grant an unknown right: %ld\n", raw(PWD_SYS_SEGMENT_GRANT, a, pid, 8));
    printf("grant W of a read-only segment: %ld\n", raw(PWD_SYS_SEGMENT_GRANT, b, pid, PWD_W));
    printf("grant on segment 99: %ld\n", raw(PWD_SYS_SEGMENT_GRANT, 99, pid, PWD_R));
    printf("grant to pid 99999: %ld\n", raw(PWD_SYS_SEGMENT_GRANT, a, 99999, PWD_R));
    printf("grant R of a: %ld\n", raw(PWD_SYS_SEGMENT_GRANT, a, pid, PWD_R));
    fflush(stdout);
    send_u64(to_reader[1], (uint64_t)a);
    send_u64(to_reader[1], (uint64_t)(uintptr_t)a_base);
    recv_u64(to_owner[0]);

    printf("revoke the owner: %ld\n", raw(PWD_SYS_SEGMENT_REVOKE, a, getpid(), 0));
    printf("revoke pid 99999: %ld\n", raw(PWD_SYS_SEGMENT_REVOKE, a, 99999, 0));
    printf("revoke on segment 99: %ld\n", raw(PWD_SYS_SEGMENT_REVOKE, 99, pid, 0));
    printf("revoke the reader: %ld\n", raw(PWD_SYS_SEGMENT_REVOKE, a, pid, 0));
    printf("revoke the reader again: %ld\n", raw(PWD_SYS_SEGMENT_REVOKE, a, pid, 0));
    send_u64(to_reader[1], 1);
    wait_child(pid);

    printf("destroy a: %ld\n", raw(PWD_SYS_SEGMENT_DESTROY, a, 0, 0));
    printf("destroy a again: %ld\n", raw(PWD_SYS_SEGMENT_DESTROY, a, 0, 0));
    printf("get a after destroy: %ld\n", get(a, PWD_R));
    printf("attach a after destroy: %ld\n", raw(PWD_SYS_SEGMENT_ATTACH, a, (long)&x, 0));
    catch_segv();
    if (sigsetjmp(probe_env, 1) == 0) {
        uint64_t v = far_load_u64(kept);
        printf("load after destroy: read 0x%lx\n", (unsigned long)v);
    } else {
        printf("load after destroy: SIGSEGV si_code 0x%x\n", last_code);
    }
    if (sigsetjmp(probe_env, 1) == 0) {
        uint64_t v = *(volatile uint64_t *)0x1000;
        printf("unmapped read: read 0x%lx\n", (unsigned long)v);
    } else {
        printf("unmapped read: SIGSEGV\n");
    }
    if (pwd_mode() == PWD_MODE_FALLBACK) {
        printf("report of an unknown kind: %ld\n", raw(PWD_SYS_REPORT, 0, 0, 2));
        /* A handler that returns: the failed check's report gives -EFAULT and the access is skipped. */
        signal(SIGSEGV, on_segv_return);
        long r = raw(PWD_SYS_REPORT, (long)(uintptr_t)a_base, 0, 0);
        printf("report with a returning handler: %ld after %d signal\n", r, returned_signals);
    } else {
        printf("report outside fallback: %ld\n", raw(PWD_SYS_REPORT, 0, 0, 0));
    }
    fflush(stdout);
    return 0;
}
