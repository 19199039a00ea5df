// etc_env: what a program finds of its system under Bulwark (no qemu oracle: qemu shows the host's): the
// user in /etc/passwd and /etc/group, localhost in /etc/hosts, the environment, the host name, the harts in
// /proc/cpuinfo, /proc/meminfo, and /proc/self/exe opening the program itself.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

extern char **environ;

int main(void) {
    struct passwd *pw = getpwuid(getuid());
    if (pw) printf("passwd: %s uid %d gid %d home %s shell %s\n", pw->pw_name, (int)pw->pw_uid, (int)pw->pw_gid, pw->pw_dir, pw->pw_shell);
    else printf("passwd: no entry for uid %d\n", (int)getuid());
    struct passwd *root = getpwnam("root");
    printf("root: %s\n", root ? root->pw_dir : "(none)");
    struct group *gr = getgrgid(getgid());
    printf("group: %s\n", gr ? gr->gr_name : "(none)");
    char *login = getlogin();
    printf("getlogin: %s\n", login ? login : "(null)");
    struct hostent *h = gethostbyname("localhost");
    printf("localhost: %s\n", h && h->h_addrtype == AF_INET ? inet_ntoa(*(struct in_addr *)h->h_addr_list[0]) : "(unresolved)");
    struct utsname u;
    uname(&u);
    printf("nodename: %s\n", u.nodename);
    for (char **e = environ; *e; e++) printf("env: %s\n", *e);

    static char buf[1 << 14];
    int fd = open("/proc/cpuinfo", O_RDONLY);
    long n = read(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    close(fd);
    int harts = 0;
    for (char *s = buf; (s = strstr(s, "\nhart\t")) != NULL; s++) harts++;
    printf("cpuinfo: %d harts, first: %.*s\n", harts, (int)(strchr(buf, '\n') - buf), buf);
    printf("nprocs: %ld\n", sysconf(_SC_NPROCESSORS_ONLN));
    fd = open("/proc/meminfo", O_RDONLY);
    n = read(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    close(fd);
    printf("meminfo: %.*s\n", (int)(strchr(buf, '\n') - buf), buf);
    fd = open("/proc/self/exe", O_RDONLY);
    char magic[4] = {0};
    read(fd, magic, 4);
    close(fd);
    printf("exe opens an ELF: %s\n", memcmp(magic, "\177ELF", 4) == 0 ? "yes" : "no");
    return 0;
}
