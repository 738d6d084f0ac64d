/*
 * The lab's "container": a tiny real server run inside a pod's network + mount namespace.
 * C (built static against musl by lab.sh at startup, ~0.2 s) instead of a Node script because the
 * lab runs ~30 pods: a Node process per pod cost ~45 MB and ~0.1 s of CPU each on 2 busy cores,
 * this one ~0.1 MB and a millisecond. One process per pod, as a container's pid 1 would be, so
 * `nsenter -t <pid>`, /proc/<pid>/root/etc/resolv.conf and pod deletion (kill + netns del) work
 * exactly as before.
 *
 * Answers say who answered and whom it saw, so tests can tell which endpoint kube-proxy picked
 * and whether the source was masqueraded:
 *   HTTP (every TCP port):  "<pod> port=<port> from=<client ip>\n"
 *   UDP echo:               "<pod> udp=<port> from=<client ip>\n"
 *
 *   podserver <pod-name> [httpPorts=8080,9090] [udpPort=9000]    (udpPort 0: none)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define MAX_PORTS 8

static void die(const char *what) {
  perror(what);
  exit(1);
}

/* A socket bound to 0.0.0.0:port; TCP sockets also listen. */
static int bound_socket(int type, int port) {
  int fd = socket(AF_INET, type, 0);
  if (fd < 0) die("socket");
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_ANY) };
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
  if (type == SOCK_STREAM && listen(fd, 64) < 0) die("listen");
  return fd;
}

/*
 * One HTTP exchange. The request is read up to the end of its headers before answering: closing a
 * socket with unread data makes the kernel send RST, and the client may then lose the answer.
 * A 2 s receive timeout keeps a silent client from holding the (single-threaded) server.
 */
static void serve_http(int lfd, int port, const char *name) {
  struct sockaddr_in peer;
  socklen_t len = sizeof peer;
  int c = accept(lfd, (struct sockaddr *)&peer, &len);
  if (c < 0) return;
  struct timeval tv = { .tv_sec = 2 };
  setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char req[8192];
  size_t got = 0;
  while (got < sizeof req - 1) {
    ssize_t n = recv(c, req + got, sizeof req - 1 - got, 0);
    if (n <= 0) break;
    got += (size_t)n;
    req[got] = '\0';
    if (strstr(req, "\r\n\r\n")) break;
  }
  char ip[INET_ADDRSTRLEN], body[256], out[512];
  inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
  int blen = snprintf(body, sizeof body, "%s port=%d from=%s\n", name, port, ip);
  int olen = snprintf(out, sizeof out,
                      "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: %d\r\nconnection: close\r\n\r\n%s",
                      blen, body);
  send(c, out, (size_t)olen, MSG_NOSIGNAL);
  shutdown(c, SHUT_WR);
  close(c);
}

static void serve_udp(int fd, int port, const char *name) {
  char buf[2048], ip[INET_ADDRSTRLEN], out[256];
  struct sockaddr_in peer;
  socklen_t len = sizeof peer;
  if (recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&peer, &len) < 0) return;
  inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
  int n = snprintf(out, sizeof out, "%s udp=%d from=%s\n", name, port, ip);
  sendto(fd, out, (size_t)n, 0, (struct sockaddr *)&peer, len);
}

int main(int argc, char **argv) {
  const char *name = argc > 1 ? argv[1] : "pod";
  char ports[256];
  snprintf(ports, sizeof ports, "%s", argc > 2 ? argv[2] : "8080,9090");
  int udp_port = argc > 3 ? atoi(argv[3]) : 9000;
  signal(SIGPIPE, SIG_IGN);

  struct pollfd fds[MAX_PORTS + 1];
  int port_of[MAX_PORTS + 1], n = 0;
  for (char *tok = strtok(ports, ","); tok && n < MAX_PORTS; tok = strtok(NULL, ",")) {
    int p = atoi(tok);
    if (p <= 0 || p > 65535) { fprintf(stderr, "bad http port %s\n", tok); return 2; }
    fds[n] = (struct pollfd){ .fd = bound_socket(SOCK_STREAM, p), .events = POLLIN };
    port_of[n++] = p;
  }
  int udp_index = -1;
  if (udp_port > 0) {
    fds[n] = (struct pollfd){ .fd = bound_socket(SOCK_DGRAM, udp_port), .events = POLLIN };
    port_of[n] = udp_port;
    udp_index = n++;
  }
  fprintf(stderr, "%s: listening (http %s, udp %d)\n", name, argc > 2 ? argv[2] : "8080,9090", udp_port);
  for (;;) {
    if (poll(fds, (nfds_t)n, -1) < 0) {
      if (errno == EINTR) continue;
      die("poll");
    }
    for (int i = 0; i < n; i++) {
      if (!(fds[i].revents & POLLIN)) continue;
      if (i == udp_index) serve_udp(fds[i].fd, port_of[i], name);
      else serve_http(fds[i].fd, port_of[i], name);
    }
  }
}
