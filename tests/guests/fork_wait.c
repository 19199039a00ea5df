// fork_wait: fork + waitpid exit status, a pipe from child to parent, copy-on-write isolation, a signal-killed child; parent prints only after waiting.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>

static int global_value = 100;

int main(void) {
    fflush(stdout); /* nothing buffered may be duplicated into the child */
    int fds[2];
    if (pipe(fds) != 0) { perror("pipe"); return 1; }
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
        close(fds[0]);
        global_value = 555; /* must not be visible in the parent */
        char msg[64];
        int len = snprintf(msg, sizeof msg, "hello from child, global=%d", global_value);
        write(fds[1], msg, (size_t)len);
        close(fds[1]);
        printf("child: printing before exit\n"); /* goes to stdout before the parent prints anything */
        fflush(stdout);
        _exit(5);
    }
    close(fds[1]);
    int status = 0;
    pid_t w = waitpid(pid, &status, 0);
    char buf[128]; size_t got = 0; ssize_t n;
    while ((n = read(fds[0], buf + got, sizeof buf - 1 - got)) > 0) got += (size_t)n;
    buf[got] = 0;
    close(fds[0]);
    printf("parent: waitpid matched=%d exited=%d status=%d\n", w == pid, WIFEXITED(status), WEXITSTATUS(status));
    printf("parent: pipe got %zu bytes: \"%s\" (eof=%zd)\n", got, buf, n);
    printf("parent: global still %d\n", global_value);

    /* Child killed by a signal. */
    pid = fork();
    if (pid == 0) { raise(SIGKILL); _exit(0); }
    waitpid(pid, &status, 0);
    printf("parent: second child signaled=%d sig=%d\n", WIFSIGNALED(status), WIFSIGNALED(status) ? WTERMSIG(status) : 0);

    /* Several children, collected with wait(); sum of exit codes is order-independent. */
    int sum = 0;
    for (int i = 1; i <= 3; i++) if (fork() == 0) _exit(10 * i);
    for (int i = 0; i < 3; i++) { wait(&status); sum += WEXITSTATUS(status); }
    printf("parent: three children exit-sum=%d, further wait=%d\n", sum, (int)wait(&status));
    return 0;
}
