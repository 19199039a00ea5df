// exec: execve and execveat of the program itself and of #! scripts written to /tmp, run as Linux runs them
// (recorded under qemu-riscv64 registered in a private binfmt_misc: exec.exec). Arguments and environment
// arrive; the pid stays; close-on-exec descriptors close and others stay; handled signals go back to default
// while ignored ones, the mask and pending signals stay; a thread's exec ends the other threads; vfork and
// posix_spawn; the errors (ENOENT, EACCES, ENOEXEC, ELOOP, ENOTDIR, EFAULT). With --at: execveat and fexecve;
// with --run PATH ARGS: an execve of PATH.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static const char *self;

static const char *err(int r) {
    if (r >= 0) return "ok";
    switch (errno) {
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case ENOEXEC: return "ENOEXEC";
    case ELOOP: return "ELOOP";
    case ENOTDIR: return "ENOTDIR";
    case EFAULT: return "EFAULT";
    default: return strerror(errno);
    }
}

static void write_file(const char *path, const char *text, mode_t mode) {
    unlink(path);
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
    write(fd, text, strlen(text));
    close(fd);
    chmod(path, mode);
}

/* The program as the exec'd side: print what arrived. */
static int child(int argc, char **argv) {
    const char *role = argv[1];
    printf("[%s] argc %d:", role, argc);
    int shows_pid = strcmp(role, "signals") == 0 || strcmp(role, "thread") == 0;
    for (int i = 2; i < argc && !shows_pid; i++) printf(" <%s>", argv[i]);
    printf("\n");
    if (strcmp(role, "env") == 0) {
        /* sorted: qemu-user hands the environment to an exec'd program in reverse order */
        int n = 0;
        for (char **e = environ; *e; e++) n++;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (strcmp(environ[j], environ[i]) < 0) { char *t = environ[i]; environ[i] = environ[j]; environ[j] = t; }
        for (char **e = environ; *e; e++) printf("[env] %s\n", *e);
    } else if (strcmp(role, "fds") == 0) {
        for (int fd = 3; fd < 8; fd++) printf("[fds] fd %d %s\n", fd, fcntl(fd, F_GETFD) >= 0 ? "open" : "closed");
    } else if (strcmp(role, "signals") == 0) {
        struct sigaction sa;
        sigaction(SIGUSR1, NULL, &sa);
        printf("[signals] SIGUSR1 handler is default: %d\n", sa.sa_handler == SIG_DFL);
        sigaction(SIGUSR2, NULL, &sa);
        printf("[signals] SIGUSR2 still ignored: %d\n", sa.sa_handler == SIG_IGN);
        sigset_t mask, pending;
        sigprocmask(SIG_BLOCK, NULL, &mask);
        sigpending(&pending);
        printf("[signals] SIGTERM still blocked: %d, SIGTERM still pending: %d\n", sigismember(&mask, SIGTERM), sigismember(&pending, SIGTERM));
        char pid[32];
        snprintf(pid, sizeof pid, "%d", getpid());
        printf("[signals] same pid: %d\n", strcmp(pid, argv[2]) == 0);
    } else if (strcmp(role, "thread") == 0) {
        char pid[32];
        snprintf(pid, sizeof pid, "%d", getpid());
        printf("[thread] same pid: %d, gettid is the pid: %d\n", strcmp(pid, argv[2]) == 0, (int)syscall(SYS_gettid) == getpid());
    }
    fflush(stdout);
    return 7;
}

static int run(char *const argv[], char *const envp[]) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execve(argv[0], argv, envp);
        printf("execve %s: %s\n", argv[0], err(-1));
        fflush(stdout);
        _exit(99);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void *exec_from_thread(void *arg) {
    char pid[32];
    snprintf(pid, sizeof pid, "%d", getpid());
    char *argv[] = {(char *)self, "thread", pid, NULL};
    execve(self, argv, environ);
    return arg;
}

static void *sleeper(void *arg) {
    for (;;) pause();
    return arg;
}

/* execveat, which qemu-user 7.2 does not implement (ENOSYS): run with --at, checked by Guests/ExecTests. */
static int at_tests(void) {
    char *envp[] = {NULL};
    pid_t pid;
    int status;
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int fd = open(self, O_RDONLY);
        char *a[] = {(char *)self, "fexecve", NULL};
        fexecve(fd, a, envp);
        printf("fexecve: %s\n", err(-1));
        fflush(stdout);
        _exit(99);
    }
    waitpid(pid, &status, 0);
    printf("status %d\n", WEXITSTATUS(status));
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int dfd = open("/tmp", O_RDONLY | O_DIRECTORY);
        char *a[] = {"bulwark-exec-link", "execveat", NULL};
        syscall(SYS_execveat, dfd, "bulwark-exec-link", a, envp, 0);
        printf("execveat: %s\n", err(-1));
        fflush(stdout);
        _exit(99);
    }
    waitpid(pid, &status, 0);
    printf("status %d\n", WEXITSTATUS(status));

    return 0;
}

int main(int argc, char **argv) {
    self = argv[0];
    if (argc > 2 && strcmp(argv[1], "--run") == 0) {
        /* --run PATH ARGS...: exec PATH with argv PATH ARGS (Guests/ExecTests) */
        execv(argv[2], argv + 2);
        printf("execve %s: %s\n", argv[2], err(-1));
        return 1;
    }
    if (argc > 1 && strcmp(argv[1], "--at") == 0) {
        symlink(self, "/tmp/bulwark-exec-link");
        return at_tests();
    }
    if (argc > 1 && argv[1][0] != '/' && strcmp(argv[1], "-x") != 0) return child(argc, argv);
    if (argc > 1) {
        /* run as an interpreter: argv[1] is the #! line's argument or the script */
        printf("[interpreter] argc %d:", argc);
        for (int i = 1; i < argc; i++) printf(" <%s>", argv[i]);
        printf("\n");
        return 5;
    }

    char *plain[] = {(char *)self, "plain", "a b", "", "c", NULL};
    char *envp[] = {"ONE=1", "TWO=two words", NULL};
    printf("status %d\n", run(plain, envp));
    char *env[] = {(char *)self, "env", NULL};
    printf("status %d\n", run(env, envp));
    char *none[] = {(char *)self, "env", NULL};
    char *empty[] = {NULL};
    printf("status %d\n", run(none, empty));

    /* scripts */
    char line[512];
    snprintf(line, sizeof line, "#!%s -x\nthe rest is not read\n", self);
    write_file("/tmp/bulwark-exec-script", line, 0755);
    char *script[] = {"/tmp/bulwark-exec-script", "arg1", "arg 2", NULL};
    printf("status %d\n", run(script, envp));
    snprintf(line, sizeof line, "#! %s\n", self);
    write_file("/tmp/bulwark-exec-script2", line, 0755);
    char *script2[] = {"/tmp/bulwark-exec-script2", "only", NULL};
    printf("status %d\n", run(script2, envp));
    write_file("/tmp/bulwark-exec-nested", "#!/tmp/bulwark-exec-script\n", 0755);
    char *nested[] = {"/tmp/bulwark-exec-nested", "n", NULL};
    printf("status %d\n", run(nested, envp));
    write_file("/tmp/bulwark-exec-loop", "#!/tmp/bulwark-exec-loop\n", 0755);
    char *loop[] = {"/tmp/bulwark-exec-loop", NULL};
    printf("status %d\n", run(loop, envp));
    write_file("/tmp/bulwark-exec-noexec", "#!/tmp/bulwark-exec-script\n", 0644);
    char *noexec[] = {"/tmp/bulwark-exec-noexec", NULL};
    printf("status %d\n", run(noexec, envp));
    write_file("/tmp/bulwark-exec-text", "just text\n", 0755);
    char *text[] = {"/tmp/bulwark-exec-text", NULL};
    printf("status %d\n", run(text, envp));
    write_file("/tmp/bulwark-exec-badinterp", "#!/tmp/bulwark-no-such-interpreter\n", 0755);
    char *badinterp[] = {"/tmp/bulwark-exec-badinterp", NULL};
    printf("status %d\n", run(badinterp, envp));
    char *missing[] = {"/tmp/bulwark-no-such-program", NULL};
    printf("status %d\n", run(missing, envp));
    char *dir[] = {"/tmp", NULL};
    printf("status %d\n", run(dir, envp));
    char *notdir[] = {"/tmp/bulwark-exec-text/x", NULL};
    printf("status %d\n", run(notdir, envp));
    unlink("/tmp/bulwark-exec-link");
    symlink(self, "/tmp/bulwark-exec-link");
    char *vialink[] = {"/tmp/bulwark-exec-link", "link", NULL};
    printf("status %d\n", run(vialink, envp));
    char **volatile bad = (char **)8;
    printf("execve with a bad argv: %s\n", err(execve(self, bad, envp)));

    /* descriptors and signals across exec */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int keep = open("/tmp/bulwark-exec-text", O_RDONLY);
        int drop = open("/tmp/bulwark-exec-text", O_RDONLY | O_CLOEXEC);
        int dropped_later = dup(keep);
        fcntl(dropped_later, F_SETFD, FD_CLOEXEC);
        printf("fds %d kept, %d and %d close on exec\n", keep, drop, dropped_later);
        fflush(stdout);
        char *fds[] = {(char *)self, "fds", NULL};
        execve(self, fds, envp);
        _exit(99);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("status %d\n", WEXITSTATUS(status));
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        signal(SIGUSR1, (void (*)(int))exit);
        signal(SIGUSR2, SIG_IGN);
        sigset_t term;
        sigemptyset(&term);
        sigaddset(&term, SIGTERM);
        sigprocmask(SIG_BLOCK, &term, NULL);
        raise(SIGTERM);
        char mypid[32];
        snprintf(mypid, sizeof mypid, "%d", getpid());
        char *sigs[] = {(char *)self, "signals", mypid, NULL};
        execve(self, sigs, envp);
        _exit(99);
    }
    waitpid(pid, &status, 0);
    printf("status %d\n", WEXITSTATUS(status));

    /* exec from a thread while another thread waits in pause */
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        pthread_t a, b;
        pthread_create(&a, NULL, sleeper, NULL);
        pthread_create(&b, NULL, exec_from_thread, NULL);
        for (;;) pause();
    }
    waitpid(pid, &status, 0);
    printf("status %d\n", WEXITSTATUS(status));

    /* vfork and posix_spawn */
    fflush(stdout);
    pid = vfork();
    if (pid == 0) {
        char *v[] = {(char *)self, "vfork", NULL};
        execve(self, v, envp);
        _exit(99);
    }
    waitpid(pid, &status, 0);
    printf("vfork status %d\n", WEXITSTATUS(status));
    char *s[] = {(char *)self, "spawn", "x", NULL};
    int r = posix_spawn(&pid, self, NULL, NULL, s, envp);
    waitpid(pid, &status, 0);
    printf("posix_spawn %d, status %d\n", r, WEXITSTATUS(status));

    const char *files[] = {"script", "script2", "nested", "loop", "noexec", "text", "badinterp", "link"};
    for (unsigned i = 0; i < sizeof files / sizeof *files; i++) {
        char p[64];
        snprintf(p, sizeof p, "/tmp/bulwark-exec-%s", files[i]);
        unlink(p);
    }
    return 0;
}
