/* The fallback's page-id map against the page tables: after attach, munmap, mmap, a refused
 * MAP_FIXED and mprotect, fork, and a child's munmap, every page's id must say whether a segment's page
 * is mapped there (its id) or not (0). Fallback mode only. Prints one line per check. */
#include "common.h"
#include <sys/mman.h>

#define PAGE 4096ul

static int failures;

static void expect_id(const char *what, void *p, uint32_t id)
{
    uint32_t got = pwd_page_id((uintptr_t)p);
    if (got != id) failures++;
    printf("%-44s id %u %s\n", what, got, got == id ? "ok" : "MISMATCH");
}

int main(void)
{
    if (pwd_mode() != PWD_MODE_FALLBACK) {
        printf("pageidmap needs fallback mode\n");
        return 1;
    }
    printf("map at 0x%lx\n", (long)syscall(PWD_SYS_PAGE_ID_MAP));
    void *a, *b;
    int sa = pwd_segment_create(3 * PAGE, PWD_R | PWD_W, &a);
    int sb = pwd_segment_create(2 * PAGE, PWD_R | PWD_W, &b);
    if (sa < 0 || sb < 0) die("create");
    char *pa = a, *pb = b;
    static char private_data[PAGE];
    expect_id("A page 0", pa, (uint32_t)sa);
    expect_id("A page 2", pa + 2 * PAGE, (uint32_t)sa);
    expect_id("guard page after A", pa + 3 * PAGE, 0);
    expect_id("B page 1", pb + PAGE, (uint32_t)sb);
    expect_id("private data", private_data, 0);
    expect_id("stack", &sa, 0);

    if (munmap(pa + PAGE, PAGE) != 0) die("munmap");
    expect_id("A page 1 after munmap", pa + PAGE, 0);
    expect_id("A page 0 after munmap of page 1", pa, (uint32_t)sa);
    char *fresh = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (fresh == MAP_FAILED) die("mmap");
    fresh[0] = 1;
    expect_id("new private mmap", fresh, 0);
    void *fixed = mmap(pa + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED into the shared part: %s\n", fixed == MAP_FAILED ? "refused" : "MAPPED");
    if (fixed != MAP_FAILED) failures++;
    expect_id("A page 1 after the refused MAP_FIXED", pa + PAGE, 0);
    printf("mprotect of a segment: %s\n", mprotect(pa, PAGE, PROT_READ) != 0 ? "refused" : "ALLOWED");
    printf("write to the page-id map: ");
    fflush(stdout);
    catch_segv();
    if (sigsetjmp(probe_env, 1) == 0) {
        *(volatile uint32_t *)(PWD_PAGE_ID_MAP + ((uintptr_t)pa >> 12) * 4) = 99;
        printf("ALLOWED\n");
        failures++;
    } else {
        printf("SIGSEGV\n");
    }

    int to_parent[2], to_child[2];
    if (pipe(to_parent) || pipe(to_child)) die("pipe");
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        expect_id("child: A page 0", pa, (uint32_t)sa);
        expect_id("child: A page 1 (unmapped before fork)", pa + PAGE, 0);
        expect_id("child: B page 0", pb, (uint32_t)sb);
        if (munmap(pb, 2 * PAGE) != 0) die("child munmap");
        expect_id("child: B page 0 after its munmap", pb, 0);
        expect_id("child: B page 1 after its munmap", pb + PAGE, 0);
        fflush(stdout);
        send_u64(to_parent[1], (uint64_t)failures);
        recv_u64(to_child[0]);
        _exit(0);
    }
    failures += (int)recv_u64(to_parent[0]);
    expect_id("parent: B page 0 after the child's munmap", pb, (uint32_t)sb);
    send_u64(to_child[1], 1);
    wait_child(child);
    if (pwd_segment_destroy(sa) != 0) die("destroy");
    expect_id("A page 0 after destroy", pa, 0);
    expect_id("B page 1 still", pb + PAGE, (uint32_t)sb);
    printf("%s\n", failures == 0 ? "page-id map consistent" : "PAGE-ID MAP INCONSISTENT");
    return failures != 0;
}
