// segfault: prints a line, flushes, then stores through a NULL pointer; the process must die of SIGSEGV (status 139).
#include <stdio.h>

int main(void) {
    printf("about to write through NULL\n");
    fflush(stdout);
    volatile int *volatile p = NULL; /* fully volatile so the compiler emits a real store */
    *p = 42;
    printf("unreachable\n");
    return 0;
}
