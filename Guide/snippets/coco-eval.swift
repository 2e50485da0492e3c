// snippet.title: COCO-style evaluation: AP@[.5:.95], AP50, AP75, AP by size, AR
// snippet.uses: Box.swift IoU.swift Detection.swift AveragePrecision.swift COCOEval.swift Figure.swift

// snippet.hide
import Foundation

let className = [1: "car", 2: "person"]
// snippet.show

// Three street images, two classes (1 car, 2 person). COCO sizes by area in pixels:
// small < 32² = 1024 <= medium < 96² = 9216 <= large.
// snippet.data
let car = 1, person = 2
let truth = [
  // Image 1: a large, a medium and a small car, and a pedestrian.
  GroundTruth(imageID: 1, label: car, box: Box(x1: 50, y1: 200, x2: 250, y2: 330)),
  GroundTruth(imageID: 1, label: car, box: Box(x1: 300, y1: 220, x2: 360, y2: 260)),
  GroundTruth(imageID: 1, label: car, box: Box(x1: 400, y1: 230, x2: 424, y2: 246)),
  GroundTruth(imageID: 1, label: person, box: Box(x1: 270, y1: 180, x2: 300, y2: 260)),
  // Image 2: a crowd of distant pedestrians annotated as one crowd region, one pedestrian in
  // front of it, and a small pedestrian at the kerb.
  GroundTruth(imageID: 2, label: person, box: Box(x1: 100, y1: 100, x2: 400, y2: 250),
              isCrowd: true),
  GroundTruth(imageID: 2, label: person, box: Box(x1: 420, y1: 120, x2: 460, y2: 230)),
  GroundTruth(imageID: 2, label: person, box: Box(x1: 30, y1: 150, x2: 42, y2: 180)),
  // Image 3: a large, a medium and a small car on a highway.
  GroundTruth(imageID: 3, label: car, box: Box(x1: 100, y1: 150, x2: 420, y2: 380)),
  GroundTruth(imageID: 3, label: car, box: Box(x1: 500, y1: 200, x2: 580, y2: 250)),
  GroundTruth(imageID: 3, label: car, box: Box(x1: 600, y1: 220, x2: 620, y2: 232)),
]
let detections = [
  Detection(imageID: 1, label: car, box: Box(x1: 54, y1: 204, x2: 250, y2: 334), score: 0.97),
  Detection(imageID: 1, label: car, box: Box(x1: 302, y1: 222, x2: 364, y2: 262), score: 0.88),
  Detection(imageID: 1, label: car, box: Box(x1: 397, y1: 228, x2: 421, y2: 247), score: 0.40),
  // A shadow:
  Detection(imageID: 1, label: car, box: Box(x1: 100, y1: 350, x2: 160, y2: 380), score: 0.55),
  Detection(imageID: 1, label: person, box: Box(x1: 272, y1: 182, x2: 300, y2: 258), score: 0.91),
  Detection(imageID: 2, label: person, box: Box(x1: 421, y1: 118, x2: 462, y2: 232), score: 0.93),
  // Three detections inside the crowd region:
  Detection(imageID: 2, label: person, box: Box(x1: 120, y1: 110, x2: 150, y2: 190), score: 0.80),
  Detection(imageID: 2, label: person, box: Box(x1: 200, y1: 120, x2: 228, y2: 200), score: 0.70),
  Detection(imageID: 2, label: person, box: Box(x1: 300, y1: 130, x2: 330, y2: 210), score: 0.35),
  Detection(imageID: 3, label: car, box: Box(x1: 120, y1: 160, x2: 420, y2: 380), score: 0.95),
  Detection(imageID: 3, label: car, box: Box(x1: 510, y1: 205, x2: 600, y2: 255), score: 0.60),
  // The large car again:
  Detection(imageID: 3, label: car, box: Box(x1: 110, y1: 150, x2: 400, y2: 370), score: 0.50),
  Detection(imageID: 3, label: car, box: Box(x1: 601, y1: 221, x2: 621, y2: 233), score: 0.30),
]
// snippet.end

// snippet.core
let evaluation = cocoEvaluate(groundTruths: truth, detections: detections)
for line in evaluation.summaryLines() { print(line) }
// snippet.end

// snippet.perclass
print("\nAP per class   @[.5:.95]  @.50   @.75")
for label in evaluation.labels {
  let name = className[label]!.padding(toLength: 12, withPad: " ", startingAt: 0)
  print("  " + name + String(format: "   %.3f     %.3f  %.3f",
    evaluation.ap(label: label), evaluation.ap(label: label, iouThreshold: 0.5),
    evaluation.ap(label: label, iouThreshold: 0.75)))
}
// snippet.end
print("""

- The three detections inside the crowd region match it and are ignored:
  they are neither true nor false positives.
- AP@[.5:.95] averages AP over 10 IoU thresholds, so loosely placed boxes
  (the medium car at IoU 0.59) count at 0.50 and 0.55 only.
- APsmall and ARsmall: the 12x30 pedestrian is never found.
- AR@1 allows only the top detection per image and class.
""")

// snippet.hide
// MARK: - Figure
// AP of each class at each of the ten IoU thresholds; their mean is AP@[.5:.95].
do {
  let thresholds = linspace(0.5, 0.95, count: 10)
  var chart = Chart(
    title: "COCO AP against the IoU threshold",
    desc: "AP of each class at IoU thresholds 0.50 to 0.95 in steps of 0.05, and their mean over classes. "
      + evaluation.labels.map { label in
        "\(className[label]!): AP50 \(SVGText.fixed(evaluation.ap(label: label, iouThreshold: 0.5), decimals: 2)), "
          + "AP75 \(SVGText.fixed(evaluation.ap(label: label, iouThreshold: 0.75), decimals: 2)), "
          + "AP95 \(SVGText.fixed(evaluation.ap(label: label, iouThreshold: thresholds[9]), decimals: 2))"
      }.joined(separator: "; ")
      + ". AP falls as the threshold rises because loosely placed boxes stop counting; the dashed line is "
      + "AP@[.5:.95] = \(SVGText.fixed(evaluation.stats.ap, decimals: 3)), the average of the ten points.")
  chart.xDomain = 0.48...0.97
  chart.yDomain = 0...1.05
  chart.yTickCount = 6
  chart.xLabel = "IoU threshold"
  chart.yLabel = "AP"
  chart.xTickFormat = { SVGText.fixed($0, decimals: 2) }
  for (i, label) in evaluation.labels.enumerated() {
    let points = thresholds.map { ($0, evaluation.ap(label: label, iouThreshold: $0)) }
    chart.add(.line(points, label: className[label]!, style: .series(i + 1, marker: true)))
  }
  let mean = thresholds.map { t in
    (t, evaluation.labels.map { evaluation.ap(label: $0, iouThreshold: t) }.reduce(0, +) / Double(evaluation.labels.count))
  }
  chart.add(.line(mean, label: "mean over classes", style: FigureStyle(color: .series(0), marker: .circle, lineWidth: 3)))
  chart.add(.hline(y: evaluation.stats.ap, label: "AP@[.5:.95] = \(SVGText.fixed(evaluation.stats.ap, decimals: 3))",
    style: FigureStyle(color: .text, dash: .dashed, lineWidth: 1.5)))
  Figure.save(chart.svg(name: "coco-ap-vs-iou"), name: "coco-ap-vs-iou")
}
// snippet.show
