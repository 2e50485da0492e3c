import Foundation

/// The process's peak resident memory so far in MiB (Linux: VmHWM; 0 elsewhere).
func peakMemoryMiB() -> Int {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
  else { return 0 }
  return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
}

/// The process's CPU time so far (user and system, every thread) in seconds.
func processCPUSeconds() -> Double {
  var usage = rusage()
  #if os(Linux)
    let who = __rusage_who_t(RUSAGE_SELF.rawValue)
  #else
    let who = RUSAGE_SELF
  #endif
  guard getrusage(who, &usage) == 0 else { return 0 }
  func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
  return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
