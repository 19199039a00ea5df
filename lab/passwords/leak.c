/* A leaked password. The owner (uid 1000) grants A (uid 2000) read access; A passes its far pointer
 * (address and password, slot handle, page id or alias: whatever pwd_get and attach gave it) through
 * a pipe to B (uid 3000), which was never granted anything and uses it.
 * Verdicts: ATTACK SUCCEEDED (B read the secret) | attack failed: si_code. */
#include "common.h"

#define SECRET 0x1eaced5ec7e71eacull

int main(void)
{
    int to_a[2], a_to_b[2];
    if (pipe(to_a) || pipe(a_to_b)) die("pipe");
    pid_t b = fork();
    if (b == 0) {
        if (setuid(3000) != 0) die("setuid");
        far_ptr leaked;
        recv_bytes(a_to_b[0], &leaked, sizeof leaked);
        catch_segv();
        if (sigsetjmp(probe_env, 1) == 0) {
            if (far_load_u64(leaked) == SECRET) printf("ATTACK SUCCEEDED: the never-granted process read the secret\n");
            else printf("attack failed: it read something else\n");
        } else {
            printf("attack failed: SIGSEGV si_code 0x%x\n", last_code);
        }
        fflush(stdout);
        _exit(0);
    }
    pid_t a = fork();
    if (a == 0) {
        if (setuid(2000) != 0) die("setuid");
        int seg = (int)recv_u64(to_a[0]);
        void *base;
        if (pwd_segment_attach(seg, &base) != 0) die("attach");
        far_ptr mine = make_far(base, pwd_get(seg, PWD_R));
        send_bytes(a_to_b[1], &mine, sizeof mine);
        _exit(0);
    }
    void *base;
    int seg = pwd_segment_create(4096, PWD_R | PWD_W, &base);
    if (seg < 0) die("create");
    far_store_u64(make_far(base, pwd_get(seg, PWD_R | PWD_W)), SECRET);
    if (pwd_segment_grant(seg, a, PWD_R) != 0) die("grant");
    send_u64(to_a[1], (uint64_t)seg);
    wait_child(a);
    wait_child(b);
    return 0;
}
