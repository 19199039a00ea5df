// mmap_shared: anonymous MAP_SHARED memory written by a forked child and read by the parent, MAP_PRIVATE COW contrast, mprotect read-only (fault caught), munmap.
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <signal.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

static sigjmp_buf jb;
static void on_segv(int sig) { (void)sig; siglongjmp(jb, 1); }

static int try_write(volatile char *p) {
    if (sigsetjmp(jb, 1) == 0) { *p = 'X'; return 0; }
    return 1; /* faulted */
}
static int try_read(volatile char *p) {
    if (sigsetjmp(jb, 1) == 0) { (void)*p; return 0; }
    return 1;
}

int main(void) {
    const size_t pg = 4096, len = 4 * pg;
    char *shared = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    char *priv = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED || priv == MAP_FAILED) { perror("mmap"); return 1; }
    printf("fresh mapping zeroed=%d\n", shared[0] == 0 && shared[len - 1] == 0 && priv[pg] == 0);
    strcpy(priv, "parent-private");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        strcpy(shared, "written by child");
        for (size_t i = pg; i < len; i++) shared[i] = (char)(i % 251);
        strcpy(priv, "child-private");
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    long sum = 0;
    for (size_t i = pg; i < len; i++) sum += (unsigned char)shared[i];
    printf("after child: shared=\"%s\" sum=%ld private=\"%s\" child-exit=%d\n", shared, sum, priv, WEXITSTATUS(status));

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sigaction(SIGSEGV, &sa, NULL);

    int r, f1, f2;
    f1 = try_write(priv + pg);
    printf("write before mprotect faulted=%d\n", f1);
    r = mprotect(priv + pg, pg, PROT_READ);
    f1 = try_read(priv + pg);
    f2 = try_write(priv + pg);
    printf("mprotect(page 1, READ)=%d read faulted=%d write faulted=%d value=%c\n", r, f1, f2, priv[pg]);
    f1 = try_write(priv + 2 * pg);
    printf("neighbour page 2 write faulted=%d\n", f1);
    r = mprotect(priv + pg, pg, PROT_NONE);
    f1 = try_read(priv + pg);
    printf("mprotect(page 1, NONE)=%d read faulted=%d\n", r, f1);
    r = mprotect(priv + pg, pg, PROT_READ | PROT_WRITE);
    f1 = try_write(priv + pg);
    printf("mprotect(page 1, RW)=%d write faulted=%d\n", r, f1);
    r = munmap(priv + 3 * pg, pg);
    f1 = try_read(priv + 3 * pg);
    printf("munmap(page 3)=%d read faulted=%d, page 0 still \"%s\"\n", r, f1, priv);
    r = munmap(priv, 3 * pg);
    int r2 = munmap(shared, len);
    f1 = try_read(shared);
    printf("munmap all=%d,%d then read faulted=%d\n", r, r2, f1);
    return 0;
}
