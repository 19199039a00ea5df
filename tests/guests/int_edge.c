// int_edge: integer division/remainder edge cases, overflow wrap, shifts, mulh via __int128, extension, bit builtins.
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>

static volatile int64_t v64[] = { 0, 1, -1, 7, -7, INT64_MIN, INT64_MAX, 0x123456789abcdefLL };
static volatile int32_t v32[] = { 0, 1, -1, 7, -7, INT32_MIN, INT32_MAX, 0x12345678 };
#define N 8

int main(void) {
    /* RISC-V defines x/0 = -1 (all ones), x%0 = x, MIN/-1 = MIN, MIN%-1 = 0. */
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            int64_t a = v64[i], b = v64[j];
            int64_t q, r; uint64_t uq, ur;
            __asm__ volatile("div %0,%1,%2" : "=r"(q) : "r"(a), "r"(b));
            __asm__ volatile("rem %0,%1,%2" : "=r"(r) : "r"(a), "r"(b));
            __asm__ volatile("divu %0,%1,%2" : "=r"(uq) : "r"(a), "r"(b));
            __asm__ volatile("remu %0,%1,%2" : "=r"(ur) : "r"(a), "r"(b));
            printf("d64 %" PRId64 " %" PRId64 ": q=%" PRId64 " r=%" PRId64 " uq=%" PRIu64 " ur=%" PRIu64 "\n", a, b, q, r, uq, ur);
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            int32_t a = v32[i], b = v32[j];
            int64_t q, r, uq, ur; /* W-ops sign-extend their 32-bit result */
            __asm__ volatile("divw %0,%1,%2" : "=r"(q) : "r"(a), "r"(b));
            __asm__ volatile("remw %0,%1,%2" : "=r"(r) : "r"(a), "r"(b));
            __asm__ volatile("divuw %0,%1,%2" : "=r"(uq) : "r"(a), "r"(b));
            __asm__ volatile("remuw %0,%1,%2" : "=r"(ur) : "r"(a), "r"(b));
            printf("d32 %" PRId32 " %" PRId32 ": q=%" PRId64 " r=%" PRId64 " uq=%" PRIx64 " ur=%" PRIx64 "\n", a, b, q, r, uq, ur);
        }
    /* Ordinary C division where defined (compiler-generated code paths). */
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            int64_t a = v64[i], b = v64[j];
            if (b == 0 || (a == INT64_MIN && b == -1)) continue;
            printf("c64 %" PRId64 "/%" PRId64 "=%" PRId64 " %%=%" PRId64 " u/=%" PRIu64 " u%%=%" PRIu64 "\n",
                   a, b, a / b, a % b, (uint64_t)a / (uint64_t)b, (uint64_t)a % (uint64_t)b);
        }
    /* Overflow wrap (done in unsigned, converted back). */
    for (int i = 0; i < N; i++) {
        uint64_t a = (uint64_t)v64[i];
        uint32_t b = (uint32_t)v32[i];
        printf("wrap %" PRIx64 " %" PRIx64 " %" PRIx64 " | %08" PRIx32 " %08" PRIx32 " %08" PRIx32 "\n",
               a + (uint64_t)INT64_MAX, a * (uint64_t)0x9E3779B97F4A7C15ull, (uint64_t)0 - a,
               b + (uint32_t)INT32_MAX, b * 0x9E3779B9u, (uint32_t)0 - b);
    }
    /* Shifts. */
    static volatile int sh[] = { 0, 1, 31, 32, 63 };
    for (int i = 0; i < N; i++)
        for (int k = 0; k < 5; k++) {
            int s = sh[k];
            int64_t a = v64[i]; uint64_t ua = (uint64_t)a;
            printf("sh64 %" PRIx64 " by %d: sll=%" PRIx64 " srl=%" PRIx64 " sra=%" PRIx64 "\n",
                   ua, s, ua << s, ua >> s, (uint64_t)(a >> s));
            if (s < 32) {
                int32_t b = v32[i]; uint32_t ub = (uint32_t)b;
                printf("sh32 %08" PRIx32 " by %d: sll=%08" PRIx32 " srl=%08" PRIx32 " sra=%08" PRIx32 "\n",
                       ub, s, ub << s, ub >> s, (uint32_t)(b >> s));
            }
        }
    /* Raw shifts where the amount is taken mod 64 / mod 32 by the ISA. */
    for (int k = 0; k < 5; k++) {
        int64_t a = -0x123456789LL, r1, r2, r3; int64_t s = sh[k] + 64;
        __asm__ volatile("sll %0,%1,%2" : "=r"(r1) : "r"(a), "r"(s));
        __asm__ volatile("sllw %0,%1,%2" : "=r"(r2) : "r"(a), "r"(s));
        __asm__ volatile("sraw %0,%1,%2" : "=r"(r3) : "r"(a), "r"(s));
        printf("rawsh %" PRId64 ": %" PRIx64 " %" PRIx64 " %" PRIx64 "\n", s, (uint64_t)r1, (uint64_t)r2, (uint64_t)r3);
    }
    /* High products. */
    for (int i = 0; i < N; i++)
        for (int j = i; j < N; j++) {
            int64_t a = v64[i], b = v64[j];
            __int128 p = (__int128)a * b;
            unsigned __int128 up = (unsigned __int128)(uint64_t)a * (uint64_t)b;
            __int128 su = (__int128)a * (unsigned __int128)(uint64_t)b;
            int64_t hsu;
            __asm__ volatile("mulhsu %0,%1,%2" : "=r"(hsu) : "r"(a), "r"(b));
            printf("mul %" PRIx64 "*%" PRIx64 ": lo=%" PRIx64 " h=%" PRIx64 " hu=%" PRIx64 " hsu=%" PRIx64 " hsu_c=%" PRIx64 "\n",
                   (uint64_t)a, (uint64_t)b, (uint64_t)p, (uint64_t)(p >> 64), (uint64_t)(up >> 64),
                   (uint64_t)hsu, (uint64_t)((unsigned __int128)su >> 64));
        }
    /* Sign/zero extension. */
    static volatile uint64_t ext[] = { 0x80, 0x7f, 0xff80, 0x80000000ull, 0xffffffff7fffffffull, 0x123456789abcdef0ull };
    for (int i = 0; i < 6; i++) {
        uint64_t x = ext[i];
        printf("ext %016" PRIx64 ": s8=%" PRId64 " u8=%" PRIu64 " s16=%" PRId64 " u16=%" PRIu64 " s32=%" PRId64 " u32=%" PRIu64 "\n",
               x, (int64_t)(int8_t)x, (uint64_t)(uint8_t)x, (int64_t)(int16_t)x, (uint64_t)(uint16_t)x,
               (int64_t)(int32_t)x, (uint64_t)(uint32_t)x);
    }
    /* Bit tricks. */
    static volatile uint64_t bits[] = { 1, 0x80000000ull, 0x8000000000000000ull, 0xf0f0f0f0f0f0f0f0ull, 0x0000000100000000ull, 0xffffffffffffffffull, 0x00000000000f0000ull };
    for (int i = 0; i < 7; i++) {
        uint64_t x = bits[i]; uint32_t y = (uint32_t)x;
        printf("bits %016" PRIx64 ": clz=%d ctz=%d pop=%d par=%d", x, __builtin_clzll(x), __builtin_ctzll(x),
               __builtin_popcountll(x), __builtin_parityll(x));
        if (y) printf(" clz32=%d ctz32=%d pop32=%d", __builtin_clz(y), __builtin_ctz(y), __builtin_popcount(y));
        printf(" bswap=%016" PRIx64 "\n", __builtin_bswap64(x));
    }
    return 0;
}
