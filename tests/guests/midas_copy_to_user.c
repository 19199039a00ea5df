// midas_copy_to_user: read() fills a buffer (copy_to_user) on a page that other threads' write()
// calls are reading at the same time, and the reader thread then reads its own bytes back. The data
// read must be exactly what was sent, and other threads' sends must be unaffected by it.
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>

static struct {
    char out[1024];
    char in[1024];
} shared_page __attribute__((aligned(4096)));
static int data[2], sink[2];

/* writev in pieces: the call holds the page across several user accesses. */
static void *sender(void *arg) {
    (void)arg;
    struct iovec pieces[4];
    for (int i = 0; i < 4; i++) pieces[i] = (struct iovec){shared_page.out + i * 256, 256};
    for (int k = 0; k < 30; k++) writev(sink[1], pieces, 4);
    return NULL;
}

static void *drain(void *arg) {
    (void)arg;
    char buf[1024];
    long total = 0, mismatched = 0;
    ssize_t n;
    while ((n = read(sink[0], buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) if (buf[i] != 'o') mismatched++;
        total += n;
    }
    return (void *)(total * 1000 + mismatched);
}

int main(void) {
    memset(shared_page.out, 'o', sizeof shared_page.out);
    pipe(data);
    pipe(sink);
    pthread_t s1, s2, d;
    pthread_create(&d, NULL, drain, NULL);
    pthread_create(&s1, NULL, sender, NULL);
    pthread_create(&s2, NULL, sender, NULL);
    int good = 0;
    for (int k = 0; k < 20; k++) {
        char msg[64];
        int len = snprintf(msg, sizeof msg, "message %d", k);
        write(data[1], msg, (size_t)len + 1);
        if (read(data[0], shared_page.in, sizeof shared_page.in) == len + 1 && strcmp(shared_page.in, msg) == 0) good++;
    }
    pthread_join(s1, NULL);
    pthread_join(s2, NULL);
    close(sink[1]);
    void *result;
    pthread_join(d, &result);
    long r = (long)result;
    printf("reads intact %d/20, sent %ld bytes, %ld corrupted\n", good, r / 1000, r % 1000);
    return good != 20;
}
