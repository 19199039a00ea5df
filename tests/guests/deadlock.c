// deadlock: the only thread waits on a futex nobody will wake. qemu would hang forever; Bulwark
// reports the deadlock and exits with status 126. No qemu output is recorded for this case.
#include <linux/futex.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

static int word;

int main(void) {
    printf("waiting forever\n");
    fflush(stdout);
    syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    printf("woken?\n");
    return 0;
}
