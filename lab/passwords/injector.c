/* The pointer injector. A producer (uid 1000) keeps a linked list in a segment; the injector
 * (uid 2000, granted read-write) overwrites one link with a pointer to its own memory; the victim
 * (uid 3000, granted read only) walks the list through far pointers. The injected address is that of
 * a static variable, which in the victim (the same static binary) is the victim's own private key: a
 * victim that follows the pointer leaks it into its output.
 * Verdicts: ATTACK SUCCEEDED (the victim followed the pointer) | attack failed: si_code, si_addr. */
#include "common.h"

struct item {
    uint64_t value;
    struct item *next;
};

static char private_key[64] = "victim's private key: 7f3a9c";

int main(void)
{
    int to_injector[2], to_victim[2], done[2];
    if (pipe(to_injector) || pipe(to_victim) || pipe(done)) die("pipe");

    pid_t injector = fork();
    if (injector == 0) {
        if (setuid(2000) != 0) die("setuid");
        int seg = (int)recv_u64(to_injector[0]);
        void *base;
        if (pwd_segment_attach(seg, &base) != 0) die("injector attach");
        pwd_t rw = pwd_get(seg, PWD_R | PWD_W);
        /* Item 2's link, written as plain data: no password travels with it. */
        far_store_u64(make_far((char *)base + 2 * sizeof(struct item) + offsetof(struct item, next), rw), (uint64_t)(uintptr_t)private_key);
        send_u64(done[1], 1);
        _exit(0);
    }
    pid_t victim = fork();
    if (victim == 0) {
        if (setuid(3000) != 0) die("setuid");
        int seg = (int)recv_u64(to_victim[0]);
        void *base;
        if (pwd_segment_attach(seg, &base) != 0) die("victim attach");
        pwd_t r = pwd_get(seg, PWD_R);
        catch_segv();
        if (sigsetjmp(probe_env, 1) == 0) {
            uint64_t sum = 0;
            far_ptr at = make_far(base, r);
            for (int i = 0; at.addr != 0 && i < 8; i++) {
                sum += far_load_u64(at);
                at = far_load_ptr(make_far((void *)(at.addr + offsetof(struct item, next)), at.pwd));
                if (at.addr == (uintptr_t)private_key) {
                    printf("ATTACK SUCCEEDED: the victim followed 0x%lx and read \"%s\"\n", (unsigned long)at.addr, (char *)at.addr);
                    fflush(stdout);
                    _exit(0);
                }
            }
            printf("attack failed: the list was walked without the injected pointer (sum %llu)\n", (unsigned long long)sum);
        } else {
            printf("attack failed: victim caught SIGSEGV si_code 0x%x si_addr %s\n", last_code,
                   last_addr == (uintptr_t)private_key ? "= the injected pointer" : "elsewhere");
        }
        fflush(stdout);
        _exit(0);
    }

    void *base;
    int seg = pwd_segment_create(4096, PWD_R | PWD_W, &base);
    if (seg < 0) die("create");
    pwd_t rw = pwd_get(seg, PWD_R | PWD_W);
    for (int i = 0; i < 5; i++) {
        far_ptr item = make_far((char *)base + i * sizeof(struct item), rw);
        far_store_u64(item, (uint64_t)(i + 1) * 10);
        far_ptr link = make_far((void *)(item.addr + offsetof(struct item, next)), rw);
        if (i < 4) far_store_ptr(link, make_far((char *)base + (i + 1) * sizeof(struct item), rw));
    }
    if (pwd_segment_grant(seg, injector, PWD_R | PWD_W) != 0 || pwd_segment_grant(seg, victim, PWD_R) != 0) die("grant");
    send_u64(to_injector[1], (uint64_t)seg);
    recv_u64(done[0]);
    send_u64(to_victim[1], (uint64_t)seg);
    wait_child(injector);
    wait_child(victim);
    return 0;
}
