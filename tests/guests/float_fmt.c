// float_fmt: printf %f %e %g %a %.17g of doubles/floats incl. subnormals, inf, nan, -0.0, extremes; strtod/strtof round trips.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <float.h>
#include <math.h>

static volatile double dv[] = {
    0.0, -0.0, 1.0, -1.5, 0.1, 1.0 / 3.0, 2.0 / 3.0, 123456789.125, 1e22, 1e23, -1e-7,
    DBL_MAX, DBL_MIN, 4.9406564584124654e-324, 2.2250738585072009e-308, 1e300 * 10.0,
    3.141592653589793, 2.718281828459045, 9007199254740993.0, 0.5e-320,
};
static volatile float fv[] = { 0.0f, -0.0f, 1.0f, 0.1f, 1.0f / 3.0f, FLT_MAX, FLT_MIN, 1.4e-45f, 1.1754942e-38f, 16777217.0f, -2.5f };

int main(void) {
    volatile double inf = INFINITY, zero = 0.0;
    double nan1 = zero / zero; /* default NaN on RISC-V is positive canonical */
    for (unsigned i = 0; i < sizeof dv / sizeof dv[0]; i++) {
        double d = dv[i];
        printf("d[%u] f=%f e=%e g=%g a=%a 17g=%.17g\n", i, d, d, d, d, d);
        printf("     .3f=%.3f 10.2e=%10.2e -12g|=%-12g| .0f=%.0f +.20e=%+.20e\n", d, d, d, d, d);
    }
    double specials[] = { inf, -inf, nan1, -nan1 };
    for (int i = 0; i < 4; i++)
        printf("s[%d] f=%f e=%E g=%G a=%a 8.3f=%8.3f signbit=%d\n", i, specials[i], specials[i], specials[i],
               specials[i], specials[i], signbit(specials[i]) != 0);
    for (unsigned i = 0; i < sizeof fv / sizeof fv[0]; i++) {
        float f = fv[i];
        printf("f[%u] f=%f e=%e g=%g a=%a 9g=%.9g fpclass=%d\n", i, f, f, f, f, f, fpclassify(f));
    }
    /* Round trips: format with %.17g / %.9g and parse back, must be bit-identical. */
    int ok = 0, total = 0;
    for (unsigned i = 0; i < sizeof dv / sizeof dv[0]; i++) {
        char buf[64]; double d = dv[i], back;
        snprintf(buf, sizeof buf, "%.17g", d);
        back = strtod(buf, NULL);
        total++; ok += memcmp(&back, &d, sizeof d) == 0;
        snprintf(buf, sizeof buf, "%a", d);
        back = strtod(buf, NULL);
        total++; ok += memcmp(&back, &d, sizeof d) == 0;
    }
    for (unsigned i = 0; i < sizeof fv / sizeof fv[0]; i++) {
        char buf[64]; float f = fv[i], back;
        snprintf(buf, sizeof buf, "%.9g", f);
        back = strtof(buf, NULL);
        total++; ok += memcmp(&back, &f, sizeof f) == 0;
    }
    printf("roundtrip %d/%d\n", ok, total);
    const char *inputs[] = { "0x1.fffffffffffffp+1023", "1e-400", "-1e400", "4.9e-324", "2.4703282292062328e-324",
                             "  +12.5e3xyz", "inf", "-Infinity", "nan", "0x10", "1.7976931348623158e308",
                             "1.7976931348623159e308", "0.000000000000000000000000000001", "123456789012345678901234567890" };
    for (unsigned i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char *end; double d = strtod(inputs[i], &end);
        float f = strtof(inputs[i], NULL);
        printf("strtod(\"%s\") = %.17g (%a) consumed=%d strtof=%.9g\n", inputs[i], d, d, (int)(end - inputs[i]), f);
    }
    printf("atof=%g sscanf:", atof("6.02214076e23"));
    double a, b; float c;
    if (sscanf("3.25 -7e-3 1.5", "%lf %lf %f", &a, &b, &c) == 3) printf(" %g %g %g\n", a, b, c);
    return 0;
}
