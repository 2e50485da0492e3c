import Foundation
import Testing

@testable import GuideKit

#if canImport(Glibc)
  import Glibc
#endif

/// Process helpers for the tests: whether a pid is still a live process (zombies count as gone:
/// in a container, PID 1 may never reap the orphans it inherits).
enum Processes {
  static func isAlive(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 || errno != ESRCH else { return false }
    #if os(Linux)
      guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.range(of: ")", options: .backwards)
      else { return false }
      return !stat[close.upperBound...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    #else
      return true
    #endif
  }

  /// Waits up to `seconds` for every pid to be gone; returns those still alive.
  static func survivors(_ pids: [Int32], within seconds: Double = 5) -> [Int32] {
    let deadline = Date().addingTimeInterval(seconds)
    var alive = pids.filter(isAlive)
    while !alive.isEmpty && Date() < deadline {
      usleep(50_000)
      alive = alive.filter(isAlive)
    }
    return alive
  }

  /// The pids listed after `children:` in the text.
  static func pids(in text: String) -> [Int32] {
    guard let range = text.range(of: "children:") else { return [] }
    return text[range.upperBound...].prefix { $0 != "\n" }.split(separator: " ").compactMap { Int32($0) }
  }
}

@Suite struct ProcessRunnerTests {
  func shell(_ script: String, timeout: Double = 30) throws -> ProcessRunner.Outcome {
    try ProcessRunner(
      executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script],
      workingDirectory: FileManager.default.temporaryDirectory, environment: ["PATH": "/usr/bin:/bin"], timeout: timeout,
      outputLimit: 1 << 20
    ).run()
  }

  @Test func exitStatusAndOutput() throws {
    let outcome = try shell("echo out; echo err >&2; exit 3")
    #expect(outcome.status == 3)
    #expect(!outcome.signaled)
    #expect(outcome.stdout == "out\n")
    #expect(outcome.stderr == "err\n")
    #expect(!outcome.timedOut)
  }

  @Test func aCrashIsASignal() throws {
    let outcome = try shell("kill -SEGV $$")
    #expect(outcome.signaled)
    #expect(outcome.status == SIGSEGV)
  }

  @Test func aMissingProgramIsAnError() {
    #expect(throws: ProcessRunner.SpawnError.self) {
      try ProcessRunner(
        executable: URL(fileURLWithPath: "/nonexistent/program"), arguments: [],
        workingDirectory: FileManager.default.temporaryDirectory, environment: [:], timeout: 10, outputLimit: 1024
      ).run()
    }
  }

  @Test func aTimeoutKillsTheWholeProcessGroup() throws {
    // 20 children that ignore SIGTERM, the way an inherited blocked or ignored signal would.
    let outcome = try shell(
      "trap '' TERM; pids=''; for i in $(seq 20); do sleep 300 & pids=\"$pids $!\"; done; echo \"children:$pids\" >&2; sleep 300",
      timeout: 1.5)
    #expect(outcome.timedOut)
    #expect(outcome.signaled)
    let children = Processes.pids(in: outcome.stderr)
    #expect(children.count == 20, "\(outcome.stderr)")
    #expect(Processes.survivors(children).isEmpty)
  }

  @Test func childrenLeftBehindAreKilledWhenTheProgramExits() throws {
    let start = Date()
    let outcome = try shell("pids=''; for i in $(seq 20); do sleep 300 & pids=\"$pids $!\"; done; echo \"children:$pids\"")
    #expect(outcome.status == 0)
    #expect(!outcome.timedOut)
    // The children held stdout open: the output still ends when the program does.
    #expect(Date().timeIntervalSince(start) < 20)
    let children = Processes.pids(in: outcome.stdout)
    #expect(children.count == 20, "\(outcome.stdout)")
    #expect(Processes.survivors(children).isEmpty)
  }

  @Test func theChildStartsWithNoBlockedOrIgnoredSignals() throws {
    // Block SIGTERM and SIGINT and ignore SIGHUP on this thread: none of it may reach the child.
    var block = sigset_t()
    var previous = sigset_t()
    sigemptyset(&block)
    sigaddset(&block, SIGTERM)
    sigaddset(&block, SIGINT)
    pthread_sigmask(SIG_BLOCK, &block, &previous)
    let oldHup = signal(SIGHUP, SIG_IGN)
    defer {
      pthread_sigmask(SIG_SETMASK, &previous, nil)
      signal(SIGHUP, oldHup)
    }
    #if os(Linux)
      let outcome = try shell("grep -E '^(SigBlk|SigIgn):' /proc/self/status")
      let masks = Dictionary(
        uniqueKeysWithValues: outcome.stdout.split(separator: "\n").compactMap { line -> (String, UInt64)? in
          let parts = line.split(separator: ":")
          guard parts.count == 2, let mask = UInt64(parts[1].trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
          return (String(parts[0]), mask)
        })
      #expect(masks["SigBlk"] == 0, "\(outcome.stdout)")
      // Signals 1–31 (32 and 33 belong to the C library's threads and cannot be changed).
      #expect(masks["SigIgn"].map { $0 & 0x7fff_ffff } == 0, "\(outcome.stdout)")
    #endif
  }

  @Test func onlyStandardDescriptorsReachTheChild() throws {
    #if os(Linux)
      var fds: [Int32] = [-1, -1]
      #expect(pipe(&fds) == 0)  // not close-on-exec: would leak without the runner's cleanup
      defer {
        close(fds[0])
        close(fds[1])
      }
      let outcome = try shell("ls /proc/self/fd")
      // 0, 1, 2 and the descriptor ls opens to read the folder.
      #expect(outcome.stdout.split(separator: "\n").count <= 4, "\(outcome.stdout)")
    #endif
  }

  @Test func staleTemporaryFoldersAreRemoved() throws {
    let parent = FileManager.default.temporaryDirectory.appendingPathComponent("guide-stale-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: parent) }
    // A pid that does not exist: a process that has exited and been reaped.
    let gone = try shell("echo $$").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let stale = parent.appendingPathComponent("guide-snippet-\(gone)-ABC")
    let live = TemporaryFolders.make("guide-snippet", in: parent)
    let other = parent.appendingPathComponent("unrelated-\(gone)")
    for folder in [stale, other] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
    try Data("x".utf8).write(to: stale.appendingPathComponent("main.swift"))
    TemporaryFolders.removeStale(in: parent)
    #expect(!FileManager.default.fileExists(atPath: stale.path))
    #expect(FileManager.default.fileExists(atPath: live.path), "a folder of this process is kept")
    #expect(FileManager.default.fileExists(atPath: other.path))
  }
}
