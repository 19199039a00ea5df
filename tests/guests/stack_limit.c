// stack_limit: RLIMIT_STACK decides the stack a program gets at execve. With the limit at 1 MiB, a program that
// recurses through 512 KiB of stack runs to the end and one that needs 2 MiB dies of SIGSEGV.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int deep(int kib) {
    volatile char frame[1000];
    memset((char *)frame, kib, sizeof frame);
    return kib == 0 ? frame[0] : deep(kib - 1) + frame[1];
}

static void run(const char *self, const char *kib) {
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        execl(self, self, kib, (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    if (WIFSIGNALED(status)) printf("%s KiB deep: killed by %s\n", kib, WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : "another signal");
    else printf("%s KiB deep: exit %d\n", kib, WEXITSTATUS(status));
}

int main(int argc, char **argv) {
    if (argc > 1) {
        deep(atoi(argv[1]));
        return 0;
    }
    struct rlimit rl = {1 << 20, RLIM_INFINITY};
    printf("RLIMIT_STACK 1 MiB: %s\n", setrlimit(RLIMIT_STACK, &rl) == 0 ? "ok" : "failed");
    run(argv[0], "512");
    run(argv[0], "2048");
    return 0;
}
