// proc_self: what a program reads of itself in /proc, checked against what it knows by other means, so the
// output is the same under qemu (whose /proc is the host's, partly emulated) and Bulwark: /proc/self is a link
// to the pid, exe is argv[0] (absolute) and can be opened, cmdline and environ hold argv and the environment,
// maps has the stack and the program, status and stat name the pid and parent, fd/N links name the open files.
// (qemu's /proc/self/exe opens qemu itself, so opening it is checked by the etc_env test instead.)
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static long slurp(const char *path, char *buf, long size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -errno;
    long total = 0, n;
    while (total < size - 1 && (n = read(fd, buf + total, size - 1 - total)) > 0) total += n;
    close(fd);
    buf[total] = 0;
    return total;
}

static const char *yes(int c) { return c ? "yes" : "no"; }

int main(int argc, char **argv) {
    static char buf[1 << 16], link[4096];
    char expect[64];
    long n = readlink("/proc/self", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    snprintf(expect, sizeof expect, "%d", getpid());
    printf("/proc/self links to the pid: %s\n", yes(strcmp(link, expect) == 0));

    n = readlink("/proc/self/exe", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    printf("exe is absolute and names argv[0]'s file: %s\n", yes(link[0] == '/' && strcmp(strrchr(link, '/') + 1, name) == 0));
    struct stat l;
    printf("lstat of exe is a link: %s\n", yes(lstat("/proc/self/exe", &l) == 0 && S_ISLNK(l.st_mode)));

    n = slurp("/proc/self/cmdline", buf, sizeof buf);
    long want = 0;
    for (int i = 0; i < argc; i++) want += strlen(argv[i]) + 1;
    int same = n == want;
    for (long at = 0, i = 0; same && i < argc; at += strlen(argv[i]) + 1, i++) same = strcmp(buf + at, argv[i]) == 0;
    printf("cmdline holds argv (%d arguments): %s\n", argc, yes(same));

    n = slurp("/proc/self/environ", buf, sizeof buf);
    want = 0;
    for (char **e = environ; *e; e++) want += strlen(*e) + 1;
    printf("environ holds the environment (%ld bytes): %s\n", want, yes(n == want));

    n = slurp("/proc/self/maps", buf, sizeof buf);
    printf("maps has the stack: %s\n", yes(strstr(buf, "[stack]") != NULL));
    int exe_line = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
        if (strstr(line, name) && strstr(line, "r-xp")) exe_line = 1;
    printf("maps has the program's code: %s\n", yes(exe_line));

    slurp("/proc/self/status", buf, sizeof buf);
    snprintf(expect, sizeof expect, "\nPid:\t%d\n", getpid());
    printf("status names the pid: %s\n", yes(strstr(buf, expect) != NULL));
    snprintf(expect, sizeof expect, "\nPPid:\t%d\n", getppid());
    printf("status names the parent: %s\n", yes(strstr(buf, expect) != NULL));
    printf("status has Name, State, Threads, SigBlk: %s\n",
           yes(strncmp(buf, "Name:\t", 6) == 0 && strstr(buf, "\nState:\t") && strstr(buf, "\nThreads:\t") && strstr(buf, "\nSigBlk:\t")));

    slurp("/proc/self/stat", buf, sizeof buf);
    int pid = 0, ppid = 0;
    char state = 0;
    sscanf(buf, "%d", &pid);
    char *close_paren = strrchr(buf, ')');
    if (close_paren) sscanf(close_paren + 2, "%c %d", &state, &ppid);
    printf("stat: pid %s, ppid %s\n", yes(pid == getpid()), yes(ppid == getppid()));

    char path[64];
    snprintf(path, sizeof path, "/proc/%d/cmdline", getpid());
    printf("/proc/PID/cmdline is self's: %s\n", yes(slurp(path, buf, sizeof buf) > 0 && strcmp(buf, argv[0]) == 0));
    (void)state;

    int fd = open("/tmp/proc_self.tmp", O_CREAT | O_RDWR | O_TRUNC, 0600);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    n = readlink(path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    printf("fd link names the file: %s\n", yes(strcmp(link, "/tmp/proc_self.tmp") == 0));
    write(fd, "through the link", 16);
    int again = open(path, O_RDONLY);
    n = again >= 0 ? read(again, buf, 64) : -1;
    printf("opening the fd link reads the file: %s\n", yes(n == 16 && memcmp(buf, "through the link", 16) == 0));
    close(again);
    int p[2];
    pipe(p);
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
    n = readlink(path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    printf("pipe fd link: %s\n", yes(strncmp(link, "pipe:[", 6) == 0));
    DIR *d = opendir("/proc/self/fd");
    int seen = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) if (atoi(e->d_name) == fd) seen = 1;
    if (d) closedir(d);
    printf("fd directory lists the file: %s\n", yes(seen));
    close(fd);
    unlink("/tmp/proc_self.tmp");

    chdir("/tmp");
    n = readlink("/proc/self/cwd", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    printf("cwd link: %s\n", link);

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        snprintf(path, sizeof path, "/proc/%d/status", getppid());
        slurp(path, buf, sizeof buf);
        snprintf(expect, sizeof expect, "\nPid:\t%d\n", getppid());
        printf("child reads its parent's status: %s\n", yes(strstr(buf, expect) != NULL));
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    snprintf(path, sizeof path, "/proc/%d", child);
    printf("a reaped child's directory is gone: %s\n", yes(access(path, F_OK) != 0 && errno == ENOENT));

    n = slurp("/proc/meminfo", buf, sizeof buf);
    printf("meminfo starts with MemTotal: %s\n", yes(strncmp(buf, "MemTotal:", 9) == 0));
    slurp("/proc/cpuinfo", buf, sizeof buf);
    int processors = 0;
    for (char *s = buf; (s = strstr(s, "processor")) != NULL; s++) processors++;
    printf("cpuinfo lists the processors sysconf counts: %s\n", yes(processors == sysconf(_SC_NPROCESSORS_CONF)));
    printf("readlink of a regular file: %s\n", readlink("/proc/self/status", link, 10) < 0 && errno == EINVAL ? "EINVAL" : "?");
    printf("missing pid: %s\n", access("/proc/999999/status", F_OK) < 0 && errno == ENOENT ? "ENOENT" : "?");
    return 0;
}
