import Foundation

/// Runs a program with a timeout and an output cap, draining stdout and stderr while it runs.
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

  var executable: URL
  var arguments: [String]
  var workingDirectory: URL
  var environment: [String: String]
  var timeout: Double
  var outputLimit: Int

  func run() throws -> Outcome {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = workingDirectory
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice

    let collector = OutputCollector(limit: outputLimit)
    let group = DispatchGroup()
    let start = DispatchTime.now()
    try process.run()
    for (pipe, isOut) in [(out, true), (err, false)] {
      group.enter()
      DispatchQueue.global().async {
        let handle = pipe.fileHandleForReading
        while true {
          let data = handle.availableData
          if data.isEmpty { break }
          if !collector.append(data, toStdout: isOut) && process.isRunning {
            kill(process.processIdentifier, SIGKILL)
          }
        }
        group.leave()
      }
    }
    let exited = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      process.waitUntilExit()
      exited.signal()
    }
    var timedOut = false
    if exited.wait(timeout: .now() + timeout) == .timedOut {
      timedOut = true
      process.terminate()
      if exited.wait(timeout: .now() + 2) == .timedOut {
        kill(process.processIdentifier, SIGKILL)
        exited.wait()
      }
    }
    _ = group.wait(timeout: .now() + 5)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    let (stdout, stderr, exceeded) = collector.result()
    return Outcome(
      status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal, stdout: stdout,
      stderr: stderr, timedOut: timedOut, outputExceeded: exceeded, seconds: seconds)
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
