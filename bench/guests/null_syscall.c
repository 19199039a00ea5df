// null_syscall: the cheapest round trip into the kernel and back.
// Each iteration is one getppid() made with syscall(SYS_getppid), so no C library can cache it.
// LMbench counterpart: lat_syscall null.
// Usage: null_syscall.elf [ITERATIONS]   (default 100000)
// check = number of calls that succeeded (equals ITERATIONS).
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
    long iterations = argc > 1 ? atol(argv[1]) : 100000;
    long ok = 0;
    for (long i = 0; i < iterations; i++)
        if (syscall(SYS_getppid) >= 0) ok++;
    printf("null_syscall iterations=%ld check=%ld\n", iterations, ok);
    return 0;
}
