// oom_hog: a child touches memory until the guest's RAM runs out; the kernel kills it with SIGKILL (as Linux's
// OOM killer would), its parent sees that in waitpid, and the parent, which needs little, runs on.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    fflush(stdout);
    pid_t hog = fork();
    if (hog == 0) {
        for (;;) {
            char *p = malloc(1 << 20);
            if (p == NULL) {
                printf("malloc failed instead\n");
                return 1;
            }
            memset(p, 1, 1 << 20);
        }
    }
    int status;
    waitpid(hog, &status, 0);
    if (WIFSIGNALED(status)) printf("the hog died of signal %d (%s)\n", WTERMSIG(status), WTERMSIG(status) == SIGKILL ? "SIGKILL" : "?");
    else printf("the hog exited with %d\n", WEXITSTATUS(status));

    char *mine = malloc(4 << 20);
    memset(mine, 2, 4 << 20);
    long sum = 0;
    for (int i = 0; i < (4 << 20); i += 4096) sum += mine[i];
    printf("the parent runs on: %ld\n", sum);
    return 0;
}
