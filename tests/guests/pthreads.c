// pthreads: 8 threads with a mutex-protected counter, condvar bounded-buffer producer/consumer, pthread_barrier phases, join return values.
#include <stdio.h>
#include <stdint.h>
#include <pthread.h>

#define NT 8
#define ITERS 5000
#define NITEMS 2000
#define QCAP 16

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static pthread_mutex_t qmu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;
static int queue[QCAP], qhead, qcount, producers_done;
static long consumed_sum[NT], consumed_n[NT];

static pthread_barrier_t barrier;
static long cell[NT];
static long phase_total[NT][3];

static void *counter_worker(void *arg) {
    for (int i = 0; i < ITERS; i++) {
        pthread_mutex_lock(&mu);
        counter++;
        pthread_mutex_unlock(&mu);
    }
    return (void *)((intptr_t)arg * 10); /* join value */
}

static void *producer(void *arg) {
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < NITEMS; i++) {
        pthread_mutex_lock(&qmu);
        while (qcount == QCAP) pthread_cond_wait(&not_full, &qmu);
        queue[(qhead + qcount) % QCAP] = id * 100000 + i;
        qcount++;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&qmu);
    }
    pthread_mutex_lock(&qmu);
    producers_done++;
    pthread_cond_broadcast(&not_empty);
    pthread_mutex_unlock(&qmu);
    return NULL;
}

static void *consumer(void *arg) {
    int id = (int)(intptr_t)arg;
    for (;;) {
        pthread_mutex_lock(&qmu);
        while (qcount == 0 && producers_done < NT / 2) pthread_cond_wait(&not_empty, &qmu);
        if (qcount == 0) { pthread_mutex_unlock(&qmu); break; }
        int v = queue[qhead];
        qhead = (qhead + 1) % QCAP;
        qcount--;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&qmu);
        consumed_sum[id] += v;
        consumed_n[id]++;
    }
    return NULL;
}

/* Each phase: every thread writes its cell, barrier, then reads all cells. */
static void *barrier_worker(void *arg) {
    int id = (int)(intptr_t)arg, serial = 0;
    for (int phase = 0; phase < 3; phase++) {
        cell[id] = (long)(id + 1) * (phase + 1) * (phase + 1);
        if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD) serial++;
        long s = 0;
        for (int j = 0; j < NT; j++) s += cell[j];
        phase_total[id][phase] = s;
        pthread_barrier_wait(&barrier); /* nobody overwrites cells before all have read */
    }
    return (void *)(intptr_t)serial;
}

int main(void) {
    pthread_t th[NT];
    long joined = 0;
    for (int i = 0; i < NT; i++) pthread_create(&th[i], NULL, counter_worker, (void *)(intptr_t)i);
    for (int i = 0; i < NT; i++) { void *r; pthread_join(th[i], &r); joined += (intptr_t)r; }
    printf("mutex counter=%ld (expect %d) join-sum=%ld\n", counter, NT * ITERS, joined);

    for (int i = 0; i < NT; i++)
        pthread_create(&th[i], NULL, i < NT / 2 ? producer : consumer, (void *)(intptr_t)i);
    for (int i = 0; i < NT; i++) pthread_join(th[i], NULL);
    long sum = 0, n = 0;
    for (int i = 0; i < NT; i++) { sum += consumed_sum[i]; n += consumed_n[i]; }
    long expect = 0;
    for (int p = 0; p < NT / 2; p++) for (int i = 0; i < NITEMS; i++) expect += p * 100000 + i;
    printf("producer/consumer items=%ld sum=%ld (expect %d, %ld) leftover=%d\n", n, sum, NT / 2 * NITEMS, expect, qcount);

    pthread_barrier_init(&barrier, NULL, NT);
    int serials = 0;
    for (int i = 0; i < NT; i++) pthread_create(&th[i], NULL, barrier_worker, (void *)(intptr_t)i);
    for (int i = 0; i < NT; i++) { void *r; pthread_join(th[i], &r); serials += (int)(intptr_t)r; }
    pthread_barrier_destroy(&barrier);
    int agree = 1;
    for (int i = 1; i < NT; i++)
        for (int p = 0; p < 3; p++) agree &= phase_total[i][p] == phase_total[0][p];
    printf("barrier phase sums=%ld,%ld,%ld all-agree=%d serial-threads=%d\n", phase_total[0][0], phase_total[0][1],
           phase_total[0][2], agree, serials);

    /* A recursive mutex and trylock, single-threaded. */
    pthread_mutexattr_t at; pthread_mutex_t rm;
    pthread_mutexattr_init(&at);
    pthread_mutexattr_settype(&at, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&rm, &at);
    int r1 = pthread_mutex_lock(&rm), r2 = pthread_mutex_lock(&rm), r3 = pthread_mutex_trylock(&mu);
    int r4 = pthread_mutex_trylock(&mu);
    printf("recursive lock %d %d trylock %d then %d (EBUSY)\n", r1, r2, r3, r4);
    pthread_mutex_unlock(&mu); pthread_mutex_unlock(&rm); pthread_mutex_unlock(&rm);
    return 0;
}
