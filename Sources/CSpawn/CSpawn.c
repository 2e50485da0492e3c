// Process spawning for snippets and the compiler: see CSpawn.h. Everything between fork and exec
// (or _exit) is async-signal-safe: the caller is a multi-threaded process.
#define _GNU_SOURCE
#include "CSpawn.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

static volatile pid_t supervised_child = 0;

static void write_message(int fd, char tag, int32_t value) {
  char message[8] = {tag, 0, 0, 0, 0, 0, 0, 0};
  memcpy(message + 4, &value, sizeof value);
  ssize_t written;
  do { written = write(fd, message, sizeof message); } while (written < 0 && errno == EINTR);
}

static void kill_group_and_exit(int signo) {
  pid_t child = supervised_child;
  if (child > 0) {
    kill(-child, SIGKILL);
    kill(child, SIGKILL);
  }
  _exit(128 + signo);
}

static int max_descriptor(void) {
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < 1048576) {
    return (int)limit.rlim_cur;
  }
  return 65536;
}

/// Closes every descriptor from `first` on except `keep` (-1: none).
static void close_from(int first, int keep) {
#if defined(__linux__) && defined(SYS_close_range)
  if (keep < 0) {
    if (syscall(SYS_close_range, (unsigned)first, ~0U, 0) == 0) return;
  } else {
    int ok = 1;
    if (keep > first && syscall(SYS_close_range, (unsigned)first, (unsigned)(keep - 1), 0) != 0) ok = 0;
    if (ok && syscall(SYS_close_range, (unsigned)(keep + 1), ~0U, 0) == 0) return;
  }
#endif
  int last = max_descriptor();
  for (int fd = first; fd < last; fd++) {
    if (fd != keep) close(fd);
  }
}

static void reset_signals(void) {
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  for (int signo = 1; signo < NSIG; signo++) {
    if (signo == SIGKILL || signo == SIGSTOP) continue;
    sigaction(signo, &dfl, NULL);
  }
}

pid_t guide_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd, int stdout_fd,
                  int stderr_fd, int report_fd) {
  pid_t caller = getpid();
  // Block every signal across the fork: neither copy may run a handler of the caller.
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &previous);
  pid_t supervisor = fork();
  if (supervisor != 0) {
    int saved = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    errno = saved;
    return supervisor;
  }

  // The supervisor. Signals are blocked; install its handlers before unblocking.
  reset_signals();
  struct sigaction stop;
  memset(&stop, 0, sizeof stop);
  stop.sa_handler = kill_group_and_exit;
  sigfillset(&stop.sa_mask);
  sigaction(SIGTERM, &stop, NULL);
  sigaction(SIGINT, &stop, NULL);
  sigaction(SIGHUP, &stop, NULL);
  sigaction(SIGQUIT, &stop, NULL);
  signal(SIGPIPE, SIG_IGN);
#if defined(__linux__)
  prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
  if (getppid() != caller) _exit(127);  // the caller died before the death signal was armed

  pid_t child = fork();
  if (child == 0) {
    // The program: its own process group, default signals, nothing blocked, only 0, 1, 2.
    setpgid(0, 0);
    reset_signals();
#if defined(__linux__)
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(stdout_fd, 1) < 0 || dup2(stderr_fd, 2) < 0) {
      write_message(report_fd, 'E', errno);
      _exit(127);
    }
    close_from(3, report_fd);
    if (cwd != NULL && chdir(cwd) != 0) {
      write_message(report_fd, 'E', errno);
      _exit(127);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve(path, argv, envp);
    write_message(report_fd, 'E', errno);
    _exit(127);
  }
  if (child < 0) {
    write_message(report_fd, 'E', errno);
    _exit(127);
  }
  // Also from here, so that a kill right after the fork finds the group.
  setpgid(child, child);
  supervised_child = child;
  // The supervisor keeps only the report pipe: the output pipes reach end of file when the
  // program's group has gone.
  if (report_fd != 3) {
    dup2(report_fd, 3);
    report_fd = 3;
  }
  close_from(4, -1);
  close(0);
  close(1);
  close(2);
  write_message(report_fd, 'P', child);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);

  int status = 0;
  for (;;) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PID, (id_t)child, &info, WEXITED | WNOWAIT) == 0) break;
    if (errno != EINTR) break;
  }
  // The program has ended but is not reaped yet, so its pid (= the group's id) cannot be reused:
  // kill whatever it left behind in its group, then reap it.
  kill(-child, SIGKILL);
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
  write_message(report_fd, 'S', status);
  _exit(0);
}

int guide_pipe_cloexec(int fds[2]) {
#if defined(__linux__)
  return pipe2(fds, O_CLOEXEC);
#else
  if (pipe(fds) != 0) return -1;
  fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  return 0;
#endif
}

int guide_process_exists(pid_t pid) {
  if (pid <= 0) return 0;
  return kill(pid, 0) == 0 || errno != ESRCH;
}
