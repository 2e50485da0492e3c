// snippet.title: Precision, recall, F1 and the PR curve
// snippet.uses: Box.swift IoU.swift Detection.swift Metrics.swift

// snippet.hide
import Foundation
// snippet.show

// Seven pedestrians in three images (G is small and never detected), and eleven detections.
// snippet.data
let names = ["A", "B", "C", "D", "E", "F", "G"]
let truth = [
  GroundTruth(imageID: 1, label: 0, box: Box(x1: 10, y1: 10, x2: 50, y2: 90)),    // A
  GroundTruth(imageID: 1, label: 0, box: Box(x1: 100, y1: 20, x2: 140, y2: 100)), // B
  GroundTruth(imageID: 1, label: 0, box: Box(x1: 200, y1: 30, x2: 230, y2: 90)),  // C
  GroundTruth(imageID: 2, label: 0, box: Box(x1: 20, y1: 20, x2: 60, y2: 100)),   // D
  GroundTruth(imageID: 2, label: 0, box: Box(x1: 300, y1: 50, x2: 340, y2: 130)), // E
  GroundTruth(imageID: 3, label: 0, box: Box(x1: 50, y1: 50, x2: 90, y2: 130)),   // F
  GroundTruth(imageID: 3, label: 0, box: Box(x1: 150, y1: 40, x2: 170, y2: 80)),  // G
]
let detections = [
  Detection(imageID: 1, label: 0, box: Box(x1: 12, y1: 12, x2: 52, y2: 92), score: 0.95),
  Detection(imageID: 2, label: 0, box: Box(x1: 22, y1: 18, x2: 62, y2: 98), score: 0.91),
  // A again:
  Detection(imageID: 1, label: 0, box: Box(x1: 8, y1: 14, x2: 48, y2: 94), score: 0.88),
  Detection(imageID: 3, label: 0, box: Box(x1: 52, y1: 48, x2: 92, y2: 128), score: 0.80),
  Detection(imageID: 1, label: 0, box: Box(x1: 104, y1: 24, x2: 144, y2: 104), score: 0.74),
  // Nothing there, then E badly placed:
  Detection(imageID: 2, label: 0, box: Box(x1: 400, y1: 200, x2: 440, y2: 280), score: 0.66),
  Detection(imageID: 2, label: 0, box: Box(x1: 320, y1: 60, x2: 360, y2: 140), score: 0.58),
  Detection(imageID: 1, label: 0, box: Box(x1: 198, y1: 32, x2: 230, y2: 92), score: 0.45),
  Detection(imageID: 3, label: 0, box: Box(x1: 10, y1: 200, x2: 50, y2: 260), score: 0.30),
  Detection(imageID: 2, label: 0, box: Box(x1: 302, y1: 52, x2: 342, y2: 132), score: 0.22),
  Detection(imageID: 3, label: 0, box: Box(x1: 200, y1: 150, x2: 230, y2: 200), score: 0.10),
]
// snippet.end

// snippet.core
// Match greedily by score at IoU 0.5, then walk down the ranked list.
let result = matchDetections(detections, to: truth, iouThreshold: 0.5)
let curve = precisionRecallCurve(result.ranked, numPositives: result.numPositives)
// snippet.end

print("Detections ranked by score, matched at IoU >= 0.5 (\(result.numPositives) objects):")
print("rank score  match      TP  FP  precision recall  F1")
let byScore = detections.indices.sorted { detections[$0].score > detections[$1].score }
for (rank, d) in byScore.enumerated() {
  let match: String
  if let g = result.matchedGroundTruth[d] {
    match = "TP " + names[g] + String(format: " %.2f", iou(detections[d].box, truth[g].box))
  } else {
    let best = truth.indices.filter { truth[$0].imageID == detections[d].imageID }
      .max { iou(detections[d].box, truth[$0].box) < iou(detections[d].box, truth[$1].box) }!
    let o = iou(detections[d].box, truth[best].box)
    match = o > 0 ? "FP " + names[best] + String(format: " %.2f", o) : "FP  -    "
  }
  let p = curve[rank]
  print(String(format: "%3d  %.2f   ", rank + 1, p.threshold) + match
    + String(format: "  %2d  %2d    %.3f   %.3f  %.3f",
             p.truePositives, p.falsePositives, p.precision, p.recall, p.f1))
}
print("(\"FP A 0.82\": IoU 0.82 with A, but A was already taken: a duplicate)")

// snippet.threshold
let atHalf = operatingPoint(result.ranked, numPositives: result.numPositives, threshold: 0.5)
print(String(format: "\nKeep detections with score >= 0.50: TP %d, FP %d, FN %d",
             atHalf.truePositives, atHalf.falsePositives, atHalf.falseNegatives))
print(String(format: "  precision = %d/%d = %.3f, recall = %d/%d = %.3f, F1 = %.3f",
             atHalf.truePositives, atHalf.truePositives + atHalf.falsePositives, atHalf.precision,
             atHalf.truePositives, result.numPositives, atHalf.recall, atHalf.f1))
// snippet.end

// snippet.best
if let best = bestF1(result.ranked, numPositives: result.numPositives) {
  print(String(format: "Best F1 = %.3f at threshold %.2f (precision %.3f, recall %.3f)",
               best.f1, best.threshold, best.precision, best.recall))
}
// snippet.end
print("Lower thresholds raise recall and cost precision; no threshold finds G,")
print("so recall never passes \(result.truePositives)/\(result.numPositives).")
