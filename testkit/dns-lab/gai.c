/*
 * kubepath dns-lab probe: one getaddrinfo() call, printed as a single parseable line.
 * Compiled at test time with gcc (glibc) and musl-gcc (musl) so the same source
 * exercises both real stub resolvers.
 * usage: gai NAME [unspec|inet|inet6]
 * output: "OK <addr> <addr> ..." (unique, in resolver order) or "ERR <code> <gai_strerror>".
 */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: gai NAME [unspec|inet|inet6]\n"); return 2; }
  struct addrinfo hints, *res = 0, *p;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  if (argc > 2 && !strcmp(argv[2], "inet")) hints.ai_family = AF_INET;
  if (argc > 2 && !strcmp(argv[2], "inet6")) hints.ai_family = AF_INET6;
  /* SOCK_DGRAM only: one addrinfo per address instead of one per socket type. */
  hints.ai_socktype = SOCK_DGRAM;
  int rc = getaddrinfo(argv[1], 0, &hints, &res);
  if (rc != 0) { printf("ERR %d %s\n", rc, gai_strerror(rc)); return 1; }
  char seen[64][INET6_ADDRSTRLEN];
  int n = 0;
  printf("OK");
  for (p = res; p; p = p->ai_next) {
    char buf[INET6_ADDRSTRLEN];
    if (p->ai_family == AF_INET) inet_ntop(AF_INET, &((struct sockaddr_in *)p->ai_addr)->sin_addr, buf, sizeof buf);
    else if (p->ai_family == AF_INET6) inet_ntop(AF_INET6, &((struct sockaddr_in6 *)p->ai_addr)->sin6_addr, buf, sizeof buf);
    else continue;
    int dup = 0;
    for (int i = 0; i < n; i++) if (!strcmp(seen[i], buf)) dup = 1;
    if (dup || n >= 64) continue;
    strcpy(seen[n++], buf);
    printf(" %s", buf);
  }
  printf("\n");
  freeaddrinfo(res);
  return 0;
}
