// snippet.title: Peeking at an A/B test: how daily looks inflate false positives, and a fix
// snippet.uses: Random.swift Benchmark.swift

// snippet.hide
import Foundation

func pct(_ v: Double) -> String { fixed(v * 100, 1) + " %" }
// snippet.show

// 2,000 A/A tests: both arms have the same 10 % conversion rate, so every "significant" result is
// a false positive. Each test collects 500 users per arm per day for 10 days, and after each day
// the analyst runs the usual two-proportion z-test.
// snippet.simulate
let experiments = 2_000
let looks = 10
let usersPerLook = 500
let rate = 0.10

/// |z| of the two-proportion test with pooled variance.
func zScore(_ convA: Int, _ convB: Int, _ n: Int) -> Double {
  let pA = Double(convA) / Double(n)
  let pB = Double(convB) / Double(n)
  let pooled = Double(convA + convB) / Double(2 * n)
  let se = (pooled * (1 - pooled) * 2 / Double(n)).squareRoot()
  return se > 0 ? abs(pA - pB) / se : 0
}

var zPaths: [[Double]] = []  // |z| after each look, per experiment
for e in 0..<experiments {
  var rng = SplitMix64.derived(seed: 2026, stream: UInt64(e))
  var convA = 0
  var convB = 0
  var path: [Double] = []
  for look in 1...looks {
    for _ in 0..<usersPerLook {
      if rng.bernoulli(rate) { convA += 1 }
      if rng.bernoulli(rate) { convB += 1 }
    }
    path.append(zScore(convA, convB, look * usersPerLook))
  }
  zPaths.append(path)
}
// snippet.end

// snippet.rates
let critical = 1.959964  // two-sided 5 %
let finalOnly = zPaths.filter { $0[looks - 1] > critical }.count
let anyLook = zPaths.filter { path in path.contains { $0 > critical } }.count
print(
  "A/A tests: \(experiments), \(looks) daily looks, \(usersPerLook) users per arm per day,"
    + " \(Int(rate * 100)) % conversion in both arms\n")
print(
  "False-positive rate, test once at the planned end:  \(pct(Double(finalOnly) / Double(experiments)))"
)
print(
  "False-positive rate, stop at the first p < 0.05:    \(pct(Double(anyLook) / Double(experiments)))"
)
// snippet.end

print("\nStopping at the first significant look, by number of looks allowed:")
for k in [1, 2, 3, 5, 10] {
  let hits = zPaths.filter { path in path.prefix(k).contains { $0 > critical } }.count
  let label = padRight(padLeft(String(k), 2) + (k == 1 ? " look:" : " looks:"), 10)
  print("  \(label)\(padLeft(pct(Double(hits) / Double(experiments)), 7))")
}

print("  (with 2,000 simulated tests, a rate is known to about +-1 point)")

// snippet.boundary
// A fix: a stricter constant threshold at every look (Pocock-style). Find, by simulation, the
// threshold that keeps the chance of ever crossing it at 5 %: the 95th percentile of max |z|.
let maxima = zPaths.map { $0.max()! }.sorted()
let boundary = percentile(sorted: maxima, 95)
let crossed = zPaths.filter { path in path.contains { $0 > boundary } }.count
print(
  "\nConstant boundary for \(looks) looks: |z| > \(fixed(boundary, 2)) (instead of 1.96)"
    + " -> false positives \(pct(Double(crossed) / Double(experiments)))")
// snippet.end
print(
  "The price is power: a real effect must be larger to cross \(fixed(boundary, 2)) early. Group")
print("sequential designs (O'Brien-Fleming) spend less of the 5 % early and keep the final")
print("threshold close to 1.96; always-valid methods (mSPRT) allow looking at any time.")
