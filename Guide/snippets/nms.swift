// snippet.title: Non-maximum suppression: hard, class-aware and soft
// snippet.uses: Box.swift IoU.swift NMS.swift Figure.swift

// snippet.hide
import Foundation

func f2(_ v: Double) -> String { String(format: "%.2f", v) }
func list(_ indices: [Int]) -> String {
  "[" + indices.map(String.init).joined(separator: ", ") + "]"
}
// snippet.show

// Raw detector output around two pedestrians walking side by side and a cyclist's bicycle,
// plus a lone pedestrian further away. Box 3 overlaps box 0 with IoU exactly 0.5; box 6 is a
// loosely placed duplicate of the lone pedestrian 5 (IoU 0.56 with it).
// snippet.data
let person = 0, bicycle = 1
let boxes = [
  Box(x1: 10, y1: 10, x2: 50, y2: 90),    // 0 person
  Box(x1: 12, y1: 14, x2: 52, y2: 94),    // 1 person, duplicate of 0
  Box(x1: 22, y1: 10, x2: 62, y2: 90),    // 2 person, the second one, partly hidden
  Box(x1: 10, y1: 10, x2: 50, y2: 50),    // 3 person, upper half of 0 (IoU 0.5)
  Box(x1: 10, y1: 35, x2: 50, y2: 95),    // 4 bicycle under person 0
  Box(x1: 100, y1: 20, x2: 130, y2: 80),  // 5 person, far away
  Box(x1: 106, y1: 26, x2: 136, y2: 86),  // 6 person, loose duplicate of 5
]
let scores = [0.95, 0.90, 0.85, 0.70, 0.80, 0.60, 0.30]
let labels = [person, person, person, person, bicycle, person, person]
// snippet.end

print("IoU of each box with box 0 (score 0.95):")
print("  " + boxes.indices.dropFirst().map { "\($0): \(f2(iou(boxes[0], boxes[$0])))" }
  .joined(separator: "  "))

// snippet.core
// Class-agnostic NMS: suppress a box when IoU with a kept box is > the threshold.
for threshold in [0.5, 0.7] {
  let keep = nms(boxes: boxes, scores: scores, iouThreshold: threshold)
  print("nms(iouThreshold: \(threshold)) keeps \(list(keep))")
}
// snippet.end
print("  At 0.5 the hidden pedestrian 2 (IoU 0.54) is lost; box 3 (IoU exactly 0.5)")
print("  survives because suppression needs IoU > threshold, not >=.")
print("  At 0.5 it also deletes the bicycle 4: IoU 0.65 with person 0.")
print("  At 0.7 pedestrian 2 and the bicycle survive, but so does duplicate 6")
print("  (IoU \(f2(iou(boxes[5], boxes[6]))) with 5): no single threshold removes every duplicate")
print("  and keeps every real object; only the tight duplicate 1 (IoU 0.82) goes at both.")

// snippet.batched
// Class-aware NMS: boxes only compete with boxes of the same class.
let keepPerClass = batchedNMS(boxes: boxes, scores: scores, labels: labels, iouThreshold: 0.5)
print("\nbatchedNMS(iouThreshold: 0.5) keeps \(list(keepPerClass))  (bicycle 4 kept)")
// snippet.end

// snippet.soft
// Soft-NMS lowers the scores of overlapping boxes instead of deleting them.
let personIDs = boxes.indices.filter { labels[$0] == person }
let personBoxes = personIDs.map { boxes[$0] }
let personScores = personIDs.map { scores[$0] }
let linear = softNMS(boxes: personBoxes, scores: personScores, method: .linear,
                     iouThreshold: 0.5, scoreThreshold: 0.05)
let gaussian = softNMS(boxes: personBoxes, scores: personScores, method: .gaussian(sigma: 0.5),
                       iouThreshold: 0.5, scoreThreshold: 0.05)
// snippet.end
print("\nSoft-NMS on the person boxes (scores below 0.05 dropped):")
print("  box  score   linear (IoU >= 0.5)  gaussian (sigma 0.5)")
for id in personIDs {
  let local = personIDs.firstIndex(of: id)!
  let lin = linear.first { $0.index == local }.map { f2($0.score) } ?? "--"
  let gau = gaussian.first { $0.index == local }.map { f2($0.score) } ?? "--"
  let linColumn = lin.padding(toLength: 21, withPad: " ", startingAt: 0)
  print("  \(id)    \(f2(scores[id]))   \(linColumn)\(gau)")
}
print("  Selection order, linear:   \(list(linear.map { personIDs[$0.index] }))")
print("  Selection order, gaussian: \(list(gaussian.map { personIDs[$0.index] }))")
print("The hidden pedestrian 2 keeps a usable score instead of vanishing;")
print("duplicates 1 and 6 sink below the true boxes.")

// snippet.hide
// MARK: - Figure
// The raw boxes, and what class-agnostic NMS at IoU 0.5 keeps, on a plain synthetic frame.
do {
  let (fw, fh) = (150, 110)
  var sky: [UInt8] = []
  for y in 0..<fh { sky += [UInt8](repeating: UInt8(175 - y * 60 / fh), count: fw) }
  let raster = Raster(width: fw, height: fh, channels: 1, bytes: sky)
  let keep = nms(boxes: boxes, scores: scores, iouThreshold: 0.5)
  let personStyle = FigureStyle(color: .series(0), lineWidth: 2)
  let bicycleStyle = FigureStyle(color: .series(3), dash: .dashed, lineWidth: 2)
  let goneStyle = FigureStyle(color: .text, dash: .dotted, lineWidth: 1.2)
  // Label positions chosen by hand so that no two labels overlap.
  let labelAt: [(Double, Double, String)] = [
    (12, 21, "start"), (54, 104, "start"), (64, 20, "start"), (12, 47, "start"), (8, 104, "start"),
    (100, 17, "start"), (134, 92, "start"),
  ]
  var before = RasterFigure(
    title: "", desc: "", raster: raster, frameWidth: Double(fw), frameHeight: Double(fh))
  before.displayWidth = 232
  before.caption = "before: 7 raw boxes"
  var after = before
  after.caption = "after NMS, IoU > 0.5: \(keep.count) kept"
  for (i, box) in boxes.enumerated() {
    let style = labels[i] == person ? personStyle : bicycleStyle
    before.add(.box(x1: box.x1, y1: box.y1, x2: box.x2, y2: box.y2, label: nil, style: style))
    before.add(.text(x: labelAt[i].0, y: labelAt[i].1, text: "\(i)", anchor: labelAt[i].2))
    if keep.contains(i) {
      after.add(.box(x1: box.x1, y1: box.y1, x2: box.x2, y2: box.y2, label: nil, style: style))
      after.add(.text(x: labelAt[i].0, y: labelAt[i].1, text: "\(i) (\(f2(scores[i])))", anchor: labelAt[i].2))
    } else {
      after.add(.box(x1: box.x1, y1: box.y1, x2: box.x2, y2: box.y2, label: nil, style: goneStyle))
    }
  }
  var panels = RasterPanels(
    title: "Non-maximum suppression before and after",
    desc: "Left: the seven raw boxes, numbered: person boxes solid, the bicycle box dashed. "
      + "Right: class-agnostic NMS at IoU threshold 0.5 keeps boxes \(keep.map(String.init).joined(separator: ", ")) "
      + "(scores in brackets); the suppressed boxes are dotted. The duplicates 1 and 6 are gone, but so are "
      + "the partly hidden pedestrian 2 and the bicycle 4, while box 3 (IoU exactly 0.5) survives.",
    panels: [before, after])
  panels.legend = [
    LegendEntry(label: "person", style: personStyle), LegendEntry(label: "bicycle", style: bicycleStyle),
    LegendEntry(label: "suppressed", style: goneStyle),
  ]
  Figure.save(panels.svg(name: "nms-before-after"), name: "nms-before-after")
}
// snippet.show
