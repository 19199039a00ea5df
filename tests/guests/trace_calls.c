/* Makes a few calls of each kind --trace-syscalls decodes (Cli/TraceSyscallsTests checks the trace line by line):
   a failing open, writes of short, long and binary strings, mmap flags, a pipe, a read, writev, poll, fstat,
   a sleep, signal handling with a blocked mask, and a child that dies of SIGSEGV. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void on_usr1(int signal)
{
    (void)signal;
    static const char message[] = "in handler\n";
    write(1, message, sizeof message - 1);
}

int main(void)
{
    int missing = open("/no/such/file", O_RDONLY | O_CLOEXEC);
    write(1, "hello, trace\n", 13);
    write(1, "0123456789abcdefghijklmnopqrstuvwxyz\n", 37);

    char *area = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    area[0] = 1;
    mprotect(area, 4096, PROT_READ);
    munmap(area, 8192);

    int fds[2];
    pipe2(fds, O_CLOEXEC);
    write(fds[1], "\0\1\2abc\t\"\\\377\n", 11);
    char buffer[64];
    ssize_t got = read(fds[0], buffer, sizeof buffer);
    struct iovec parts[2] = {{"ab", 2}, {"cd\n", 3}};
    writev(1, parts, 2);
    struct pollfd ready = {fds[1], POLLOUT, 0};
    poll(&ready, 1, 0);
    struct stat status;
    fstat(fds[0], &status);
    close(fds[0]);
    close(fds[1]);

    struct timespec pause = {0, 1000000};
    nanosleep(&pause, NULL);

    struct sigaction action = {0};
    action.sa_handler = on_usr1;
    action.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &action, NULL);
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGINT);
    sigaddset(&blocked, SIGTERM);
    sigprocmask(SIG_BLOCK, &blocked, NULL);
    kill(getpid(), SIGUSR1);

    pid_t child = fork();
    if (child == 0) {
        *(volatile int *)0 = 1;
        _exit(0);
    }
    int wstatus;
    waitpid(child, &wstatus, 0);
    printf("open %d, read %zd, child %s\n", missing, got, WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGSEGV ? "segfaulted" : "did not segfault");
    return 0;
}
