#ifndef GOUJI_CLIBUV_SHIM_H
#define GOUJI_CLIBUV_SHIM_H
#include <uv.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef SO_PEERCRED
#define SO_PEERCRED 17
#endif

/* Layout of Linux `struct ucred` (declared by glibc only under _GNU_SOURCE). */
struct gouji_ucred { int32_t pid; uint32_t uid; uint32_t gid; };

/* Peer credentials of a connected Unix socket (SO_PEERCRED). Returns 0 or -errno. */
static inline int gouji_peer_credentials(int fd, int32_t *pid, uint32_t *uid, uint32_t *gid) {
    struct gouji_ucred c;
    socklen_t len = sizeof c;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c, &len) != 0) return -errno;
    *pid = c.pid; *uid = c.uid; *gid = c.gid;
    return 0;
}

/* Capacity of sockaddr_un.sun_path (a socket path must be shorter). */
static inline size_t gouji_sun_path_capacity(void) {
    return sizeof(((struct sockaddr_un *)0)->sun_path);
}

/* A blocking connect to a Unix socket path: the fd, or -errno. For liveness probes and tests. */
static inline int gouji_unix_connect(const char *path) {
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof a.sun_path) return -ENAMETOOLONG;
    strcpy(a.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) { int e = errno; close(fd); return -e; }
    return fd;
}
#endif
