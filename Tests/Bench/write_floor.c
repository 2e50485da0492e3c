// The write floor of `make bench`: writes the files listed in LIST (one "size<TAB>path" per line)
// under OUT, creating folders as needed, with nothing else to do: no reading, no rendering, one
// thread. It measures what the kernel charges for creating a site of that shape, which every
// generator pays (Tests/Scripts/bench_run.py runs it on the guide's output and on Hugo's).
// Usage: write_floor LIST OUT
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void make_parents(char *path) {
  for (char *s = path + 1; *s; s++) {
    if (*s == '/') {
      *s = 0;
      mkdir(path, 0755);
      *s = '/';
    }
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: write_floor LIST OUT\n");
    return 64;
  }
  FILE *list = fopen(argv[1], "r");
  if (!list) {
    perror(argv[1]);
    return 1;
  }
  mkdir(argv[2], 0755);
  static char buffer[1 << 16];
  memset(buffer, 'x', sizeof buffer);
  char line[8192], full[8192 + 4096];
  while (fgets(line, sizeof line, list)) {
    line[strcspn(line, "\n")] = 0;
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = 0;
    long left = atol(line);
    snprintf(full, sizeof full, "%s/%s", argv[2], tab + 1);
    int fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      make_parents(full);
      fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    }
    if (fd < 0) {
      perror(full);
      return 1;
    }
    while (left > 0) {
      ssize_t n = write(fd, buffer, left < (long)sizeof buffer ? (size_t)left : sizeof buffer);
      if (n <= 0) {
        perror(full);
        return 1;
      }
      left -= n;
    }
    close(fd);
  }
  return 0;
}
