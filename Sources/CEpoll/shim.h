// Linux readiness APIs that Glibc's Swift module does not export: epoll(7), eventfd(2), and
// accept4(2), which glibc declares only under _GNU_SOURCE.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

extern int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
