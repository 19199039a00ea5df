/* The benign workload: a producer builds a pointer-linked binary search tree in a shared segment and
 * a consumer in another process walks it through far pointers, with the same result in every mode.
 *   tree [NODES]          producer and consumer
 *   tree NODES rotate     the producer also grants a third process and revokes it while the consumer
 *                         is half-way through (a rotation with a live grant: invisible in password-table)
 * The consumer is granted read only; the nodes hold near pointers (no passwords), the seed's layout. */
#include "common.h"

struct node {
    uint64_t key;
    struct node *left, *right;
};

static uint64_t seed = 0x1234567;

/* Inserts key below the root through far pointers (far_load_ptr verifies every link it follows). */
static void insert(far_ptr root, far_ptr fresh, uint64_t key)
{
    far_ptr at = root;
    for (;;) {
        uint64_t k = far_load_u64(at);
        far_ptr link = make_far((void *)(at.addr + (key < k ? offsetof(struct node, left) : offsetof(struct node, right))), at.pwd);
        far_ptr next = far_load_ptr(link);
        if (next.addr == 0) {
            far_store_ptr(link, fresh);
            return;
        }
        at = next;
    }
}

struct walk { uint64_t count, sum, depth, hash; };

/* In-order walk with an explicit stack (no recursion on the far side): count, sum, depth, order hash. */
static void walk(far_ptr root, struct walk *w, uint64_t stop_after, int pause_fd, int resume_fd)
{
    far_ptr stack[128];
    uint64_t depth[128];
    int top = 0;
    far_ptr at = root;
    uint64_t d = 1;
    while (at.addr != 0 || top > 0) {
        while (at.addr != 0) {
            stack[top] = at;
            depth[top++] = d++;
            at = far_load_ptr(make_far((void *)(at.addr + offsetof(struct node, left)), at.pwd));
        }
        at = stack[--top];
        d = depth[top];
        uint64_t k = far_load_u64(at);
        w->count++;
        w->sum += k;
        w->hash = w->hash * 1000003u ^ k;
        if (d > w->depth) w->depth = d;
        if (w->count == stop_after && pause_fd >= 0) {
            send_u64(pause_fd, w->count);
            recv_u64(resume_fd);
        }
        at = far_load_ptr(make_far((void *)(at.addr + offsetof(struct node, right)), at.pwd));
        d++;
    }
}

int main(int argc, char **argv)
{
    uint64_t nodes = argc > 1 ? strtoull(argv[1], NULL, 0) : 500;
    int rotate = argc > 2 && strcmp(argv[2], "rotate") == 0;
    int to_consumer[2], from_consumer[2];
    if (pipe(to_consumer) || pipe(from_consumer)) die("pipe");

    pid_t consumer = fork();
    if (consumer == 0) {
        int seg = (int)recv_u64(to_consumer[0]);
        void *base;
        if (pwd_segment_attach(seg, &base) != 0) die("attach");
        pwd_t r = pwd_get(seg, PWD_R);
        /* The root pointer is the segment's first word (the producer's address for the root). */
        far_ptr root = far_load_ptr(make_far(base, r));
        struct walk w = { 0, 0, 0, 0 };
        walk(root, &w, rotate ? nodes / 2 : 0, rotate ? from_consumer[1] : -1, to_consumer[0]);
        printf("consumer: %llu nodes, sum %llu, depth %llu, hash %016llx\n", (unsigned long long)w.count,
               (unsigned long long)w.sum, (unsigned long long)w.depth, (unsigned long long)w.hash);
        fflush(stdout);
        send_u64(from_consumer[1], w.hash);
        _exit(0);
    }

    pid_t decoy = -1;
    int decoy_pipe[2];
    if (rotate) {
        if (pipe(decoy_pipe)) die("pipe");
        decoy = fork();
        if (decoy == 0) {
            recv_u64(decoy_pipe[0]);   /* waits to be revoked, then leaves */
            _exit(0);
        }
    }

    void *base;
    size_t bytes = 64 + nodes * sizeof(struct node);
    int seg = pwd_segment_create(bytes, PWD_R | PWD_W, &base);
    if (seg < 0) die("create");
    pwd_t rw = pwd_get(seg, PWD_R | PWD_W);
    far_ptr root_slot = make_far(base, rw);
    struct walk expect = { 0, 0, 0, 0 };
    for (uint64_t i = 0; i < nodes; i++) {
        uint64_t key = next_random(&seed) % 1000000;
        far_ptr fresh = make_far((char *)base + 64 + i * sizeof(struct node), rw);
        far_store_u64(fresh, key);
        if (i == 0) far_store_ptr(root_slot, fresh);
        else insert(far_load_ptr(root_slot), fresh, key);
        expect.sum += key;
    }
    if (pwd_segment_grant(seg, consumer, PWD_R) != 0) die("grant");
    if (rotate && pwd_segment_grant(seg, decoy, PWD_R) != 0) die("grant decoy");
    send_u64(to_consumer[1], (uint64_t)seg);
    if (rotate) {
        recv_u64(from_consumer[0]);
        if (pwd_segment_revoke(seg, decoy) != 0) die("revoke");
        send_u64(to_consumer[1], 1);
        send_u64(decoy_pipe[1], 1);
        wait_child(decoy);
    }
    uint64_t hash = recv_u64(from_consumer[0]);
    wait_child(consumer);
    printf("producer: %llu nodes, sum %llu, consumer's hash %016llx\n", (unsigned long long)nodes,
           (unsigned long long)expect.sum, (unsigned long long)hash);
    return 0;
}
