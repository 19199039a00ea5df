// fork_bomb: every process forks as fast as it can until fork fails; the kernel's task limit refuses it with
// EAGAIN, the bomb is killed as a process group, and the system forks normally afterwards. RLIMIT_NPROC set by
// the program is honoured exactly.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    int refused[2];
    pipe(refused);
    pid_t bomb = fork();
    if (bomb == 0) {
        setpgid(0, 0);
        for (;;) {
            pid_t p = fork();
            if (p < 0) {
                char e = errno == EAGAIN ? 'A' : '?';
                write(refused[1], &e, 1);
                for (;;) pause();
            }
        }
    }
    setpgid(bomb, bomb); /* either side may set it first */
    char e;
    read(refused[0], &e, 1);
    printf("fork bomb refused with: %s\n", e == 'A' ? "EAGAIN" : "something else");
    int kills = 0;
    while (kill(-bomb, SIGKILL) == 0) kills++; /* again until the whole group is gone */
    int status;
    waitpid(bomb, &status, 0);
    printf("bomb killed: %s, group gone: %s\n", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? "yes" : "no",
           kill(-bomb, 0) < 0 && errno == ESRCH ? "yes" : "no");

    pid_t child = fork();
    if (child == 0) _exit(7);
    waitpid(child, &status, 0);
    printf("fork after the bomb: %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 7 ? "works" : "fails");

    /* RLIMIT_NPROC: room for exactly three more tasks */
    struct rlimit rl = {4, 4};
    printf("setrlimit NPROC 4: %s\n", setrlimit(RLIMIT_NPROC, &rl) == 0 ? "ok" : strerror(errno));
    int made = 0;
    pid_t kids[8];
    for (int i = 0; i < 8; i++) {
        kids[made] = fork();
        if (kids[made] == 0) {
            for (;;) pause();
        }
        if (kids[made] < 0) {
            printf("fork %d: %s\n", i + 1, errno == EAGAIN ? "EAGAIN" : strerror(errno));
            break;
        }
        made++;
    }
    printf("forked %d under the limit\n", made);
    for (int i = 0; i < made; i++) {
        kill(kids[i], SIGKILL);
        waitpid(kids[i], NULL, 0);
    }
    return 0;
}
