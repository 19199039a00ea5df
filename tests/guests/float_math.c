// float_math: sqrt/fma/fmin/fmax (NaN, ±0), fcvt saturation at/beyond limits, fesetround modes, fetestexcept flags, NaN boxing.
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>
#include <string.h>
#include <math.h>
#include <fenv.h>

static volatile double vd[] = { 2.5, -2.5, 3.5, -0.5, 0.49999999999999994, 1e10, 9.2233720368547758e18, 9.2233720368547748e18,
                                -9.2233720368547758e18, -9.2233720368547779e18, 1.8446744073709552e19, 4294967295.7, 2147483647.5,
                                -2147483648.9, -2147483649.0, -1.0, INFINITY, -INFINITY, NAN };
static volatile double vinf = INFINITY, one = 1.0, three = 3.0, ten = 10.0, two = 2.0, zero = 0.0, big = 1e308, tiny = 1e-308;
static volatile float fone = 1.0f, fthree = 3.0f;

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

static void flags(const char *what) {
    int f = fetestexcept(FE_ALL_EXCEPT);
    printf("%-22s flags:%s%s%s%s%s%s\n", what, f & FE_INEXACT ? " inexact" : "", f & FE_UNDERFLOW ? " underflow" : "",
           f & FE_OVERFLOW ? " overflow" : "", f & FE_DIVBYZERO ? " divbyzero" : "", f & FE_INVALID ? " invalid" : "",
           f ? "" : " none");
    feclearexcept(FE_ALL_EXCEPT);
}

/* Conversions with the ISA's defined saturating behaviour, written directly as instructions. */
#define CVT(insn, T, x) ({ T r_; __asm__ volatile(insn " %0,%1,rtz" : "=r"(r_) : "f"(x)); r_; })

int main(void) {
    volatile double d;
    printf("sqrt2=%a sqrt(-1)=%f sqrt(-0)=%g sqrtf3=%a\n", sqrt(two), sqrt(-one), sqrt(-zero), sqrtf(fthree));
    volatile double tenth = one / ten, prod = tenth * ten; /* volatile product: no fused contraction */
    printf("fma(0.1,10,-1)=%a  unfused=%a\n", fma(tenth, ten, -one), prod - one);
    printf("fmaf=%a\n", fmaf(fone / fthree, fthree, -fone));
    volatile double qn = NAN, nz = -0.0, pz = 0.0;
    printf("fmin(nan,1)=%g fmax(1,nan)=%g fmin(nan,nan)=%g\n", fmin(qn, one), fmax(one, qn), fmin(qn, qn));
    printf("fmin(-0,+0)=%g fmin(+0,-0)=%g fmax(-0,+0)=%g fmax(+0,-0)=%g\n", fmin(nz, pz), fmin(pz, nz), fmax(nz, pz), fmax(pz, nz));
    printf("fminf(nan,2)=%g copysign=%g fabs(-0)=%g\n", fminf((float)qn, 2.0f), copysign(three, nz), fabs(nz));
    printf("nan bits: 0/0=%016" PRIx64 " inf-inf=%016" PRIx64 " f0/0=%08" PRIx32 "\n", bits(zero / zero),
           bits(vinf - vinf), fbits((float)zero / (float)zero));
    /* float value widened from a double NaN with payload -> canonical NaN */
    uint64_t payload = 0x7ff4000000000123ull; double pd; memcpy(&pd, &payload, 8);
    volatile double vpd = pd;
    printf("snan->float=%08" PRIx32 " snan+0=%016" PRIx64 "\n", fbits((float)vpd), bits(vpd + zero));
    feclearexcept(FE_ALL_EXCEPT);

    printf("-- conversions (rtz, saturating)\n");
    for (unsigned i = 0; i < sizeof vd / sizeof vd[0]; i++) {
        double x = vd[i];
        int64_t l = CVT("fcvt.l.d", int64_t, x);
        uint64_t lu = CVT("fcvt.lu.d", uint64_t, x);
        int64_t w = CVT("fcvt.w.d", int64_t, x);
        int64_t wu = CVT("fcvt.wu.d", int64_t, x);
        int f = fetestexcept(FE_ALL_EXCEPT); feclearexcept(FE_ALL_EXCEPT);
        printf("%-24.17g l=%" PRId64 " lu=%" PRIu64 " w=%" PRId64 " wu=%" PRIx64 " fl=%x", x, l, lu, w, (uint64_t)wu, f);
        if (!isnan(x) && fabs(x) < 9e18) printf(" llrint=%lld lround=%ld trunc=%g", llrint(x), lround(x), trunc(x));
        printf("\n");
        feclearexcept(FE_ALL_EXCEPT);
    }
    static volatile int64_t iv[] = { INT64_MAX, INT64_MIN, 9007199254740993LL, -9007199254740993LL };
    static volatile uint64_t uv[] = { UINT64_MAX, 0x8000000000000401ull, 18446744073709550591ull };
    for (int i = 0; i < 4; i++) printf("i64->d %" PRId64 " = %.17g f=%.9g\n", iv[i], (double)iv[i], (float)iv[i]);
    for (int i = 0; i < 3; i++) printf("u64->d %" PRIu64 " = %.17g f=%.9g\n", uv[i], (double)uv[i], (float)uv[i]);
    volatile int32_t i32 = INT32_MIN; volatile uint32_t u32 = UINT32_MAX;
    printf("i32->f %.9g u32->f %.9g u32->d %.17g\n", (float)i32, (float)u32, (double)u32);
    feclearexcept(FE_ALL_EXCEPT);

    printf("-- rounding modes\n");
    static const int modes[] = { FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };
    static const char *names[] = { "nearest", "upward", "downward", "towardzero" };
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        volatile double q = one / three, nq = -one / three, s = sqrt(two), r1 = rint(2.5 + zero), r2 = rint(-3.5 + zero);
        volatile double r3 = nearbyint(-2.5 + zero);
        volatile float fq = fone / fthree;
        volatile long lr = lrint(-2.5 + zero), lr2 = lrint(2.5 + zero);
        volatile int64_t cv; double x = 2.7 + zero;
        __asm__ volatile("fcvt.l.d %0,%1" : "=r"(cv) : "f"(x)); /* dynamic rounding mode */
        volatile int64_t cvn; double xn = -2.7 + zero;
        __asm__ volatile("fcvt.l.d %0,%1" : "=r"(cvn) : "f"(xn));
        volatile double sum = big + big; volatile double dq = (double)(int64_t)0x7fffffffffffffffLL;
        (void)dq;
        printf("%-10s get=%d 1/3=%a -1/3=%a sqrt2=%a f1/3=%a rint(2.5)=%g rint(-3.5)=%g nearbyint(-2.5)=%g lrint=%ld,%ld fcvt(2.7)=%" PRId64 " fcvt(-2.7)=%" PRId64 " 1e308+1e308=%g\n",
               names[m], fegetround() == modes[m], q, nq, s, fq, r1, r2, r3, lr, lr2, cv, cvn, sum);
        volatile int64_t big64 = (1LL << 53) + 1; volatile double cd = (double)big64;
        printf("%-10s (double)(2^53+1)=%.17g (double)-(2^53+1)=%.17g\n", names[m], cd, (double)-big64);
    }
    fesetround(FE_TONEAREST);
    feclearexcept(FE_ALL_EXCEPT);

    printf("-- exception flags\n");
    d = one / three; flags("1/3");
    d = one / two; flags("1/2");
    d = big * ten; flags("1e308*10");
    d = tiny / 1e10; flags("1e-308/1e10");
    d = one / zero; flags("1/0");
    d = zero / zero; flags("0/0");
    d = sqrt(-one); flags("sqrt(-1)");
    d = vinf - vinf; flags("inf-inf");
    { volatile double sn = vpd; d = sn + one; } flags("snan+1");
    { volatile int c = qn < one; (void)c; } flags("nan<1 (signaling cmp)");
    { volatile int c = qn == one; (void)c; } flags("nan==1 (quiet cmp)");
    { volatile int c = isless(qn, one); (void)c; } flags("isless(nan,1)");
    { volatile float f = (float)(one / three); (void)f; } flags("(float)(1/3)");
    { volatile float f = (float)big; (void)f; } flags("(float)1e308");
    feraiseexcept(FE_OVERFLOW | FE_INEXACT); flags("feraiseexcept(ov|ix)");
    fenv_t env; feholdexcept(&env); d = one / zero; flags("held 1/0"); fesetenv(&env); flags("after fesetenv");
    (void)d;
    return 0;
}
