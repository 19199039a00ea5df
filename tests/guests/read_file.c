// read_file: open/read() in chunks, lseek, fstat, pread, fopen/fgets line reading of argv[1]; ENOENT via strerror for a missing file.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: read_file FILE\n"); return 2; }
    const char *path = argv[1];
    const char *base = strrchr(path, '/');
    printf("file: %s\n", base ? base + 1 : path); /* the directory differs between hosts */

    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("open failed: %s\n", strerror(errno)); return 1; }
    struct stat st;
    if (fstat(fd, &st) != 0) { printf("fstat failed: %s\n", strerror(errno)); return 1; }
    printf("fstat size=%lld regular=%d\n", (long long)st.st_size, S_ISREG(st.st_mode) != 0);

    char *buf = malloc((size_t)st.st_size + 1);
    size_t total = 0; int chunks = 0;
    char chunk[37]; /* odd chunk size so reads straddle lines */
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0) { memcpy(buf + total, chunk, (size_t)n); total += (size_t)n; chunks++; }
    buf[total] = 0;
    int lines = 0;
    for (size_t i = 0; i < total; i++) lines += buf[i] == '\n';
    printf("read(): bytes=%zu chunks=%d lines=%d eof-read=%zd\n", total, chunks, lines, n);

    off_t end = lseek(fd, 0, SEEK_END), mid = lseek(fd, 10, SEEK_SET);
    char small[16] = {0};
    ssize_t r = read(fd, small, 15);
    off_t cur = lseek(fd, 0, SEEK_CUR);
    printf("lseek end=%lld set=%lld read15=%zd \"%s\" cur=%lld\n", (long long)end, (long long)mid, r, small, (long long)cur);
    memset(small, 0, sizeof small);
    r = pread(fd, small, 8, 4);
    printf("pread(8@4)=%zd \"%s\" cur-after=%lld\n", r, small, (long long)lseek(fd, 0, SEEK_CUR));
    lseek(fd, -6, SEEK_END);
    memset(small, 0, sizeof small);
    r = read(fd, small, 15);
    printf("last6=%zd \"%.5s\"\n", r, small);
    close(fd);
    printf("read after close: %zd (%s)\n", read(fd, small, 1), strerror(errno));

    FILE *f = fopen(path, "r");
    if (!f) { printf("fopen failed: %s\n", strerror(errno)); return 1; }
    char line[256]; int ln = 0; size_t flen = 0; int same = 1;
    printf("--- content ---\n");
    while (fgets(line, sizeof line, f)) { ln++; size_t l = strlen(line); same &= flen + l <= total && memcmp(buf + flen, line, l) == 0; flen += l; printf("%2d| %s", ln, line); }
    printf("--- end ---\n");
    printf("fgets: lines=%d bytes=%zu match=%d\n", ln, flen, same && flen == total);
    rewind(f);
    int c, words = 0, inword = 0;
    while ((c = fgetc(f)) != EOF) { if (c == ' ' || c == '\n') inword = 0; else if (!inword) { inword = 1; words++; } }
    printf("words=%d ftell=%ld\n", words, ftell(f));
    fclose(f);
    free(buf);

    errno = 0;
    int bad = open("/this/file/does/not/exist.txt", O_RDONLY);
    printf("missing: fd=%d errno=ENOENT:%d msg=%s\n", bad, errno == ENOENT, strerror(errno));
    FILE *bf = fopen("/this/file/does/not/exist.txt", "r");
    printf("fopen missing: %s (%s)\n", bf ? "opened?" : "NULL", strerror(errno));
    return 0;
}
