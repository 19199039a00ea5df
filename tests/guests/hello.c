// hello: printf, argc/argv echo (argv[0] omitted: it differs between hosts), getenv of an unset variable, exit code 7.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    printf("Hello from Bulwark guest!\n");
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    printf("argv[argc]=%s\n", argv[argc] == NULL ? "NULL" : "non-NULL");
    const char *v = getenv("BULWARK_TEST_SURELY_UNSET_VARIABLE");
    printf("getenv(unset)=%s\n", v ? v : "(null)");
    setenv("BULWARK_GREETING", "hi there", 1);
    printf("getenv(after setenv)=%s\n", getenv("BULWARK_GREETING"));
    return 7;
}
