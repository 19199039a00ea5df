/* `rotation self`: the owner revokes the reader itself half-way (password-table: the kernel finds the
 * grant gone and delivers SIGSEGV with SEGV_PWDREVOKED instead of refreshing).
 *
 * Rotation with a live grant. A reader (granted read) loads pr2 once and reads an array through it;
 * half-way, the owner revokes a third process that also held read access, which rotates the read
 * password. The reader goes on with the same pr2: in password-table mode the kernel refreshes the
 * stale shadow and the reader sees nothing; in password mode its password is simply old.
 * Password and password-table modes only. */
#include "common.h"

#define WORDS 512

int main(int argc, char **argv)
{
    int self = argc > 1 && strcmp(argv[1], "self") == 0;
    int to_reader[2], to_owner[2], to_decoy[2];
    if (pipe(to_reader) || pipe(to_owner) || pipe(to_decoy)) die("pipe");
    pid_t reader = fork();
    if (reader == 0) {
        int seg = (int)recv_u64(to_reader[0]);
        void *base;
        if (pwd_segment_attach(seg, &base) != 0) die("attach");
        pwd_t r = pwd_get(seg, PWD_R);
        PWD_LOADPWD(2, &r);
        uint64_t sum = 0;
        catch_segv();
        if (sigsetjmp(probe_env, 1) != 0) {
            printf("reader: SIGSEGV si_code 0x%x after the rotation\n", last_code);
            fflush(stdout);
            send_u64(to_owner[1], 0);
            _exit(0);
        }
        for (int i = 0; i < WORDS; i++) {
            if (i == WORDS / 2) {
                send_u64(to_owner[1], 1);
                recv_u64(to_reader[0]);
            }
            uint64_t v;
            PWD_FAR_LOAD(3, 2, v, (uint64_t *)base + i);
            sum += v;
        }
        printf("reader: sum %llu\n", (unsigned long long)sum);
        fflush(stdout);
        send_u64(to_owner[1], 0);
        _exit(0);
    }
    pid_t decoy = fork();
    if (decoy == 0) {
        recv_u64(to_decoy[0]);
        _exit(0);
    }
    void *base;
    int seg = pwd_segment_create(WORDS * 8, PWD_R | PWD_W, &base);
    if (seg < 0) die("create");
    pwd_t rw = pwd_get(seg, PWD_R | PWD_W);
    for (int i = 0; i < WORDS; i++) far_store_u64(make_far((uint64_t *)base + i, rw), (uint64_t)i * i);
    if (pwd_segment_grant(seg, reader, PWD_R) != 0 || pwd_segment_grant(seg, decoy, PWD_R) != 0) die("grant");
    send_u64(to_reader[1], (uint64_t)seg);
    if (recv_u64(to_owner[0]) == 1) {
        if (pwd_segment_revoke(seg, self ? reader : decoy) != 0) die("revoke");
        send_u64(to_reader[1], 1);
        recv_u64(to_owner[0]);
    }
    send_u64(to_decoy[1], 1);
    wait_child(decoy);
    wait_child(reader);
    printf("owner: expected sum %llu\n", (unsigned long long)((uint64_t)(WORDS - 1) * WORDS * (2 * WORDS - 1) / 6));
    return 0;
}
