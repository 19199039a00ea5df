// sleep_time: nanosleep and clock_gettime agree: sleeping 1.5 s moves CLOCK_MONOTONIC by 1.5 s (whole tenths printed).
#include <stdio.h>
#include <time.h>

int main(void) {
    struct timespec a, b, req = {1, 500000000};
    clock_gettime(CLOCK_MONOTONIC, &a);
    nanosleep(&req, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long tenths = (b.tv_sec - a.tv_sec) * 10 + (b.tv_nsec - a.tv_nsec) / 100000000;
    printf("slept %ld.%ld s\n", tenths / 10, tenths % 10);
    return 0;
}
