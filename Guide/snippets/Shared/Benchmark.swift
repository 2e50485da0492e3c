// Timing helpers for honest latency numbers: a monotonic clock, warm-up, per-iteration samples,
// median and tail percentiles (not the mean: one page fault or scheduler hiccup moves a mean a
// lot and a median hardly at all), and a description of the machine the numbers came from.

import Foundation

// MARK: - Clock

/// Seconds elapsed while running `body`, measured with the monotonic `ContinuousClock`
/// (never wall-clock time, which can jump when NTP adjusts it).
@inline(never)
func timeSeconds(_ body: () -> Void) -> Double {
  let clock = ContinuousClock()
  let start = clock.now
  body()
  return (clock.now - start).seconds
}

extension Duration {
  /// The duration in seconds as a Double.
  var seconds: Double {
    let (s, attoseconds) = components
    return Double(s) + Double(attoseconds) * 1e-18
  }
}

/// Run `body` `warmup` times untimed (caches, page faults, lazy initialisation), then
/// `iterations` times timed; returns one sample in seconds per timed iteration.
func measure(warmup: Int = 3, iterations: Int, _ body: () -> Void) -> [Double] {
  for _ in 0..<warmup { body() }
  var samples: [Double] = []
  samples.reserveCapacity(iterations)
  let clock = ContinuousClock()
  for _ in 0..<iterations {
    let start = clock.now
    body()
    samples.append((clock.now - start).seconds)
  }
  return samples
}

/// Keeps the optimiser from deleting a computation whose result is otherwise unused.
@inline(never)
func blackHole<T>(_ value: T) {
  withExtendedLifetime(value) {}
}

// MARK: - Statistics

/// Summary of latency samples (seconds).
struct LatencySummary: Sendable {
  var count: Int
  var median: Double
  var p95: Double
  var p99: Double
  var min: Double
  var max: Double
  var mean: Double

  init(_ samples: [Double]) {
    precondition(!samples.isEmpty, "no samples")
    let sorted = samples.sorted()
    count = sorted.count
    median = percentile(sorted: sorted, 50)
    p95 = percentile(sorted: sorted, 95)
    p99 = percentile(sorted: sorted, 99)
    min = sorted[0]
    max = sorted[sorted.count - 1]
    mean = sorted.reduce(0, +) / Double(sorted.count)
  }

  /// Throughput implied by the median latency (one frame at a time, no pipelining).
  var framesPerSecond: Double { 1 / median }
}

/// The p-th percentile (0…100) of already-sorted values, linear interpolation between closest
/// ranks (NumPy's default `method="linear"`).
func percentile(sorted values: [Double], _ p: Double) -> Double {
  precondition(!values.isEmpty, "no values")
  let rank = p / 100 * Double(values.count - 1)
  let lower = Int(rank.rounded(.down))
  let upper = Swift.min(lower + 1, values.count - 1)
  let fraction = rank - Double(lower)
  return values[lower] + (values[upper] - values[lower]) * fraction
}

/// Median of unsorted values.
func median(_ values: [Double]) -> Double {
  percentile(sorted: values.sorted(), 50)
}

// MARK: - Machine

/// Where a measurement came from; print it next to every timing.
struct MachineInfo: Sendable {
  var cpuModel: String
  var logicalCores: Int
  var optimized: Bool

  /// Reads the CPU model from /proc/cpuinfo on Linux ("model name", or "Hardware"/"CPU part"
  /// on some ARM boards); "unknown" elsewhere.
  static func current() -> MachineInfo {
    MachineInfo(
      cpuModel: cpuModelFromProcCPUInfo() ?? "unknown",
      logicalCores: ProcessInfo.processInfo.activeProcessorCount,
      optimized: !_isDebugAssertConfiguration())
  }

  static func cpuModelFromProcCPUInfo() -> String? {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
      return nil
    }
    for key in ["model name", "Hardware", "Processor", "CPU part"] {
      for line in text.split(separator: "\n") where line.hasPrefix(key) {
        if let colon = line.firstIndex(of: ":") {
          let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
          if !value.isEmpty { return value }
        }
      }
    }
    return nil
  }

  /// "-O" or "-Onone", as the code was compiled.
  var buildFlags: String { optimized ? "-O" : "-Onone" }
}

// MARK: - Formatting

/// Fixed-decimal formatting, e.g. `fixed(3.14159, 2)` → "3.14".
func fixed(_ value: Double, _ decimals: Int) -> String {
  String(format: "%.\(decimals)f", value)
}

/// A string padded with spaces on the left to `width` (for right-aligned table columns).
func padLeft(_ text: String, _ width: Int) -> String {
  text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}

/// A string padded with spaces on the right to `width`.
func padRight(_ text: String, _ width: Int) -> String {
  text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}
