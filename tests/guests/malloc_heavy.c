// malloc_heavy: many malloc/calloc/realloc/free of varied sizes incl. >128 KiB (mmap-backed), content checksums, qsort of 200k ints.
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

static uint32_t rng = 12345;
static uint32_t next(void) { rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5; return rng; }

static uint64_t hash_bytes(const unsigned char *p, size_t n, size_t stride) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i += stride) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}
/* Sampled (every 61st byte plus the last) to keep the instruction count modest. */
static uint64_t checksum(const unsigned char *p, size_t n) { return hash_bytes(p, n, 61) ^ p[n - 1] ^ (uint64_t)n << 40; }

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

#define SLOTS 512

int main(void) {
    static unsigned char *slot[SLOTS];
    static size_t len[SLOTS];
    uint64_t total = 0, ops = 0, bigs = 0;
    for (int round = 0; round < 6000; round++) {
        int i = next() % SLOTS;
        uint32_t r = next();
        if (slot[i] && (r & 3) == 0) {
            total ^= checksum(slot[i], len[i]);
            free(slot[i]); slot[i] = NULL; len[i] = 0;
        } else if (slot[i] && (r & 3) == 1) {
            size_t old = len[i], n = (r >> 4) % 4096 + 1;
            if ((r >> 20) % 64 == 0) n = 150000 + (r >> 8) % 100000, bigs++;
            unsigned char *p = realloc(slot[i], n);
            if (!p) { printf("realloc failed\n"); return 1; }
            if (n > old) { memset(p + old, (int)(r >> 12), n - old); p[n - 1] = (unsigned char)(n * 7 + i); }
            slot[i] = p; len[i] = n;
        } else if (!slot[i]) {
            size_t n = (r >> 4) % 2048 + 1;
            if ((r >> 20) % 32 == 0) n = 131072 + (r >> 8) % 400000, bigs++;
            unsigned char *p = (r & 4) ? calloc(n, 1) : malloc(n);
            if (!p) { printf("malloc failed\n"); return 1; }
            if (r & 4) { for (size_t k = 0; k < n; k += 97) if (p[k]) { printf("calloc not zero\n"); return 1; } }
            memset(p, (int)(r >> 24), n);
            p[n - 1] = (unsigned char)i;
            slot[i] = p; len[i] = n;
        } else {
            memset(slot[i], (int)(r >> 16), len[i] / 2);
        }
        ops++;
    }
    size_t live = 0;
    for (int i = 0; i < SLOTS; i++) {
        if (slot[i]) { total ^= checksum(slot[i], len[i]); live += len[i]; free(slot[i]); }
    }
    printf("ops=%lu big-allocs=%lu live-bytes-at-end=%zu checksum=%016lx\n", (unsigned long)ops, (unsigned long)bigs, live, (unsigned long)total);

    /* A few very large blocks: touch every page, then free. */
    for (int k = 1; k <= 4; k++) {
        size_t n = (size_t)k * 1024 * 1024 + 123;
        unsigned char *p = malloc(n);
        for (size_t off = 0; off < n; off += 4096) p[off] = (unsigned char)(off >> 12);
        p[n - 1] = 0x5a;
        uint64_t s = 0;
        for (size_t off = 0; off < n; off += 4096) s += p[off];
        printf("block %zu bytes: page-sum=%lu last=%x\n", n, (unsigned long)s, p[n - 1]);
        free(p);
    }

    /* qsort 20k pseudo-random ints and verify. */
    size_t n = 20000;
    int *a = malloc(n * sizeof *a);
    for (size_t i = 0; i < n; i++) a[i] = (int)(next() % 1000000) - 500000;
    qsort(a, n, sizeof *a, cmp_int);
    int sorted = 1;
    for (size_t i = 1; i < n; i++) sorted &= a[i - 1] <= a[i];
    printf("qsort n=%zu sorted=%d min=%d median=%d max=%d checksum=%016lx\n", n, sorted, a[0], a[n / 2], a[n - 1],
           (unsigned long)hash_bytes((unsigned char *)a, n * sizeof *a, 1));
    free(a);

    /* Strings: strdup/strcat/strlen. */
    char *s = strdup("bulwark");
    for (int i = 0; i < 10; i++) { size_t l = strlen(s); s = realloc(s, 2 * l + 1); memcpy(s + l, s, l + 1); }
    printf("string length=%zu prefix=%.14s checksum=%016lx\n", strlen(s), s, (unsigned long)hash_bytes((unsigned char *)s, strlen(s), 1));
    free(s);
    return 0;
}
