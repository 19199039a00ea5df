// unix_sockets: AF_UNIX sockets within one run. socketpair (stream, datagram, seqpacket) between processes;
// message boundaries, MSG_PEEK, MSG_TRUNC, MSG_DONTWAIT; shutdown and close as the other end sees them (EOF,
// EPIPE, POLLHUP); a stream server on a path (bind, listen, accept, connect, names, EADDRINUSE, ECONNREFUSED,
// ENOENT, ENXIO on open, S_ISSOCK); an abstract name; datagrams with sender addresses; SCM_RIGHTS passing a pipe
// and a file to another process, MSG_CTRUNC; poll and epoll on sockets; options. With the argument "inet": the
// result of socket(AF_INET) (Bulwark has no network, qemu uses the host's).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define PATH "/tmp/bulwark-sock-server"
#define DPATH "/tmp/bulwark-sock-dgram"
#define CPATH "/tmp/bulwark-sock-client"

static const char *err(long r) {
    if (r >= 0) return "ok";
    switch (errno) {
    case EAGAIN: return "EAGAIN";
    case EPIPE: return "EPIPE";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case ECONNREFUSED: return "ECONNREFUSED";
    case EADDRINUSE: return "EADDRINUSE";
    case ENOTCONN: return "ENOTCONN";
    case EISCONN: return "EISCONN";
    case ENXIO: return "ENXIO";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case ENOTSOCK: return "ENOTSOCK";
    case EPROTOTYPE: return "EPROTOTYPE";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
    case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
    case EMSGSIZE: return "EMSGSIZE";
    case ECONNRESET: return "ECONNRESET";
    case EBADF: return "EBADF";
    default: return strerror(errno);
    }
}

static socklen_t addr_of(struct sockaddr_un *a, const char *path) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, path);
    return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static void show_name(const char *what, struct sockaddr_un *a, socklen_t len) {
    printf("%s: length %d", what, (int)len);
    if (len > offsetof(struct sockaddr_un, sun_path)) {
        if (a->sun_path[0]) printf(" path %s", a->sun_path);
        else printf(" abstract %.*s", (int)(len - offsetof(struct sockaddr_un, sun_path) - 1), a->sun_path + 1);
    }
    printf("\n");
}

static const char *events(int ev) {
    static char buf[64];
    buf[0] = 0;
    if (ev & POLLIN) strcat(buf, "IN ");
    if (ev & POLLOUT) strcat(buf, "OUT ");
    if (ev & POLLHUP) strcat(buf, "HUP ");
    if (ev & POLLRDHUP) strcat(buf, "RDHUP ");
    if (ev & POLLERR) strcat(buf, "ERR ");
    return buf;
}

static int poll_one(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN | POLLOUT | POLLRDHUP};
    poll(&p, 1, 0);
    return p.revents;
}

static void stream_pair(void) {
    int sv[2];
    printf("socketpair stream: %s\n", err(socketpair(AF_UNIX, SOCK_STREAM, 0, sv)));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        write(sv[1], "hello ", 6);
        write(sv[1], "from the child", 14);
        shutdown(sv[1], SHUT_WR);
        char buf[32];
        ssize_t n = read(sv[1], buf, sizeof buf);
        printf("child reads the reply: %.*s\n", (int)n, buf);
        fflush(stdout);
        _exit(0);
    }
    close(sv[1]);
    char buf[64];
    ssize_t total = 0, n;
    while ((n = read(sv[0], buf + total, sizeof buf - total)) > 0) total += n;
    printf("parent read %zd bytes until EOF: %.*s\n", total, (int)total, buf);
    printf("poll after the peer's SHUT_WR: %s\n", events(poll_one(sv[0])));
    write(sv[0], "thanks", 6);
    waitpid(child, NULL, 0);
    printf("poll after the peer closed: %s\n", events(poll_one(sv[0])));
    printf("send after the peer closed: %s\n", err(send(sv[0], "x", 1, MSG_NOSIGNAL)));
    signal(SIGPIPE, SIG_IGN);
    printf("write after the peer closed: %s\n", err(write(sv[0], "x", 1)));
    signal(SIGPIPE, SIG_DFL);
    close(sv[0]);

    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    printf("empty, MSG_DONTWAIT: %s\n", err(recv(sv[0], buf, 10, MSG_DONTWAIT)));
    send(sv[1], "abc", 3, 0);
    send(sv[1], "def", 3, 0);
    n = recv(sv[0], buf, sizeof buf, MSG_PEEK);
    printf("peek: %.*s\n", (int)n, buf);
    n = recv(sv[0], buf, 4, 0);
    printf("stream reads across sends: %.*s\n", (int)n, buf);
    n = recv(sv[0], buf, sizeof buf, 0);
    printf("then: %.*s\n", (int)n, buf);
    printf("shutdown of the reading side, then recv: %s", err(shutdown(sv[0], SHUT_RD)));
    printf(" %zd\n", recv(sv[0], buf, sizeof buf, 0));
    int type, pass;
    socklen_t len = sizeof type;
    getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len);
    struct ucred cred;
    len = sizeof cred;
    getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len);
    printf("SO_TYPE %d, SO_PEERCRED is this process: %s\n", type, cred.pid == getpid() && cred.uid == getuid() ? "yes" : "no");
    len = sizeof pass;
    printf("getsockopt of another level: %s\n", err(getsockopt(sv[0], 6 /* IPPROTO_TCP */, 1, &pass, &len)));
    struct stat st;
    fstat(sv[0], &st);
    printf("fstat: socket %s\n", S_ISSOCK(st.st_mode) ? "yes" : "no");
    close(sv[0]);
    close(sv[1]);
}

static void datagram_pair(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    send(sv[1], "first", 5, 0);
    send(sv[1], "second message", 14, 0);
    send(sv[1], "", 0, 0);
    char buf[64];
    ssize_t n = recv(sv[0], buf, sizeof buf, 0);
    printf("datagram 1: %zd %.*s\n", n, (int)n, buf);
    struct iovec iov = {buf, 6};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    n = recvmsg(sv[0], &msg, 0);
    printf("datagram 2 into 6 bytes: %zd %.*s, MSG_TRUNC %s\n", n, (int)n, buf, msg.msg_flags & MSG_TRUNC ? "set" : "clear");
    n = recv(sv[0], buf, sizeof buf, 0);
    printf("an empty datagram: %zd\n", n);
    send(sv[1], "0123456789", 10, 0);
    printf("recv with MSG_TRUNC gives the real length: %zd\n", recv(sv[0], buf, 3, MSG_TRUNC));
    printf("empty: %s\n", err(recv(sv[0], buf, 3, MSG_DONTWAIT)));
    close(sv[0]);
    printf("send to a closed peer: %s\n", err(send(sv[1], "x", 1, 0)));
    close(sv[1]);

    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
    send(sv[1], "packet one", 10, 0);
    send(sv[1], "two", 3, 0);
    n = recv(sv[0], buf, 6, 0);
    printf("seqpacket: %zd %.*s", n, (int)n, buf);
    n = recv(sv[0], buf, sizeof buf, 0);
    printf(", then %zd %.*s\n", n, (int)n, buf);
    close(sv[1]);
    printf("seqpacket after the peer closed: %zd\n", recv(sv[0], buf, sizeof buf, 0));
    close(sv[0]);
}

static void stream_server(void) {
    unlink(PATH);
    struct sockaddr_un a, got;
    socklen_t alen = addr_of(&a, PATH), len;
    int server = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    printf("listen before bind: %s\n", err(listen(server, 4)));
    printf("bind: %s\n", err(bind(server, (struct sockaddr *)&a, alen)));
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    printf("bind the same path again: %s\n", err(bind(other, (struct sockaddr *)&a, alen)));
    printf("connect before listen: %s\n", err(connect(other, (struct sockaddr *)&a, alen)));
    close(other);
    printf("listen: %s\n", err(listen(server, 4)));
    len = sizeof got;
    getsockname(server, (struct sockaddr *)&got, &len);
    show_name("server name", &got, len);
    struct stat st;
    stat(PATH, &st);
    printf("the path is a socket: %s\n", S_ISSOCK(st.st_mode) ? "yes" : "no");
    printf("open the path: %s\n", err(open(PATH, O_RDWR)));
    int epfd = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = server};
    epoll_ctl(epfd, EPOLL_CTL_ADD, server, &ev);
    printf("epoll before a connect: %d\n", epoll_wait(epfd, &ev, 1, 0));
    fflush(stdout);

    pid_t child = fork();
    if (child == 0) {
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un b;
        printf("child connect: %s\n", err(connect(c, (struct sockaddr *)&a, addr_of(&b, PATH))));
        printf("child connect again: %s\n", err(connect(c, (struct sockaddr *)&a, alen)));
        socklen_t l = sizeof b;
        getpeername(c, (struct sockaddr *)&b, &l);
        show_name("child's peer", &b, l);
        l = sizeof b;
        getsockname(c, (struct sockaddr *)&b, &l);
        show_name("child's own name", &b, l);
        fflush(stdout);
        write(c, "ping", 4);
        char buf[16];
        ssize_t n = read(c, buf, sizeof buf);
        printf("child got: %.*s\n", (int)n, buf);
        fflush(stdout);
        _exit(0);
    }
    printf("epoll after the connect: %d\n", epoll_wait(epfd, &ev, 1, -1));
    len = sizeof got;
    int conn = accept4(server, (struct sockaddr *)&got, &len, SOCK_CLOEXEC);
    show_name("accepted from", &got, len);
    char buf[16];
    ssize_t n = read(conn, buf, sizeof buf);
    printf("server got: %.*s\n", (int)n, buf);
    fflush(stdout);
    write(conn, "pong", 4);
    waitpid(child, NULL, 0);
    printf("read after the client exited: %zd\n", read(conn, buf, sizeof buf));
    close(conn);
    int flags = fcntl(server, F_GETFL);
    fcntl(server, F_SETFL, flags | O_NONBLOCK);
    printf("accept with nothing pending: %s\n", err(accept(server, NULL, NULL)));
    close(server);
    close(epfd);
    int late = socket(AF_UNIX, SOCK_STREAM, 0);
    printf("connect after the server closed: %s\n", err(connect(late, (struct sockaddr *)&a, alen)));
    unlink(PATH);
    printf("connect after unlink: %s\n", err(connect(late, (struct sockaddr *)&a, alen)));
    int dg = socket(AF_UNIX, SOCK_DGRAM, 0);
    printf("accept on a datagram socket: %s, listen: %s\n", err(accept(dg, NULL, NULL)), err(listen(dg, 1)));
    close(dg);
    close(late);

    /* an abstract name */
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    const char *name = "bulwark-abstract-test";
    memcpy(a.sun_path + 1, name, strlen(name));
    alen = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
    server = socket(AF_UNIX, SOCK_STREAM, 0);
    printf("bind abstract: %s, listen: %s\n", err(bind(server, (struct sockaddr *)&a, alen)), err(listen(server, 1)));
    len = sizeof got;
    getsockname(server, (struct sockaddr *)&got, &len);
    show_name("abstract name", &got, len);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    printf("connect abstract: %s\n", err(connect(c, (struct sockaddr *)&a, alen)));
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    printf("datagram socket to a stream server: %s\n", err(connect(d, (struct sockaddr *)&a, alen)));
    conn = accept(server, NULL, NULL);
    send(c, "over abstract", 13, 0);
    n = recv(conn, buf, sizeof buf, 0);
    printf("got: %.*s\n", (int)n, buf);
    close(c);
    close(d);
    close(conn);
    close(server);
    c = socket(AF_UNIX, SOCK_STREAM, 0);
    printf("abstract name after close: %s\n", err(connect(c, (struct sockaddr *)&a, alen)));
    close(c);
}

static void datagram_server(void) {
    unlink(DPATH);
    unlink(CPATH);
    struct sockaddr_un a, b, from;
    socklen_t alen = addr_of(&a, DPATH), blen = addr_of(&b, CPATH), flen;
    int server = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(server, (struct sockaddr *)&a, alen);
    int named = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(named, (struct sockaddr *)&b, blen);
    int anon = socket(AF_UNIX, SOCK_DGRAM, 0);
    printf("send unconnected without an address: %s\n", err(send(anon, "x", 1, 0)));
    printf("sendto named: %s\n", err(sendto(named, "from named", 10, 0, (struct sockaddr *)&a, alen)));
    printf("sendto anonymous: %s\n", err(sendto(anon, "from anon", 9, 0, (struct sockaddr *)&a, alen)));
    char buf[32];
    flen = sizeof from;
    ssize_t n = recvfrom(server, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
    printf("%.*s: ", (int)n, buf);
    show_name("sender", &from, flen);
    flen = sizeof from;
    n = recvfrom(server, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
    printf("%.*s: ", (int)n, buf);
    show_name("sender", &from, flen);
    struct sockaddr_un missing;
    socklen_t mlen = addr_of(&missing, "/tmp/bulwark-sock-missing");
    printf("sendto a missing path: %s\n", err(sendto(anon, "x", 1, 0, (struct sockaddr *)&missing, mlen)));
    printf("connect: %s, then send: %s\n", err(connect(anon, (struct sockaddr *)&a, alen)), err(send(anon, "connected", 9, 0)));
    n = recv(server, buf, sizeof buf, 0);
    printf("got: %.*s\n", (int)n, buf);
    int stream = socket(AF_UNIX, SOCK_STREAM, 0);
    printf("sendto on an unconnected stream socket: %s\n", err(sendto(stream, "x", 1, 0, (struct sockaddr *)&a, alen)));
    printf("send on an unconnected stream socket: %s\n", err(send(stream, "x", 1, MSG_NOSIGNAL)));
    close(stream);
    close(server);
    printf("send after the receiver closed: %s", err(send(anon, "x", 1, 0)));
    printf(", again: %s\n", err(send(anon, "x", 1, 0)));
    close(named);
    close(anon);
    unlink(DPATH);
    unlink(CPATH);
}

static int send_fds(int sock, int *fds, int count, const char *data) {
    char control[CMSG_SPACE(sizeof(int) * 4)];
    memset(control, 0, sizeof control);
    struct iovec iov = {(void *)data, strlen(data)};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = CMSG_SPACE(sizeof(int) * count)};
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int) * count);
    memcpy(CMSG_DATA(cm), fds, sizeof(int) * count);
    return sendmsg(sock, &msg, 0);
}

static void pass_files(void) {
    int sv[2], pipefd[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(pipefd);
    int file = open("/tmp/bulwark-sock-file", O_CREAT | O_RDWR | O_TRUNC, 0600);
    write(file, "contents of a file", 18);
    lseek(file, 12, SEEK_SET);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        close(pipefd[0]);
        close(file);
        char data[32], control[CMSG_SPACE(sizeof(int) * 4)];
        struct iovec iov = {data, sizeof data};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
        ssize_t n = recvmsg(sv[1], &msg, MSG_CMSG_CLOEXEC);
        struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
        int fds[4], count = 0;
        if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
            count = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            memcpy(fds, CMSG_DATA(cm), sizeof(int) * count);
        }
        printf("child received %.*s with %d files, controllen %d, close-on-exec %s\n", (int)n, data, count, (int)msg.msg_controllen,
               count && (fcntl(fds[0], F_GETFD) & FD_CLOEXEC) ? "yes" : "no");
        char buf[32];
        n = read(fds[0], buf, sizeof buf);
        printf("child reads the passed pipe: %.*s\n", (int)n, buf);
        n = read(fds[1], buf, sizeof buf);
        printf("child reads the passed file from the shared offset: %.*s\n", (int)n, buf);
        /* no room for the files: they are closed and MSG_CTRUNC says so */
        msg.msg_control = NULL;
        msg.msg_controllen = 0;
        n = recvmsg(sv[1], &msg, 0);
        printf("no control buffer: %.*s, MSG_CTRUNC %s\n", (int)n, data, msg.msg_flags & MSG_CTRUNC ? "set" : "clear");
        n = read(sv[1], data, sizeof data);
        printf("read() drops the files: %.*s\n", (int)n, data);
        fflush(stdout);
        _exit(0);
    }
    close(sv[1]);
    int two[2] = {pipefd[0], file};
    printf("sendmsg with two files: %s\n", err(send_fds(sv[0], two, 2, "files!")));
    write(pipefd[1], "through a pipe", 14);
    send_fds(sv[0], two, 2, "second");
    close(pipefd[0]);
    close(pipefd[1]);
    close(file);
    int bad[1] = {99};
    printf("sendmsg with a closed descriptor: %s\n", err(send_fds(sv[0], bad, 1, "bad")));
    int one[1] = {sv[0]};
    send_fds(sv[0], one, 1, "third");
    waitpid(child, NULL, 0);
    close(sv[0]);
    unlink("/tmp/bulwark-sock-file");
}

static void errors(void) {
    printf("socket type SOCK_RDM: %s\n", err(socket(AF_UNIX, SOCK_RDM, 0)));
    printf("socket protocol 7: %s\n", err(socket(AF_UNIX, SOCK_STREAM, 7)));
    int fd = open("/dev/null", O_RDONLY);
    printf("send on a file: %s\n", err(send(fd, "x", 1, 0)));
    close(fd);
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    static char big[300000];
    printf("datagram larger than the send buffer: %s\n", err(send(sv[0], big, sizeof big, 0)));
    struct sockaddr_un a;
    socklen_t alen = addr_of(&a, "/tmp");
    a.sun_family = 2;
    printf("bind with another family: %s\n", err(bind(sv[0], (struct sockaddr *)&a, alen)));
    close(sv[0]);
    close(sv[1]);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "inet") == 0) {
        printf("AF_INET: %s, AF_INET6: %s\n", err(socket(AF_INET, SOCK_STREAM, 0)), err(socket(AF_INET6, SOCK_DGRAM, 0)));
        return 0;
    }
    stream_pair();
    datagram_pair();
    fflush(stdout);
    stream_server();
    fflush(stdout);
    datagram_server();
    fflush(stdout);
    pass_files();
    errors();
    return 0;
}
