// mmap_munmap: map 64 KiB of anonymous memory, write one byte in each of its 16 pages (16 demand-
// paging faults), read them back, unmap it. One iteration = one mmap, 16 faults, one munmap.
// LMbench counterpart: lat_mmap (anonymous instead of file-backed) and lat_pagefault.
// Usage: mmap_munmap.elf [ITERATIONS]   (default 2000)
// check = sum of the bytes read back from the touched pages.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#define REGION (64 * 1024)
#define PAGE 4096

int main(int argc, char **argv) {
    long iterations = argc > 1 ? atol(argv[1]) : 2000;
    uint64_t sum = 0;
    for (long i = 0; i < iterations; i++) {
        volatile unsigned char *p =
            mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) { perror("mmap"); return 1; }
        for (int off = 0; off < REGION; off += PAGE) p[off] = (unsigned char)(i + off / PAGE);
        for (int off = 0; off < REGION; off += PAGE) sum += p[off];
        if (munmap((void *)p, REGION) != 0) { perror("munmap"); return 1; }
    }
    printf("mmap_munmap iterations=%ld check=%llu\n", iterations, (unsigned long long)sum);
    return 0;
}
