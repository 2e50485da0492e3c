#ifndef GUIDE_CSPAWN_H
#define GUIDE_CSPAWN_H

#include <sys/types.h>

/// Starts `path` (argv, envp, in `cwd`, stdin from /dev/null, stdout and stderr to the given
/// descriptors) in a process group of its own, under a small supervisor process (a fork of the
/// caller that runs no Swift code):
///
/// - the program gets a new process group (its pid), default signal handlers, no blocked signals
///   and only descriptors 0, 1 and 2; on Linux it is killed (PR_SET_PDEATHSIG) if the supervisor dies;
/// - the supervisor waits for it; when it exits, the supervisor kills what is left of its process
///   group (children it started and did not wait for), reaps it and reports;
/// - on Linux the supervisor gets SIGTERM when the thread that called guide_spawn dies (the whole
///   `guide` process killed, even with SIGKILL); on SIGTERM, SIGINT, SIGHUP or SIGQUIT it kills the
///   program's whole process group and exits.
///
/// The supervisor writes 8-byte messages to `report_fd` (a close-on-exec pipe): {'P', pid} once the
/// program is started, {'E', errno} if it could not be executed, {'S', wait status} when it ended.
/// The caller must stay alive (on the calling thread) until the report pipe reaches end of file,
/// then reap the supervisor with waitpid. Returns the supervisor's pid, or -1 (errno set).
pid_t guide_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd, int stdout_fd,
                  int stderr_fd, int report_fd);

/// Makes a pipe whose both ends are close-on-exec. Returns 0, or -1 (errno set).
int guide_pipe_cloexec(int fds[2]);

/// True when a process with this pid exists (kill(pid, 0) does not fail with ESRCH).
int guide_process_exists(pid_t pid);

#endif
