// pie_nolibc: a static-pie executable (ET_DYN, no interpreter) without libc, so no self-relocation:
// the loader picks its base; the code reaches its data PC-relatively and talks through raw syscalls.
// Built with -nostdlib -pie --no-dynamic-linker (see regen.sh): Debian's cross glibc has no rcrt1.o for a libc one.
static long syscall3(long number, long a, long b, long c) {
    register long a7 __asm__("a7") = number;
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2) : "memory");
    return a0;
}

static const char message[] = "hello from a static-pie without libc\n";

void _start(void) {
    syscall3(64, 1, (long)message, sizeof message - 1);
    syscall3(93, 5, 0, 0);
    for (;;) {}
}
