import CSpawn
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs a program with a timeout and an output cap, draining stdout and stderr while it runs.
///
/// The program runs in a process group of its own under a small supervisor (`CSpawn`): whatever it
/// leaves behind (children it did not wait for) is killed when it exits, its whole group is killed
/// on timeout or when the output passes the cap, and on Linux the group is killed too when `guide`
/// itself dies (`PR_SET_PDEATHSIG` on the supervisor, which then kills the group). The program
/// starts with default signal handlers, no blocked signals and only stdin (`/dev/null`), stdout and
/// stderr open. `run()` blocks its calling thread until the program's group has gone: on Linux the
/// death signal follows the thread that started the supervisor, so it must not return early.
struct ProcessRunner {
  struct Outcome: Sendable {
    var status: Int32
    /// True when the process ended by a signal (a crash, or our kill on timeout/overflow).
    var signaled: Bool
    var stdout: String
    var stderr: String
    var timedOut: Bool
    var outputExceeded: Bool
    var seconds: Double
  }

  struct SpawnError: Error, CustomStringConvertible {
    var description: String
  }

  var executable: URL
  var arguments: [String]
  var workingDirectory: URL
  var environment: [String: String]
  var timeout: Double
  var outputLimit: Int

  func run() throws -> Outcome {
    var outPipe: [Int32] = [-1, -1]
    var errPipe: [Int32] = [-1, -1]
    var reportPipe: [Int32] = [-1, -1]
    guard guide_pipe_cloexec(&outPipe) == 0 else { throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))") }
    guard guide_pipe_cloexec(&errPipe) == 0 else {
      close(outPipe[0])
      close(outPipe[1])
      throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))")
    }
    guard guide_pipe_cloexec(&reportPipe) == 0 else {
      for fd in outPipe + errPipe { close(fd) }
      throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))")
    }

    let start = DispatchTime.now()
    let argv = CStringArray([executable.path] + arguments)
    let envp = CStringArray(environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
    let supervisor = guide_spawn(
      executable.path, argv.pointers, envp.pointers, workingDirectory.path, outPipe[1], errPipe[1], reportPipe[1])
    let spawnErrno = errno
    close(outPipe[1])
    close(errPipe[1])
    close(reportPipe[1])
    if supervisor < 0 {
      for fd in [outPipe[0], errPipe[0], reportPipe[0]] { close(fd) }
      throw SpawnError(description: "fork: \(String(cString: strerror(spawnErrno)))")
    }

    let handle = SupervisorHandle(pid: supervisor)
    let collector = OutputCollector(limit: outputLimit)
    let readers = DispatchGroup()
    for (fd, isOut) in [(outPipe[0], true), (errPipe[0], false)] {
      readers.enter()
      DispatchQueue.global().async {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var killed = false
        while true {
          let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
          if count < 0 && errno == EINTR { continue }
          if count <= 0 { break }
          if !collector.append(Data(buffer[0..<count]), toStdout: isOut) && !killed {
            killed = true
            handle.stop()  // the supervisor kills the program's whole group
          }
        }
        close(fd)
        readers.leave()
      }
    }

    // The supervisor's reports; end of file once it has exited.
    let reports = ReportBox()
    let ended = DispatchSemaphore(value: 0)
    let reportFD = reportPipe[0]
    DispatchQueue.global().async {
      var message = [UInt8](repeating: 0, count: 8)
      var filled = 0
      while true {
        let count = message.withUnsafeMutableBytes { read(reportFD, $0.baseAddress! + filled, 8 - filled) }
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { break }
        filled += count
        if filled == 8 {
          let value = message.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: Int32.self) }
          reports.record(tag: message[0], value: value)
          filled = 0
        }
      }
      close(reportFD)
      ended.signal()
    }

    var timedOut = false
    if ended.wait(timeout: .now() + timeout) == .timedOut {
      timedOut = true
      handle.stop()
      ended.wait()
    }
    handle.reap()
    _ = readers.wait(timeout: .now() + 5)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    let (stdout, stderr, exceeded) = collector.result()
    let (execErrno, waitStatus) = reports.result()
    if let execErrno {
      throw SpawnError(description: "cannot run \(executable.path): \(String(cString: strerror(execErrno)))")
    }
    // No status: the supervisor was told to stop and killed the group with SIGKILL.
    let status = waitStatus ?? SIGKILL
    let signaled = waitStatus.map { ($0 & 0x7f) != 0 && ($0 & 0x7f) != 0x7f } ?? true
    return Outcome(
      status: signaled ? status & 0x7f : (status >> 8) & 0xff, signaled: signaled, stdout: stdout, stderr: stderr,
      timedOut: timedOut, outputExceeded: exceeded, seconds: seconds)
  }

  /// The supervisor's pid, signalled only while it has not been reaped (a reaped pid can be reused).
  final class SupervisorHandle: @unchecked Sendable {
    private let lock = NSLock()
    private let pid: pid_t
    private var reaped = false

    init(pid: pid_t) { self.pid = pid }

    func stop() {
      lock.lock()
      defer { lock.unlock() }
      if !reaped { kill(pid, SIGTERM) }
    }

    /// Waits for the supervisor to exit without reaping it, then reaps it under the lock.
    func reap() {
      var info = siginfo_t()
      while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
      lock.lock()
      defer { lock.unlock() }
      var status: Int32 = 0
      while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
      reaped = true
    }
  }

  /// What the supervisor reported.
  final class ReportBox: @unchecked Sendable {
    private let lock = NSLock()
    private var execErrno: Int32?
    private var status: Int32?

    func record(tag: UInt8, value: Int32) {
      lock.lock()
      defer { lock.unlock() }
      switch tag {
      case UInt8(ascii: "E"): execErrno = value
      case UInt8(ascii: "S"): status = value
      default: break
      }
    }

    func result() -> (Int32?, Int32?) {
      lock.lock()
      defer { lock.unlock() }
      return (execErrno, status)
    }
  }

  /// A NULL-terminated array of C strings, alive as long as the value.
  final class CStringArray {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    private let count: Int

    init(_ strings: [String]) {
      count = strings.count
      pointers = .allocate(capacity: strings.count + 1)
      for (i, string) in strings.enumerated() { pointers[i] = strdup(string) }
      pointers[strings.count] = nil
    }

    deinit {
      for i in 0..<count { free(pointers[i]) }
      pointers.deallocate()
    }
  }

  final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()
    private let limit: Int
    private var exceeded = false

    init(limit: Int) { self.limit = limit }

    /// Appends; returns false once the combined output passes the limit.
    func append(_ data: Data, toStdout: Bool) -> Bool {
      lock.lock()
      defer { lock.unlock() }
      let room = max(0, limit - out.count - err.count)
      if data.count > room {
        exceeded = true
        if toStdout { out.append(data.prefix(room)) } else { err.append(data.prefix(room)) }
        return false
      }
      if toStdout { out.append(data) } else { err.append(data) }
      return true
    }

    func result() -> (String, String, Bool) {
      lock.lock()
      defer { lock.unlock() }
      return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self), exceeded)
    }
  }
}
