// links: symbolic and hard links in /tmp/bulwark-links (made and removed by the program): readlink, lstat
// against stat, links in the middle of a path, relative targets and "..", dangling links and O_CREAT through
// them, O_NOFOLLOW (ELOOP), loops (ELOOP), trailing slashes, hard-link counts and shared contents, linkat with and
// without AT_SYMLINK_FOLLOW, renaming and removing links, getcwd after chdir through a link, and the errors.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define D "/tmp/bulwark-links"

static const char *err(int r) {
    if (r >= 0) return "ok";
    switch (errno) {
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ELOOP: return "ELOOP";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EPERM: return "EPERM";
    case EINVAL: return "EINVAL";
    case ENOTEMPTY: return "ENOTEMPTY";
    default: return strerror(errno);
    }
}

static void cleanup(void) {
    const char *names[] = {"file", "abs", "rel", "chain", "dangling", "created", "loop1", "loop2", "self", "hard", "hard2",
                           "sub/up", "sub/file", "dirlink", "renamed", "viafollow", "vianofollow", "sub/inner", "linktolink"};
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++) {
        char p[128];
        snprintf(p, sizeof p, D "/%s", names[i]);
        unlink(p);
    }
    rmdir(D "/sub/inner");
    rmdir(D "/sub");
    rmdir(D);
}

static void show_link(const char *path) {
    char buf[256];
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n < 0) printf("readlink %s: %s\n", path + sizeof D, err(-1));
    else printf("readlink %s: %.*s\n", path + sizeof D, (int)n, buf);
}

static void show_read(const char *path) {
    char buf[64];
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("open %s: %s\n", path + sizeof D, err(-1)); return; }
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    printf("read %s: %.*s\n", path + sizeof D, (int)n, buf);
}

int main(void) {
    cleanup();
    mkdir(D, 0755);
    mkdir(D "/sub", 0755);
    int fd = open(D "/file", O_CREAT | O_WRONLY, 0644);
    write(fd, "contents", 8);
    close(fd);

    printf("symlink absolute: %s\n", err(symlink(D "/file", D "/abs")));
    printf("symlink relative: %s\n", err(symlink("file", D "/rel")));
    printf("symlink to a link: %s\n", err(symlink("rel", D "/chain")));
    printf("symlink over an existing name: %s\n", err(symlink("x", D "/file")));
    printf("symlink with an empty target: %s\n", err(symlink("", D "/empty")));
    show_link(D "/abs");
    show_link(D "/rel");
    show_link(D "/file");
    show_read(D "/abs");
    show_read(D "/chain");
    struct stat st, lst;
    stat(D "/chain", &st);
    lstat(D "/chain", &lst);
    printf("stat through link: regular %d size %ld; lstat: link %d size %ld\n", S_ISREG(st.st_mode), (long)st.st_size, S_ISLNK(lst.st_mode), (long)lst.st_size);

    printf("symlink up and over: %s\n", err(symlink("../file", D "/sub/up")));
    show_read(D "/sub/up");
    printf("symlink to a directory: %s\n", err(symlink("sub", D "/dirlink")));
    fd = open(D "/dirlink/file", O_CREAT | O_WRONLY, 0644);
    write(fd, "inner", 5);
    close(fd);
    show_read(D "/sub/file");
    show_read(D "/dirlink/up");
    printf("mkdir through a directory link: %s\n", err(mkdir(D "/dirlink/inner", 0755)));
    char cwd[256];
    chdir(D "/dirlink/inner");
    printf("getcwd after chdir through a link: %s\n", getcwd(cwd, sizeof cwd) ? cwd : err(-1));
    chdir("..");
    printf("getcwd after ..: %s\n", getcwd(cwd, sizeof cwd) ? cwd : err(-1));
    chdir("/");
    show_read(D "/dirlink/../file");

    printf("dangling symlink: %s\n", err(symlink("created", D "/dangling")));
    show_read(D "/dangling");
    printf("stat of dangling: %s, lstat: %s\n", err(stat(D "/dangling", &st)), err(lstat(D "/dangling", &lst)));
    fd = open(D "/dangling", O_CREAT | O_WRONLY, 0644);
    printf("O_CREAT through a dangling link: %s\n", err(fd));
    if (fd >= 0) { write(fd, "made", 4); close(fd); }
    show_read(D "/created");
    printf("O_CREAT|O_EXCL on a link: %s\n", err(open(D "/abs", O_CREAT | O_EXCL | O_WRONLY, 0644)));
    printf("O_NOFOLLOW on a link: %s\n", err(open(D "/abs", O_RDONLY | O_NOFOLLOW)));
    fd = open(D "/file", O_RDONLY | O_NOFOLLOW);
    printf("O_NOFOLLOW on a file: %s\n", err(fd));
    close(fd);
    fd = open(D "/abs", O_PATH | O_NOFOLLOW);
    printf("O_PATH|O_NOFOLLOW on a link: %s", err(fd));
    if (fd >= 0) { fstat(fd, &st); printf(", is a link %d", S_ISLNK(st.st_mode)); close(fd); }
    printf("\n");

    symlink("loop2", D "/loop1");
    symlink("loop1", D "/loop2");
    symlink("self", D "/self");
    printf("open of a loop: %s\n", err(open(D "/loop1", O_RDONLY)));
    printf("stat of a self-link: %s\n", err(stat(D "/self", &st)));
    printf("lstat of a loop: %s\n", err(lstat(D "/loop1", &lst)));
    printf("path through a loop: %s\n", err(open(D "/loop1/x", O_RDONLY)));
    printf("file with trailing slash: %s\n", err(open(D "/file/", O_RDONLY)));
    printf("link to file with trailing slash: %s\n", err(stat(D "/abs/", &st)));
    printf("link to dir with trailing slash: %s\n", err(stat(D "/dirlink/", &st)));
    printf("mkdir over a link: %s\n", err(mkdir(D "/abs", 0755)));
    printf("readlink of a directory: %s\n", err(readlink(D "/sub", cwd, sizeof cwd)));
    int dfd = open(D, O_RDONLY | O_DIRECTORY);
    char buf[64];
    ssize_t n = readlinkat(dfd, "rel", buf, sizeof buf);
    printf("readlinkat relative to a directory: %.*s\n", (int)n, buf);
    n = readlink(D "/abs", buf, 4);
    printf("readlink into a short buffer: %ld %.*s\n", (long)n, (int)n, buf);

    stat(D "/file", &st);
    printf("links of file: %ld\n", (long)st.st_nlink);
    printf("hard link: %s\n", err(link(D "/file", D "/hard")));
    stat(D "/file", &st);
    stat(D "/hard", &lst);
    printf("links now: %ld, same inode: %d\n", (long)st.st_nlink, st.st_ino == lst.st_ino);
    fd = open(D "/hard", O_WRONLY | O_APPEND);
    write(fd, "+more", 5);
    close(fd);
    show_read(D "/file");
    printf("hard link to a directory: %s\n", err(link(D "/sub", D "/hard2")));
    printf("hard link over an existing name: %s\n", err(link(D "/file", D "/rel")));
    printf("hard link of a missing file: %s\n", err(link(D "/missing", D "/hard2")));
    printf("linkat without FOLLOW: %s\n", err(linkat(AT_FDCWD, D "/rel", AT_FDCWD, D "/vianofollow", 0)));
    printf("linkat with FOLLOW: %s\n", err(linkat(AT_FDCWD, D "/rel", AT_FDCWD, D "/viafollow", AT_SYMLINK_FOLLOW)));
    lstat(D "/vianofollow", &lst);
    lstat(D "/viafollow", &st);
    printf("without FOLLOW a link: %d; with FOLLOW a file: %d\n", S_ISLNK(lst.st_mode), S_ISREG(st.st_mode));
    unlink(D "/file");
    stat(D "/hard", &st);
    printf("after unlinking the first name: links %ld\n", (long)st.st_nlink);
    show_read(D "/hard");
    show_read(D "/abs");
    printf("rename a link: %s\n", err(rename(D "/rel", D "/renamed")));
    show_link(D "/renamed");
    printf("unlink a link to a directory: %s\n", err(unlink(D "/dirlink")));
    printf("directory still there: %s\n", err(stat(D "/sub", &st)));
    printf("rmdir of a link: %s\n", err(rmdir(D "/abs")));
    printf("symlink in a missing directory: %s\n", err(symlink("x", D "/nodir/x")));

    DIR *d = opendir(D);
    int links = 0, files = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_type == DT_LNK) links++;
        else if (e->d_type == DT_REG) files++;
    }
    closedir(d);
    printf("directory entries: %d links, %d regular files\n", links, files);
    cleanup();
    printf("cleaned up: %s\n", err(access(D, F_OK)));
    return 0;
}
