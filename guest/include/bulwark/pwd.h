/* Bulwark's password-protected memory (issue 14): segments in the shared part of the address space,
 * far pointers, and the password instructions of Bulwark's RISC-V machine.
 *
 * One header for every `bulwark run --memory-protection` mode; a program asks the kernel which one it
 * runs under (once) and does what that mode needs:
 *   password, password-table  far operations are the password instructions (custom-0/custom-1);
 *   fallback                  no new instructions: far operations are near ones, checked against the
 *                             page-id map the kernel keeps at PWD_PAGE_ID_MAP;
 *   none, statistical         far operations are plain near ones (nothing to check).
 * Builds with Debian's riscv64-linux-gnu-gcc and with clang: the instructions are written as .insn with
 * numeric opcodes (clang takes no CUSTOM_0 names).
 *
 * A failed check delivers SIGSEGV with si_code SEGV_PWDERR (si_addr: the far address), SEGV_PWDPTR
 * (si_addr: the bad pointer that was read) or SEGV_PWDREVOKED (password-table mode: the grant is gone),
 * and is counted against the blamed user (brute-force throttling).
 *
 * Instruction encodings (pr = password register 0..7; imm9/imm6 are the instructions' own offsets):
 *   custom-0 (0x0b) far loads   [31:29] pr [28:20] imm9 rs1 f3 rd   f3: 0 lb 1 lh 2 lw 3 ld 4 lbu 5 lhu 6 lwu 7 loadpv
 *   custom-1 (0x2b) far stores  [31:29] pr [28:25] imm9[8:5] rs2 rs1 f3 imm9[4:0]     f3: 0 sb 1 sh 2 sw 3 sd
 *             f3=4 storepv      [31:29] pr(dst) [28:26] pr(value) [25] imm6[5] rs2 rs1 imm6[4:0]
 *             f3=5 loadpwd      I-type, rd field = pr, imm12
 *             f3=6 storepwd     S-type, rs2 field = pr, imm12
 *             f3=7 verifyp      R-type, funct7 0, rs2 field = pr: rd = 1 if rs1 points into a page pr opens
 * so `.insn i 0x0b, f3, rd, rs1, pr<<9 | imm9` is a far load and `.insn s 0x2b, f3, rs2, (pr<<9 | imm9)(rs1)`
 * a far store (pr >= 4 makes the 12-bit field negative: the macros below fold it).
 */
#ifndef BULWARK_PWD_H
#define BULWARK_PWD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <unistd.h>

#define PWD_R 1u
#define PWD_W 2u
#define PWD_X 4u

/* pwd_mode() */
#define PWD_MODE_NONE 0
#define PWD_MODE_STATISTICAL 1
#define PWD_MODE_PASSWORD 2
#define PWD_MODE_TABLE 3
#define PWD_MODE_FALLBACK 4

/* System calls: Bulwark's private range 4000..4095. */
#define PWD_SYS_MODE 4000
#define PWD_SYS_SEGMENT_CREATE 4001
#define PWD_SYS_SEGMENT_GRANT 4002
#define PWD_SYS_SEGMENT_ATTACH 4003
#define PWD_SYS_SEGMENT_REVOKE 4004
#define PWD_SYS_SEGMENT_DESTROY 4005
#define PWD_SYS_GET 4006
#define PWD_SYS_REPORT 4007
#define PWD_SYS_PAGE_ID_MAP 4008

/* si_code of the SIGSEGV of a failed check (Linux's SEGV_ codes end at 10). */
#define SEGV_PWDERR 0x50
#define SEGV_PWDPTR 0x51
#define SEGV_PWDREVOKED 0x52

/* The shared part (same in every process) and, in fallback mode, the page-id map: 4 bytes per page. */
#define PWD_SHARED_BASE 0x2000000000ul
#define PWD_PAGE_ID_MAP 0x3100000000ul

/* What a far pointer carries: the password (password), its slot's address in `lo` (password-table),
 * the segment's page id in `lo` (fallback), nothing (none, statistical). */
typedef struct { uint64_t lo, hi; } pwd_t;
typedef struct { uintptr_t addr; pwd_t pwd; } far_ptr;

static int pwd__mode_cache = -1;

static inline int pwd_mode(void)
{
    if (pwd__mode_cache < 0) pwd__mode_cache = (int)syscall(PWD_SYS_MODE);
    return pwd__mode_cache;
}

static inline int pwd__hardware(void) { int m = pwd_mode(); return m == PWD_MODE_PASSWORD || m == PWD_MODE_TABLE; }

static inline int pwd_segment_create(size_t bytes, unsigned rights, void **addr)
{ return (int)syscall(PWD_SYS_SEGMENT_CREATE, bytes, rights, addr); }
static inline int pwd_segment_grant(int seg, pid_t pid, unsigned rights)
{ return (int)syscall(PWD_SYS_SEGMENT_GRANT, seg, pid, rights); }
static inline int pwd_segment_attach(int seg, void **addr) { return (int)syscall(PWD_SYS_SEGMENT_ATTACH, seg, addr); }
static inline int pwd_segment_revoke(int seg, pid_t pid) { return (int)syscall(PWD_SYS_SEGMENT_REVOKE, seg, pid); }
static inline int pwd_segment_destroy(int seg) { return (int)syscall(PWD_SYS_SEGMENT_DESTROY, seg); }

/* The value a far pointer to segment `seg` carries for `rights`; all zeros if not granted. */
static inline pwd_t pwd_get(int seg, unsigned rights)
{
    pwd_t p = { 0, 0 };
    if (syscall(PWD_SYS_GET, seg, rights, &p) != 0) p.lo = p.hi = 0;
    return p;
}

static inline far_ptr make_far(void *p, pwd_t pwd) { far_ptr f = { (uintptr_t)p, pwd }; return f; }

/* ---- the instructions, on a constant password register PR (0..7) ---- */
#define PWD__IMM(pr) "((" #pr "<<9)-((" #pr ">>2)<<12))"
/* loadpwd PR, 0(ptr): the 16 bytes at ptr (password-table: only the slot address is kept). */
#define PWD_LOADPWD(pr, ptr) __asm__ volatile(".insn i 0x2b, 5, x" #pr ", %0, 0" : : "r"(ptr) : "memory")
/* storepwd PR, 0(ptr): the register's user-visible value (never a password-table shadow). */
#define PWD_STOREPWD(pr, ptr) __asm__ volatile(".insn s 0x2b, 6, x" #pr ", 0(%0)" : : "r"(ptr) : "memory")
#define PWD_FAR_LOAD(f3, pr, out, addr) \
    __asm__ volatile(".insn i 0x0b, " #f3 ", %0, %1, " PWD__IMM(pr) : "=r"(out) : "r"(addr) : "memory")
#define PWD_FAR_STORE(f3, pr, addr, value) \
    __asm__ volatile(".insn s 0x2b, " #f3 ", %1, " PWD__IMM(pr) "(%0)" : : "r"(addr), "r"(value) : "memory")
/* storepv [addr] = value through pr0, whose password must equal pr1's. */
#define PWD__STOREPV_01(addr, value) __asm__ volatile(".insn s 0x2b, 4, %1, 64(%0)" : : "r"(addr), "r"(value) : "memory")
#define PWD__VERIFYP(pr, out, near) __asm__ volatile(".insn r 0x2b, 7, 0, %0, %1, x" #pr : "=r"(out) : "r"(near))

/* ---- fallback: the page-id map and the kernel's report of a failed check ---- */
static inline uint32_t pwd_page_id(uintptr_t a) { return *(volatile const uint32_t *)(PWD_PAGE_ID_MAP + (a >> 12) * 4); }

static inline void pwd__report(uintptr_t addr, uintptr_t source, int what) { syscall(PWD_SYS_REPORT, addr, source, what); }

/* 1 if p may be used; else the kernel delivers the SIGSEGV, and if a handler returns from it the
 * access is skipped (a load gives 0), as no access happens past a failed check in the other modes. */
static inline int pwd__check(far_ptr p)
{
    if (p.pwd.lo != 0 && pwd_page_id(p.addr) == (uint32_t)p.pwd.lo) return 1;
    pwd__report(p.addr, 0, 0);
    return 0;
}

/* ---- far accesses ---- */
#define PWD__FAR_LOAD_FN(name, type, f3)                                                 \
    static inline type name(far_ptr p)                                                  \
    {                                                                                    \
        if (pwd__hardware()) {                                                           \
            uint64_t v;                                                                  \
            PWD_LOADPWD(0, &p.pwd);                                                      \
            PWD_FAR_LOAD(f3, 0, v, p.addr);                                              \
            return (type)v;                                                              \
        }                                                                                \
        if (pwd_mode() == PWD_MODE_FALLBACK && !pwd__check(p)) return 0;                 \
        return *(volatile type *)p.addr;                                                 \
    }
PWD__FAR_LOAD_FN(far_load_u8, uint8_t, 4)
PWD__FAR_LOAD_FN(far_load_u16, uint16_t, 5)
PWD__FAR_LOAD_FN(far_load_u32, uint32_t, 6)
PWD__FAR_LOAD_FN(far_load_u64, uint64_t, 3)

#define PWD__FAR_STORE_FN(name, type, f3)                                                \
    static inline void name(far_ptr p, type value)                                      \
    {                                                                                    \
        if (pwd__hardware()) {                                                           \
            PWD_LOADPWD(0, &p.pwd);                                                      \
            PWD_FAR_STORE(f3, 0, p.addr, (uint64_t)value);                               \
            return;                                                                      \
        }                                                                                \
        if (pwd_mode() == PWD_MODE_FALLBACK && !pwd__check(p)) return;                   \
        *(volatile type *)p.addr = value;                                                \
    }
PWD__FAR_STORE_FN(far_store_u8, uint8_t, 0)
PWD__FAR_STORE_FN(far_store_u16, uint16_t, 1)
PWD__FAR_STORE_FN(far_store_u32, uint32_t, 2)
PWD__FAR_STORE_FN(far_store_u64, uint64_t, 3)

/* Loads the near pointer at p, gives it p's password and verifies it (the seed's loadpv): a pointer
 * that leads out of the pages p's password opens is a SIGSEGV (SEGV_PWDPTR); NULL passes. */
static inline far_ptr far_load_ptr(far_ptr p)
{
    uintptr_t v;
    if (pwd__hardware()) {
        PWD_LOADPWD(0, &p.pwd);
        PWD_FAR_LOAD(7, 0, v, p.addr);
    } else if (pwd_mode() == PWD_MODE_FALLBACK) {
        v = pwd__check(p) ? *(volatile uintptr_t *)p.addr : 0;
        if (v != 0 && pwd_page_id(v) != pwd_page_id(p.addr)) {
            pwd__report(v, p.addr, 1);
            v = 0;
        }
    } else {
        v = *(volatile uintptr_t *)p.addr;
    }
    far_ptr r = { v, p.pwd };
    return r;
}

/* Stores v's address (not its password) at dst; the two passwords must be the same. */
static inline void far_store_ptr(far_ptr dst, far_ptr v)
{
    if (pwd__hardware()) {
        PWD_LOADPWD(0, &dst.pwd);
        PWD_LOADPWD(1, &v.pwd);
        PWD__STOREPV_01(dst.addr, v.addr);
        return;
    }
    if (pwd_mode() == PWD_MODE_FALLBACK) {
        if (!pwd__check(dst)) return;
        if (v.pwd.lo != dst.pwd.lo) {
            pwd__report(dst.addr, 0, 0);
            return;
        }
    }
    *(volatile uintptr_t *)dst.addr = v.addr;
}

/* verifyp: 1 if `near` points into a page that pwd opens (none, statistical: any non-NULL pointer). */
static inline int far_verify(const void *near, pwd_t pwd)
{
    uintptr_t a = (uintptr_t)near;
    if (pwd__hardware()) {
        uint64_t ok;
        PWD_LOADPWD(0, &pwd);
        PWD__VERIFYP(0, ok, a);
        return (int)ok;
    }
    if (pwd_mode() == PWD_MODE_FALLBACK) return a != 0 && pwd.lo != 0 && pwd_page_id(a) == (uint32_t)pwd.lo;
    return a != 0;
}

#endif
