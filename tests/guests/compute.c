// compute: CPU-bound benchmark kernel (sieve of primes, CRC32, integer and double matrix multiply, branchy Collatz) scaled by argv[1].
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#ifndef DEFAULT_SCALE
#define DEFAULT_SCALE 8
#endif

static uint32_t crc_table[256];

static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static long sieve(long limit, long *last) {
    uint8_t *composite = calloc((size_t)limit + 1, 1);
    long count = 0;
    for (long i = 2; i <= limit; i++) {
        if (composite[i]) continue;
        count++; *last = i;
        for (long j = i * i; j <= limit; j += i) composite[j] = 1;
    }
    free(composite);
    return count;
}

#define MN 48
static int64_t ma[MN][MN], mb[MN][MN], mc[MN][MN];
static double da[MN][MN], db[MN][MN], dc[MN][MN];

static uint64_t matmul_int(int reps) {
    uint64_t h = 0;
    for (int r = 0; r < reps; r++) {
        for (int i = 0; i < MN; i++)
            for (int j = 0; j < MN; j++) { ma[i][j] = (i * 31 + j * 17 + r) % 101 - 50; mb[i][j] = (i * 7 + j * 13 + r) % 97 - 48; }
        for (int i = 0; i < MN; i++)
            for (int j = 0; j < MN; j++) {
                int64_t s = 0;
                for (int k = 0; k < MN; k++) s += ma[i][k] * mb[k][j];
                mc[i][j] = s;
            }
        for (int i = 0; i < MN; i++) h = h * 1000003u + (uint64_t)mc[i][(i * 5 + r) % MN];
    }
    return h;
}

static double matmul_double(int reps) {
    double trace = 0;
    for (int r = 0; r < reps; r++) {
        for (int i = 0; i < MN; i++)
            for (int j = 0; j < MN; j++) { da[i][j] = (i + 1) / (double)(j + r + 1); db[i][j] = (i - j) * 0.25 + r; }
        for (int i = 0; i < MN; i++)
            for (int j = 0; j < MN; j++) {
                double s = 0;
                for (int k = 0; k < MN; k++) s += da[i][k] * db[k][j];
                dc[i][j] = s;
            }
        for (int i = 0; i < MN; i++) trace += dc[i][i];
    }
    return trace;
}

static long collatz_max(long upto, long *arg) {
    long best = 0;
    for (long n = 1; n <= upto; n++) {
        long steps = 0;
        for (uint64_t x = (uint64_t)n; x != 1; steps++) x = (x & 1) ? 3 * x + 1 : x >> 1;
        if (steps > best) { best = steps; *arg = n; }
    }
    return best;
}

int main(int argc, char **argv) {
    int scale = argc > 1 ? atoi(argv[1]) : DEFAULT_SCALE;
    if (scale < 1) scale = 1;
    printf("scale=%d\n", scale);

    long last = 0, limit = 250000L * scale;
    long primes = sieve(limit, &last);
    printf("sieve: %ld primes <= %ld, largest %ld\n", primes, limit, last);

    crc_init();
    size_t n = (size_t)65536 * scale;
    uint8_t *buf = malloc(n);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < n; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; buf[i] = (uint8_t)(x >> 24); }
    printf("crc32: %zu bytes -> %08x, crc32(\"123456789\")=%08x\n", n, crc32(buf, n), crc32((const uint8_t *)"123456789", 9));
    free(buf);

    printf("matmul int %dx%d x%d: hash=%016llx\n", MN, MN, scale, (unsigned long long)matmul_int(scale));
    printf("matmul double %dx%d x%d: trace=%.6e\n", MN, MN, scale, matmul_double(scale));

    long arg = 0, best = collatz_max(20000L * scale, &arg);
    printf("collatz: longest chain below %ld starts at %ld (%ld steps)\n", 20000L * scale, arg, best);
    return 0;
}
