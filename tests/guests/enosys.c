// enosys: a syscall neither Bulwark nor qemu-user implements (riscv_hwprobe, 258) returns ENOSYS; under --strict Bulwark stops instead.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(void) {
    long r = syscall(258, 0, 0, 0, 0, 0);
    printf("syscall 258 returned %ld (%s)\n", r, r < 0 ? strerror(errno) : "ok");
    return 0;
}
