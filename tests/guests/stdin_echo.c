// stdin_echo: reads all of stdin with read(), writes it uppercased, then prints byte and line counts.
#include <stdio.h>
#include <ctype.h>
#include <unistd.h>

int main(void) {
    char buf[100];
    ssize_t n;
    long bytes = 0, lines = 0;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)buf[i];
            if (c == '\n') lines++;
            if (c >= 'a' && c <= 'z') c = (unsigned char)(c - 'a' + 'A'); /* ASCII only: no locale */
            buf[i] = (char)c;
        }
        fwrite(buf, 1, (size_t)n, stdout);
        bytes += n;
    }
    printf("\n[bytes=%ld lines=%ld last-read=%zd]\n", bytes, lines, n);
    return 0;
}
