/* audit_execve_benign: logs plain and control-bearing arguments through DFB_AUDIT_EXECVE and checks
 * the records; an empty argument gives EINVAL, a long one E2BIG, a small buffer ENOSPC, a bad
 * pointer EFAULT. */
#include <errno.h>
#include <string.h>
#include "dfbench.h"

static char record[256];

static int log_arg(int fd, const char *arg, uint32_t num, uint32_t capacity, uint32_t *size) {
    struct dfb_audit_arg request = {
        .arg = (uint64_t)(uintptr_t)arg, .record = (uint64_t)(uintptr_t)record,
        .record_size = capacity, .arg_num = num,
    };
    memset(record, 0, sizeof record);
    int rc = ioctl(fd, DFB_AUDIT_EXECVE, &request);
    *size = request.record_size;
    return rc == 0 ? 0 : -errno;
}

static int expect(int fd, const char *arg, uint32_t num, const char *want) {
    uint32_t size;
    if (log_arg(fd, arg, num, sizeof record, &size) != 0) return 0;
    return size == strlen(want) && memcmp(record, want, size) == 0;
}

int main(void) {
    int fd = dfb_open();
    int good = expect(fd, "hello", 0, " a0=\"hello\"")
        && expect(fd, "--verbose=1", 3, " a3=\"--verbose=1\"")
        && expect(fd, "two words", 1, " a1=74776F20776F726473")
        && expect(fd, "tab\there", 12, " a12=7461620968657265")
        && expect(fd, "q\"", 2, " a2=7122");
    uint32_t size;
    int einval = log_arg(fd, "", 0, sizeof record, &size) == -EINVAL;
    char long_arg[80];
    memset(long_arg, 'x', 79);
    long_arg[79] = 0;
    int e2big = log_arg(fd, long_arg, 0, sizeof record, &size) == -E2BIG;
    int enospc = log_arg(fd, "hello", 0, 5, &size) == -ENOSPC && size == 11;
    struct dfb_audit_arg bad = {.arg = 16, .record = (uint64_t)(uintptr_t)record, .record_size = 256};
    int efault = ioctl(fd, DFB_AUDIT_EXECVE, &bad) == -1 && errno == EFAULT;
    printf("records=%d einval=%d e2big=%d enospc=%d efault=%d\n", good, einval, e2big, enospc, efault);
    return good && einval && e2big && enospc && efault ? 0 : 1;
}
