/* Brute force against a segment the prober was never granted.
 *   prober single BUDGET [BITS]            one prober process, at most BUDGET probes
 *   prober fork CHILDREN PER_CHILD [BITS]  a launcher forks CHILDREN short-lived probers one after the
 *                                          other, PER_CHILD probes each (throttling must follow the user)
 * The victim (uid 1000) creates a segment holding a secret and grants nobody; the probers run as uid
 * 2000. A prober first tries the front door (attach, pwd_get: enough in `none`), then guesses what its
 * mode makes secret: an address among 2^BITS bytes of the shared part (statistical), a 128-bit password
 * (password), a slot handle (password-table), a page id (fallback; the segment is not even mapped).
 * Each wrong guess is a SIGSEGV that the prober catches (siglongjmp). Prints one verdict line:
 *   ATTACK SUCCEEDED after N probes (...)  |  attack failed: N probes, no success (...)
 * with the virtual time spent, so probes per virtual second can be compared. */
#include "common.h"

#define SECRET 0x5ec7e75ec7e75ec7ull

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static int bits = 20;

/* One guess; 1 if it read the secret. Runs under the SIGSEGV handler's siglongjmp. */
static int probe(int seg, uintptr_t base)
{
    switch (pwd_mode()) {
    case PWD_MODE_STATISTICAL: {
        uintptr_t a = PWD_SHARED_BASE + ((next_random(&rng) % (1ull << (bits - 12))) << 12);
        return *(volatile uint64_t *)a == SECRET;
    }
    case PWD_MODE_PASSWORD: {
        pwd_t guess = { next_random(&rng), next_random(&rng) };
        return far_load_u64(make_far((void *)base, guess)) == SECRET;
    }
    case PWD_MODE_TABLE: {
        /* Any slot of any segment: the prober's own section has none of them filled. */
        pwd_t guess = { 0x3000000000ull + (next_random(&rng) % 4096) * 16, 0 };
        return far_load_u64(make_far((void *)base, guess)) == SECRET;
    }
    case PWD_MODE_FALLBACK: {
        pwd_t guess = { (uint64_t)(seg + (int)(next_random(&rng) % 3)) - 1, 0 };
        return far_load_u64(make_far((void *)base, guess)) == SECRET;
    }
    default:
        return *(volatile uint64_t *)base == SECRET;
    }
}

/* The front door, then up to budget guesses; returns the probes made (negative: succeeded after -n). */
static long run_prober(int seg, uintptr_t base, long limit)
{
    volatile long budget = limit;
    void *addr;
    if (pwd_segment_attach(seg, &addr) == 0) {
        pwd_t p = pwd_get(seg, PWD_R);
        if (far_load_u64(make_far(addr, p)) == SECRET) return -1;
    }
    catch_segv();
    volatile long n = 1;
    while (n <= budget) {
        if (sigsetjmp(probe_env, 1) == 0) {
            long this_probe = n++;
            if (probe(seg, base)) return -this_probe;
        }
    }
    return budget;
}

int main(int argc, char **argv)
{
    int forking = argc > 1 && strcmp(argv[1], "fork") == 0;
    long children = forking && argc > 2 ? atol(argv[2]) : 1;
    long budget = argc > (forking ? 3 : 2) ? atol(argv[forking ? 3 : 2]) : 1000;
    if (argc > (forking ? 4 : 3)) bits = atoi(argv[forking ? 4 : 3]);

    /* The prober exists before the segment does: a fork after it would inherit the creator's grant. */
    int go[2];
    if (pipe(go)) die("pipe");
    pid_t launcher = fork();
    if (launcher != 0) {
        void *base;
        int seg = pwd_segment_create(4096, PWD_R | PWD_W, &base);
        if (seg < 0) die("create");
        far_store_u64(make_far(base, pwd_get(seg, PWD_R | PWD_W)), SECRET);
        /* In statistical mode the creator's address is the secret itself: the prober is told only the
         * shared part's base; elsewhere the address is no secret (the same in every process). */
        send_u64(go[1], (uint64_t)seg);
        send_u64(go[1], pwd_mode() == PWD_MODE_STATISTICAL ? PWD_SHARED_BASE : (uint64_t)(uintptr_t)base);
        wait_child(launcher);
        return 0;
    }
    {
        int seg = (int)recv_u64(go[0]);
        uintptr_t told = (uintptr_t)recv_u64(go[0]);
        if (setuid(2000) != 0) die("setuid");
        uint64_t start = now_ns();
        long probes = 0, success = 0;
        for (long c = 0; c < children && !success; c++) {
            int result[2];
            if (pipe(result)) die("pipe");
            rng += (uint64_t)c * 0x9e3779b97f4a7c15ull;
            pid_t child = forking ? fork() : 0;
            if (child == 0) {
                long r = run_prober(seg, told, budget);
                if (!forking) {
                    probes = r < 0 ? -r : r;
                    success = r < 0;
                    break;
                }
                send_u64(result[1], (uint64_t)r);
                _exit(0);
            }
            long r = (long)recv_u64(result[0]);
            wait_child(child);
            close(result[0]);
            close(result[1]);
            probes += r < 0 ? -r : r;
            success = r < 0;
        }
        double seconds = (double)(now_ns() - start) / 1e9;
        if (success)
            printf("ATTACK SUCCEEDED after %ld probes (%s, %.6f virtual s)\n", probes, mode_names[pwd_mode()], seconds);
        else
            printf("attack failed: %ld probes, no success (%s, %.6f virtual s, %.0f probes per virtual s)\n", probes,
                   mode_names[pwd_mode()], seconds, seconds > 0 ? probes / seconds : 0.0);
        fflush(stdout);
        _exit(0);
    }
}
