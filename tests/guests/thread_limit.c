// thread_limit: a program that asks for 100,000 threads, each parked in pause(), is refused by the kernel's
// task limit (pthread_create returns EAGAIN) instead of exhausting memory; the parked threads cost a few pages
// each. Then RLIMIT_NPROC lowered by the program itself is honoured by the next pthread_create.
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static void *park(void *arg) {
    (void)arg;
    for (;;) pause();
    return NULL;
}

int main(void) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    int created = 0, error = 0;
    for (int i = 0; i < 100000; i++) {
        pthread_t t;
        error = pthread_create(&t, &attr, park, NULL);
        if (error != 0) break;
        created++;
    }
    printf("created %d threads, then: %s\n", created, error == EAGAIN ? "EAGAIN" : strerror(error));

    struct rlimit rl;
    getrlimit(RLIMIT_NPROC, &rl);
    printf("RLIMIT_NPROC %ld: the threads and main fill it: %s\n", (long)rl.rlim_cur, (long)rl.rlim_cur == created + 1 ? "yes" : "no");
    rl.rlim_cur = 10;
    setrlimit(RLIMIT_NPROC, &rl);
    pthread_t t;
    error = pthread_create(&t, &attr, park, NULL);
    printf("below the running tasks: %s\n", error == EAGAIN ? "EAGAIN" : strerror(error));
    fflush(stdout);
    return 0; /* exit_group ends every parked thread */
}
