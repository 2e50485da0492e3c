// snippet.title: Drift monitoring with the population stability index (PSI)
// snippet.uses: Detector.swift COCOEval.swift Benchmark.swift Figure.swift
// snippet.timeout: 60

// snippet.hide
import Foundation
// snippet.show

// In production there are no labels, but the model's own outputs are free: compare the
// distribution of detection confidences in a recent window with a reference window. PSI sums,
// over histogram bins, (actual − expected) · ln(actual / expected). Rule of thumb: < 0.1 stable,
// 0.1–0.2 moderate shift, > 0.2 significant: alert, look at the data, consider retraining.

// snippet.core
/// Proportions of `scores` in `bins` equal-width bins over [0, 1].
func histogram(_ scores: [Double], bins: Int = 10) -> [Double] {
  var counts = [Double](repeating: 0, count: bins)
  for s in scores { counts[min(bins - 1, Int(s * Double(bins)))] += 1 }
  return counts.map { $0 / Double(max(1, scores.count)) }
}

/// Population stability index; empty bins get a small floor so the log stays finite.
func psi(expected: [Double], actual: [Double], floor: Double = 1e-4) -> Double {
  zip(expected, actual).reduce(0) { total, pair in
    let e = max(pair.0, floor)
    let a = max(pair.1, floor)
    return total + (a - e) * Deterministic.log(a / e)
  }
}
// snippet.end

// The tiny detector of the benchmark, trained on daytime-to-dusk frames (gain 0.5–1.2).
var detectorConfig = DetectorConfig()
detectorConfig.trainingFrames = 120
let detector = TinyDetector.train(config: detectorConfig)

/// Detections and ground truth on `count` frames of a generator with the given lighting.
func run(seed: UInt64, gain: ClosedRange<Double>, noise: ClosedRange<Double>, count: Int = 80)
  -> (scores: [Double], ap50: Double)
{
  var config = SceneConfig()
  config.gain = gain
  config.noise = noise
  let generator = SceneGenerator(seed: seed, config: config)
  var detections: [Detection] = []
  var truths: [GroundTruth] = []
  for i in 0..<count {
    let scene = generator.scene(i)
    detections += detector.detect(scene.image, imageID: i)
    truths += scene.groundTruths(imageID: i)
  }
  let ap50 = cocoEvaluate(groundTruths: truths, detections: detections).stats.ap50
  return (detections.map(\.score), ap50)
}

let reference = run(seed: 11, gain: 0.8...1.2, noise: 0.005...0.02)
let expected = histogram(reference.scores)
let windows: [(String, UInt64, ClosedRange<Double>, ClosedRange<Double>)] = [
  ("another day", 12, 0.8...1.2, 0.005...0.02),
  ("dusk", 13, 0.45...0.6, 0.01...0.03),
  ("night", 14, 0.2...0.3, 0.025...0.04),
]

print("Confidence histograms (10 bins over [0, 1], share of detections in %):")
func bars(_ h: [Double]) -> String {
  h.map { padLeft(String(Int(($0 * 100).rounded())), 3) }.joined()
}
print("  \(padRight("reference (day)", 15)) \(bars(expected))   AP50 \(fixed(reference.ap50, 3))")
var rows: [(String, Double, Double)] = []
for (name, seed, gain, noise) in windows {
  let window = run(seed: seed, gain: gain, noise: noise)
  let actual = histogram(window.scores)
  print("  \(padRight(name, 15)) \(bars(actual))   AP50 \(fixed(window.ap50, 3))")
  rows.append((name, psi(expected: expected, actual: actual), window.ap50))
}

// snippet.alert
print("\nPSI against the reference, alert when PSI > 0.2:")
for (name, value, ap50) in rows {
  let verdict = value > 0.2 ? "ALERT: significant shift" : value > 0.1 ? "watch: moderate" : "ok"
  print("  \(padRight(name, 12)) PSI \(fixed(value, 3))  \(padRight(verdict, 24))"
    + " (true AP50 \(fixed(ap50, 3)))")
}
// snippet.end
print("PSI needs no labels; the AP50 column (labels!) shows the shift is real.")

// snippet.hide
// MARK: - Figure
// The confidence histograms of the reference and of each window, with their PSI.
// (The windows are run again: the loop above keeps only their PSI.)
do {
  let edges = (0...10).map { Double($0) / 10 }
  var chart = Chart(title: "", desc: "")
  chart.xDomain = 0...1
  chart.xLabel = "detection confidence"
  chart.yLabel = "share of detections (%)"
  chart.add(.histogram(edges: edges, counts: expected.map { $0 * 100 }, label: "reference (day)",
    style: FigureStyle(color: .series(0), lineWidth: 1.5, fillOpacity: 0.22)))
  var summary: [String] = []
  for (i, (name, seed, gain, noise)) in windows.enumerated() {
    let actual = histogram(run(seed: seed, gain: gain, noise: noise).scores)
    let value = psi(expected: expected, actual: actual)
    summary.append(
      "\(name) PSI \(SVGText.fixed(value, decimals: 2)) with \(Int((actual[9] * 100).rounded()))% in the top bin")
    chart.add(.histogram(edges: edges, counts: actual.map { $0 * 100 }, label: "\(name): PSI \(SVGText.fixed(value, decimals: 2))",
      style: FigureStyle(color: .series(i + 1), dash: .series(i + 1), lineWidth: 2)))
  }
  chart.title = "Detection confidence histograms per window, with PSI"
  chart.desc = "Share of detections in ten confidence bins for the daytime reference window (shaded, "
    + "\(Int((expected[9] * 100).rounded()))% in the top bin, 0.9 to 1) and three later windows: "
    + summary.joined(separator: "; ") + ". A window whose detections leave the confident bins has a large "
    + "PSI; above 0.2 is the alert threshold."
  Figure.save(chart.svg(name: "drift-psi-histograms"), name: "drift-psi-histograms")
}
// snippet.show
