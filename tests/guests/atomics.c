// atomics: C11 atomic RMW ops, exchange, CAS strong/weak on 8/16/32/64-bit, single-threaded and with 4 contending threads.
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <pthread.h>

#define NTHREADS 4
#define ITERS 20000

static _Atomic uint64_t counter64;
static _Atomic uint32_t counter32;
static _Atomic int64_t cas_counter;
static _Atomic uint64_t xor_acc, or_acc;
static _Atomic uint32_t and_acc = 0xffffffffu;
static _Atomic int spin_lock;
static long plain_counter; /* protected by spin_lock */
static _Atomic uint16_t counter16;
static _Atomic uint8_t counter8;

static void *worker(void *arg) {
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < ITERS; i++) {
        atomic_fetch_add(&counter64, 3);
        atomic_fetch_sub_explicit(&counter32, 1, memory_order_relaxed);
        atomic_fetch_add(&counter16, 1);
        atomic_fetch_add_explicit(&counter8, 1, memory_order_relaxed);
        int64_t old = atomic_load_explicit(&cas_counter, memory_order_relaxed);
        while (!atomic_compare_exchange_weak(&cas_counter, &old, old + 2))
            ;
        atomic_fetch_xor(&xor_acc, (uint64_t)(i + 1 + id * ITERS) * 0x9E3779B97F4A7C15ull);
        if (i < 64 / NTHREADS) atomic_fetch_or(&or_acc, 1ull << (id * (64 / NTHREADS) + i));
        if (i == id) atomic_fetch_and(&and_acc, ~(1u << (id * 8)));
        while (atomic_exchange_explicit(&spin_lock, 1, memory_order_acquire))
            ;
        plain_counter++;
        atomic_store_explicit(&spin_lock, 0, memory_order_release);
    }
    return NULL;
}

int main(void) {
    /* Single-threaded semantics: returned old values and results. */
    _Atomic uint64_t a = 10; _Atomic uint32_t b = 0xf0f0f0f0u; _Atomic int32_t c = -5; _Atomic int64_t d = INT64_MAX;
    printf("add old=%" PRIu64 " now=%" PRIu64 "\n", atomic_fetch_add(&a, 5), atomic_load(&a));
    printf("sub old=%" PRIu64 " now=%" PRIu64 "\n", atomic_fetch_sub(&a, 20), atomic_load(&a));
    printf("and old=%08" PRIx32 " now=%08" PRIx32 "\n", atomic_fetch_and(&b, 0x3c3c3c3cu), atomic_load(&b));
    printf("or  old=%08" PRIx32 " now=%08" PRIx32 "\n", atomic_fetch_or(&b, 0x80000001u), atomic_load(&b));
    printf("xor old=%08" PRIx32 " now=%08" PRIx32 "\n", atomic_fetch_xor(&b, 0xffffffffu), atomic_load(&b));
    printf("add32 wrap old=%" PRId32 " now=%" PRId32 "\n", atomic_fetch_add(&c, INT32_MIN), atomic_load(&c));
    printf("add64 wrap old=%" PRId64 " now=%" PRId64 "\n", atomic_fetch_add(&d, 1), atomic_load(&d));
    printf("xchg old=%" PRId64 " now=%" PRId64 "\n", atomic_exchange(&d, -42), atomic_load(&d));
    int64_t exp = 7;
    _Bool ok = atomic_compare_exchange_strong(&d, &exp, 1);
    printf("cas strong fail ok=%d expected=%" PRId64 " now=%" PRId64 "\n", ok, exp, atomic_load(&d));
    ok = atomic_compare_exchange_strong(&d, &exp, 1);
    printf("cas strong succeed ok=%d now=%" PRId64 "\n", ok, atomic_load(&d));
    int32_t e32 = INT32_MAX - 4; /* -5 + INT32_MIN wrapped */
    int tries = 0;
    do { tries++; } while (!atomic_compare_exchange_weak(&c, &e32, 99) && e32 == INT32_MAX - 4 && tries < 1000);
    printf("cas weak 32 now=%" PRId32 " (succeeded within limit: %d)\n", atomic_load(&c), tries < 1000);
    uint32_t e = 0; /* 32-bit CAS where the value has bit 31 set: sign-extension matters for lr.w/sc.w */
    _Atomic uint32_t hb = 0x80000000u; e = 0x80000000u;
    ok = atomic_compare_exchange_strong(&hb, &e, 0x80000001u);
    printf("cas32 highbit ok=%d now=%08" PRIx32 "\n", ok, atomic_load(&hb));
    _Atomic uint8_t u8 = 250; _Atomic uint16_t u16 = 65530;
    printf("u8 add old=%u now=%u  u16 add old=%u now=%u\n", atomic_fetch_add(&u8, 10), atomic_load(&u8),
           atomic_fetch_add(&u16, 10), atomic_load(&u16));
    atomic_flag fl = ATOMIC_FLAG_INIT;
    int t1 = atomic_flag_test_and_set(&fl), t2 = atomic_flag_test_and_set(&fl);
    atomic_flag_clear(&fl);
    printf("flag %d %d %d lockfree64=%d\n", t1, t2, atomic_flag_test_and_set(&fl), (int)atomic_is_lock_free(&a));
    atomic_thread_fence(memory_order_seq_cst);

    /* Multi-threaded contention. */
    atomic_store(&counter32, NTHREADS * ITERS);
    pthread_t th[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) pthread_create(&th[i], NULL, worker, (void *)(intptr_t)i);
    for (int i = 0; i < NTHREADS; i++) pthread_join(th[i], NULL);
    printf("threads=%d iters=%d\n", NTHREADS, ITERS);
    printf("counter64=%" PRIu64 " (expect %d)\n", atomic_load(&counter64), 3 * NTHREADS * ITERS);
    printf("counter32=%" PRIu32 " (expect 0)\n", atomic_load(&counter32));
    printf("counter16=%u counter8=%u\n", atomic_load(&counter16), atomic_load(&counter8));
    printf("cas_counter=%" PRId64 " (expect %d)\n", atomic_load(&cas_counter), 2 * NTHREADS * ITERS);
    printf("xor_acc=%016" PRIx64 " or_acc=%016" PRIx64 " and_acc=%08" PRIx32 "\n", atomic_load(&xor_acc),
           atomic_load(&or_acc), atomic_load(&and_acc));
    printf("spinlock counter=%ld\n", plain_counter);
    return 0;
}
