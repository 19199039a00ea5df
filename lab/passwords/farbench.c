/* Micro-benchmark of far accesses: ROUNDS passes over a segment of WORDS words, a far load and a far
 * store per word, through the header (in every mode: the password instructions, checked near
 * accesses, or plain near ones). Prints a checksum, the same in every mode. */
#include "common.h"

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 20;
    const long words = 1024;
    void *base;
    int seg = pwd_segment_create((size_t)words * 8, PWD_R | PWD_W, &base);
    if (seg < 0) die("create");
    pwd_t rw = pwd_get(seg, PWD_R | PWD_W);
    uint64_t sum = 0;
    for (long r = 0; r < rounds; r++)
        for (long i = 0; i < words; i++) {
            far_ptr p = make_far((uint64_t *)base + i, rw);
            uint64_t v = far_load_u64(p);
            sum += v;
            far_store_u64(p, v + (uint64_t)i);
        }
    printf("farbench: %ld far loads and %ld far stores, checksum %llu\n", rounds * words, rounds * words, (unsigned long long)sum);
    return 0;
}
