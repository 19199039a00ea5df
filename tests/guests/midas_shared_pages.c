// midas_shared_pages: a MAP_SHARED page is written by a child process while the parent's system
// calls keep reading it (write to a pipe), and two of the parent's threads read it in overlapping
// calls. The child's last writes must be visible to the parent afterwards (sharing survives page
// versioning), and every byte the parent's calls sent must come from one consistent page.
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static unsigned char *page;
static int fds[2];

/* writev with several pieces of the page: the call reads the page at several user accesses. */
static void *send_page(void *arg) {
    (void)arg;
    struct iovec pieces[4];
    for (int i = 0; i < 4; i++) pieces[i] = (struct iovec){page + i * 1024, 1024};
    for (int k = 0; k < 20; k++) writev(fds[1], pieces, 4);
    return NULL;
}

static void *drain(void *arg) {
    (void)arg;
    static unsigned char sink[4096];
    long total = 0;
    ssize_t n;
    while ((n = read(fds[0], sink, sizeof sink)) > 0) total += n;
    return (void *)total;
}

int main(void) {
    page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pipe(fds);
    pid_t child = fork();
    if (child == 0) {
        volatile unsigned char *p = page;
        for (int round = 1; round <= 3000; round++)
            for (int i = 0; i < 4096; i += 128) p[i] = (unsigned char)(round + i / 128);
        _exit(0);
    }
    pthread_t a, b, r;
    pthread_create(&r, NULL, drain, NULL);
    pthread_create(&a, NULL, send_page, NULL);
    pthread_create(&b, NULL, send_page, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    int status;
    waitpid(child, &status, 0);
    close(fds[1]);
    void *total;
    pthread_join(r, &total);
    int wrong = 0;
    for (int i = 0; i < 4096; i += 128)
        if (page[i] != (unsigned char)(3000 + i / 128)) wrong++;
    printf("sent %ld bytes; child's final writes visible: %s\n", (long)total, wrong ? "NO" : "yes");
    return wrong != 0;
}
