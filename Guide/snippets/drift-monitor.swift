// snippet.title: Drift monitoring with the population stability index (PSI)
// snippet.uses: Detector.swift COCOEval.swift Benchmark.swift Figure.swift
// snippet.timeout: 120

// snippet.hide
import Foundation
// snippet.show

// In production there are no labels, but the model's own outputs and its inputs are free:
// compare the distribution of detection confidences (and of frame brightness) in each recent
// window with a reference window. PSI sums, over histogram bins,
// (actual − expected) · ln(actual / expected). Rule of thumb (a convention from credit scoring,
// not a test): < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 significant.

// snippet.core
/// Bin edges at the quantiles of the reference values, so each reference bin holds about
/// 1/bins of them (equal-width bins over [0, 1] would put most confident detections in one
/// bin). Tied quantiles (many scores of 1.000) collapse into one edge, so one bin fewer.
func quantileEdges(_ reference: [Double], bins: Int = 10) -> [Double] {
  let sorted = reference.sorted()
  var edges: [Double] = []
  for q in 1..<bins {
    let edge = percentile(sorted: sorted, 100 * Double(q) / Double(bins))
    if edge > (edges.last ?? -Double.infinity) { edges.append(edge) }
  }
  return edges
}

/// Proportions of `values` in the bins that `edges` (ascending inner edges) define.
func histogram(_ values: [Double], edges: [Double]) -> [Double] {
  var counts = [Double](repeating: 0, count: edges.count + 1)
  for v in values { counts[edges.firstIndex { v < $0 } ?? edges.count] += 1 }
  return counts.map { $0 / Double(max(1, values.count)) }
}

/// Proportions of `scores` in `bins` equal-width bins over [0, 1] (for comparison only).
func histogram(_ scores: [Double], bins: Int = 10) -> [Double] {
  histogram(scores, edges: (1..<bins).map { Double($0) / Double(bins) })
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

/// One window of `count` frames with the given lighting: detection scores and mean brightness
/// per frame (label-free), then AP50 and recall at score 0.5 (which need labels: shown only
/// to check what the monitors say).
struct Window {
  var scores: [Double]
  var brightness: [Double]
  var ap50: Double
  var recall: Double
}
func run(seed: UInt64, gain: ClosedRange<Double>, noise: ClosedRange<Double>, count: Int = 80)
  -> Window
{
  var config = SceneConfig()
  config.gain = gain
  config.noise = noise
  let generator = SceneGenerator(seed: seed, config: config)
  var detections: [Detection] = []
  var truths: [GroundTruth] = []
  var brightness: [Double] = []
  for i in 0..<count {
    let scene = generator.scene(i)
    detections += detector.detect(scene.image, imageID: i)
    truths += scene.groundTruths(imageID: i)
    brightness.append(Double(scene.image.pixels.reduce(0, +)) / Double(scene.image.pixels.count))
  }
  let ap50 = cocoEvaluate(groundTruths: truths, detections: detections).stats.ap50
  let match = matchDetections(detections, to: truths, iouThreshold: 0.5)
  let recall = operatingPoint(match.ranked, numPositives: match.numPositives, threshold: 0.5).recall
  return Window(
    scores: detections.map(\.score), brightness: brightness, ap50: ap50, recall: recall)
}

let day = (gain: 0.8...1.2, noise: 0.005...0.02)
let reference = run(seed: 11, gain: day.gain, noise: day.noise)
let edges = quantileEdges(reference.scores)
let expected = histogram(reference.scores, edges: edges)
let brightnessEdges = quantileEdges(reference.brightness, bins: 5)
let expectedBrightness = histogram(reference.brightness, edges: brightnessEdges)

print("Reference window (day, 80 frames): \(reference.scores.count) detections,"
  + " AP50 \(fixed(reference.ap50, 3)), recall@0.5 \(fixed(reference.recall, 3))")
let equalWidth = histogram(reference.scores)
print("  10 equal-width bins over [0, 1] would put \(Int((equalWidth[9] * 100).rounded()))%"
  + " of the scores in the top bin;")
print("  reference deciles instead (ties at the top merge bins: \(edges.count + 1) bins):")
print("  edges " + edges.map { fixed($0, 4) }.joined(separator: " "))
print("  shares " + expected.map { "\(Int(($0 * 100).rounded()))%" }.joined(separator: " "))

// A stream of 80-frame windows: two days, then dusk, then night (new seeds each time). The
// detector was trained on gain 0.5–1.2, so dusk (0.45–0.6) is at the edge of its training
// range and night (0.2–0.3) far outside it.
let windows: [(String, UInt64, ClosedRange<Double>, ClosedRange<Double>)] =
  (0..<2).map { ("day", 12 + 8 * UInt64($0), day.gain, day.noise) }
  + (0..<2).map { ("dusk", 13 + 17 * UInt64($0), 0.45...0.6, 0.01...0.03) }
  + (0..<2).map { ("night", 14 + 26 * UInt64($0), 0.2...0.3, 0.025...0.04) }

// snippet.alert
// The alert rule: a window is "high" when its confidence PSI exceeds 0.25; the alarm fires
// only when 2 consecutive windows are high (one odd window pages nobody); 0.1–0.25 is "watch".
let alertPSI = 0.25
let watchPSI = 0.1
let persistence = 2
print("\nWindows of 80 frames; alert when confidence PSI > \(alertPSI) in \(persistence)"
  + " consecutive windows:")
print("                  label-free                            needs labels")
print("  #  condition  PSI conf  PSI bright  state           AP50  recall@0.5")
var rows: [(String, Double, Double)] = []
var highStreak = 0
for (index, (name, seed, gain, noise)) in windows.enumerated() {
  let window = run(seed: seed, gain: gain, noise: noise)
  let value = psi(expected: expected, actual: histogram(window.scores, edges: edges))
  let bright = psi(
    expected: expectedBrightness, actual: histogram(window.brightness, edges: brightnessEdges))
  highStreak = value > alertPSI ? highStreak + 1 : 0
  let state =
    highStreak >= persistence ? "ALERT" : value > alertPSI ? "high (1st)"
    : value > watchPSI ? "watch" : "ok"
  print("  \(index + 1)  \(padRight(name, 9)) \(padLeft(fixed(value, 3), 8))"
    + "  \(padLeft(fixed(bright, 2), 10))  \(padRight(state, 12))  \(fixed(window.ap50, 3))"
    + "  \(padLeft(fixed(window.recall, 3), 10))")
  rows.append((name, value, window.ap50))
}
// snippet.end
print("\nDusk: the confidence PSI stays close to the healthy day windows, far below any alert,")
print("while recall drops: the missed low-contrast objects produce no score at all, and the")
print("detections that remain are as confident as before. That is a conditional shift:")
print("P(found | object) moved, P(score | found) did not, so no monitor of the score")
print("distribution can see it. The input monitor (brightness PSI) does move; whether the move")
print("matters takes a labelled sample.")

// snippet.hide
// MARK: - Figure
// The shares of detections in the reference's decile bins, for the reference and for the first
// window of each condition, with their confidence PSI (those windows are run again: the loop
// above keeps only the PSI).
do {
  let bins = expected.count
  let binEdges = (0...bins).map(Double.init)
  var chart = Chart(title: "", desc: "")
  chart.xDomain = 0...Double(bins)
  chart.xLabel = "bin of the reference's confidence deciles (low to high confidence)"
  chart.yLabel = "share of detections (%)"
  chart.add(.histogram(edges: binEdges, counts: expected.map { $0 * 100 }, label: "reference (day)",
    style: FigureStyle(color: .series(0), lineWidth: 1.5, fillOpacity: 0.22)))
  var summary: [String] = []
  var seen: Set<String> = []
  for (name, seed, gain, noise) in windows where seen.insert(name).inserted {
    let actual = histogram(run(seed: seed, gain: gain, noise: noise).scores, edges: edges)
    let value = psi(expected: expected, actual: actual)
    summary.append("\(name) PSI \(SVGText.fixed(value, decimals: 3))")
    chart.add(.histogram(edges: binEdges, counts: actual.map { $0 * 100 },
      label: "\(name): PSI \(SVGText.fixed(value, decimals: 3))",
      style: FigureStyle(color: .series(seen.count), dash: .series(seen.count), lineWidth: 2)))
  }
  chart.title = "Detection confidence per reference decile bin, with PSI"
  chart.desc = "Share of detections in the \(bins) bins cut at the daytime reference's confidence deciles "
    + "(the reference, shaded, puts about the same share in each) and in the first day, dusk and night windows: "
    + summary.joined(separator: "; ") + ". Dusk looks like day although recall fell: a score monitor cannot "
    + "see objects that produce no detection. Above 0.25 (twice in a row) is the alert threshold."
  Figure.save(chart.svg(name: "drift-psi-histograms"), name: "drift-psi-histograms")
}
// snippet.show
