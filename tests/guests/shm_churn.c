// shm_churn: maps, touches and unmaps a 64 KiB MAP_SHARED region 3000 times (and once across a
// fork). Shared pages must be freed when the last mapping goes: 190 MB in all, run in 32 MiB.
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    long sum = 0;
    for (int round = 0; round < 3000; round++) {
        unsigned char *p = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) { perror("mmap"); return 1; }
        for (int page = 0; page < 16; page++) p[page * 4096] = (unsigned char)(round + page);
        if (round == 1500) {
            pid_t child = fork();
            if (child == 0) { p[0] = 99; _exit(0); }
            waitpid(child, NULL, 0);
        }
        sum += p[0];
        munmap(p, 65536);
    }
    printf("sum %ld\n", sum);
    return 0;
}
