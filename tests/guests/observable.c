// Prints values a program can observe about its own run: inode numbers, ids, descriptor numbers,
// addresses, random bytes and clocks. Each must depend only on the program, its input, the seed and
// the schedule, never on what ran before in the same host process (see Guests/IsolationTests).
// With an argument LIMIT it exits 1 when the inode number of a file it creates is above LIMIT.
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void *worker(void *arg)
{
    (void)arg;
    printf("thread tid: %ld\n", (long)syscall(SYS_gettid));
    return NULL;
}

int main(int argc, char **argv)
{
    int fd = open("/tmp/observable.txt", O_CREAT | O_RDWR, 0644);
    if (fd < 0) { perror("open"); return 2; }
    struct stat st;
    fstat(fd, &st);
    printf("created file: fd %d, inode %lu\n", fd, (unsigned long)st.st_ino);
    mkdir("/tmp/observable.d", 0755);
    stat("/tmp/observable.d", &st);
    printf("created directory inode: %lu\n", (unsigned long)st.st_ino);
    stat("/tmp", &st);
    printf("/tmp inode: %lu\n", (unsigned long)st.st_ino);
    stat("/dev/null", &st);
    printf("/dev/null inode: %lu\n", (unsigned long)st.st_ino);
    unsigned long file_ino = 0;
    { struct stat s2; fstat(fd, &s2); file_ino = s2.st_ino; }

    printf("pid %d ppid %d tid %ld\n", getpid(), getppid(), (long)syscall(SYS_gettid));
    int pipefd[2];
    pipe(pipefd);
    printf("pipe fds: %d %d\n", pipefd[0], pipefd[1]);

    void *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap: %p brk: %p stack: %p\n", m, sbrk(0), (void *)&fd);

    unsigned char r[8];
    getrandom(r, sizeof r, 0);
    printf("getrandom:");
    for (int i = 0; i < 8; i++) printf(" %02x", r[i]);
    const unsigned char *at = (const unsigned char *)getauxval(AT_RANDOM);
    printf("\nAT_RANDOM:");
    for (int i = 0; i < 16; i++) printf(" %02x", at[i]);
    int urandom = open("/dev/urandom", O_RDONLY);
    read(urandom, r, sizeof r);
    printf("\n/dev/urandom:");
    for (int i = 0; i < 8; i++) printf(" %02x", r[i]);
    printf("\n");

    struct timespec mono, real;
    clock_gettime(CLOCK_MONOTONIC, &mono);
    clock_gettime(CLOCK_REALTIME, &real);
    printf("monotonic %ld.%09ld realtime %ld.%09ld\n", (long)mono.tv_sec, mono.tv_nsec, (long)real.tv_sec, real.tv_nsec);

    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        printf("child pid %d\n", getpid());
        return 0;
    }
    int status;
    waitpid(child, &status, 0);
    printf("forked child %d exited %d\n", child, WEXITSTATUS(status));

    if (argc > 1 && file_ino > strtoul(argv[1], NULL, 10)) {
        printf("inode %lu is above %s\n", file_ino, argv[1]);
        return 1;
    }
    return 0;
}
