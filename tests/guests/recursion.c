// recursion: deep non-tail recursion (depth 100000, small frames on the 8 MiB stack), Ackermann, recursive Fibonacci, mutual recursion.
#include <stdio.h>

/* noinline + volatile local keeps a real frame per level and defeats tail-call/loop conversion. */
__attribute__((noinline)) static long deep(long n) {
    volatile long local = n * 3 + 1;
    if (n == 0) return 0;
    return deep(n - 1) + (local & 7);
}

__attribute__((noinline)) static long ack(long m, long n) {
    if (m == 0) return n + 1;
    if (n == 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

__attribute__((noinline)) static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

__attribute__((noinline)) static int is_odd(unsigned n);
__attribute__((noinline)) static int is_even(unsigned n) { volatile unsigned k = n; return k == 0 ? 1 : is_odd(k - 1); }
__attribute__((noinline)) static int is_odd(unsigned n) { volatile unsigned k = n; return k == 0 ? 0 : is_even(k - 1); }

/* Recursion with a larger frame (array on stack). */
__attribute__((noinline)) static unsigned frame_sum(int n) {
    volatile unsigned char buf[200];
    for (int i = 0; i < 200; i++) buf[i] = (unsigned char)(n + i);
    if (n == 0) return buf[199];
    return frame_sum(n - 1) + buf[n % 200];
}

int main(void) {
    printf("deep(100000)=%ld\n", deep(100000));
    printf("ack(2,3)=%ld ack(3,3)=%ld ack(3,5)=%ld\n", ack(2, 3), ack(3, 3), ack(3, 5));
    printf("fib(22)=%ld\n", fib(22));
    printf("is_even(50001)=%d is_odd(50001)=%d\n", is_even(50001), is_odd(50001));
    printf("frame_sum(5000)=%u\n", frame_sum(5000));
    return 0;
}
