import Foundation

/// The process's peak resident memory so far in MiB (Linux: VmHWM; 0 elsewhere).
func peakMemoryMiB() -> Int {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
  else { return 0 }
  return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
}
