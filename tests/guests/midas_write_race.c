// midas_write_race: a writer thread keeps storing into a 64 KiB buffer while another thread
// write()s that buffer to a pipe (one long copy_from_user over 16 pages). Afterwards every byte the
// writer stored last must be in the buffer: a protection that versions pages must lose no user write.
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SIZE (64 * 1024)
static unsigned char buffer[SIZE] __attribute__((aligned(4096)));
static int fds[2];
static volatile int rounds_done;

static void *drain(void *arg) {
    (void)arg;
    static unsigned char sink[SIZE];
    long total = 0;
    ssize_t n;
    while ((n = read(fds[0], sink, sizeof sink)) > 0) total += n;
    return (void *)total;
}

static void *scribble(void *arg) {
    (void)arg;
    volatile unsigned char *b = buffer;
    for (int round = 1; round <= 6; round++) {
        for (int i = 0; i < SIZE; i += 61) b[i] = (unsigned char)(round * 37 + i);
        rounds_done = round;
    }
    return NULL;
}

int main(void) {
    pipe(fds);
    pthread_t reader, writer;
    pthread_create(&reader, NULL, drain, NULL);
    pthread_create(&writer, NULL, scribble, NULL);
    for (int k = 0; k < 8; k++) write(fds[1], buffer, SIZE);
    pthread_join(writer, NULL);
    close(fds[1]);
    void *total;
    pthread_join(reader, &total);
    int lost = 0;
    for (int i = 0; i < SIZE; i += 61)
        if (buffer[i] != (unsigned char)(6 * 37 + i)) lost++;
    printf("piped %ld bytes, writer rounds %d, lost writes %d\n", (long)total, rounds_done, lost);
    return lost != 0;
}
