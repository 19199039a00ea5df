/* A revoked process replays what it kept. The owner (uid 1000) grants a reader (uid 2000) read access;
 * the reader reads once, keeps its far pointer (address and password, or slot handle, or page id, or
 * alias), and is revoked; then it uses the kept far pointer again, and asks pwd_get again.
 * Verdicts: ATTACK SUCCEEDED (read the secret after revocation) | attack failed: si_code. */
#include "common.h"

#define SECRET 0x0dd5ec7e70dd5ec7ull

int main(void)
{
    int to_reader[2], to_owner[2];
    if (pipe(to_reader) || pipe(to_owner)) die("pipe");
    pid_t reader = fork();
    if (reader == 0) {
        if (setuid(2000) != 0) die("setuid");
        int seg = (int)recv_u64(to_reader[0]);
        void *base;
        if (pwd_segment_attach(seg, &base) != 0) die("attach");
        far_ptr kept = make_far(base, pwd_get(seg, PWD_R));
        uint64_t before = far_load_u64(kept);
        printf("reader: before revocation read %s\n", before == SECRET ? "the secret" : "something else");
        fflush(stdout);
        send_u64(to_owner[1], 1);
        recv_u64(to_reader[0]);   /* revoked now */
        pwd_t again = pwd_get(seg, PWD_R);
        printf("reader: pwd_get after revocation %s\n", again.lo == 0 && again.hi == 0 ? "refused" : "answered");
        catch_segv();
        if (sigsetjmp(probe_env, 1) == 0) {
            uint64_t after = far_load_u64(kept);
            if (after == SECRET) printf("ATTACK SUCCEEDED: the kept far pointer still reads the secret\n");
            else printf("attack failed: the kept far pointer reads something else\n");
        } else {
            printf("attack failed: SIGSEGV si_code 0x%x\n", last_code);
        }
        fflush(stdout);
        _exit(0);
    }
    void *base;
    int seg = pwd_segment_create(4096, PWD_R | PWD_W, &base);
    if (seg < 0) die("create");
    far_store_u64(make_far(base, pwd_get(seg, PWD_R | PWD_W)), SECRET);
    if (pwd_segment_grant(seg, reader, PWD_R) != 0) die("grant");
    send_u64(to_reader[1], (uint64_t)seg);
    recv_u64(to_owner[0]);
    if (pwd_segment_revoke(seg, reader) != 0) die("revoke");
    send_u64(to_reader[1], 1);
    wait_child(reader);
    return 0;
}
