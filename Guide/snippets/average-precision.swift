// snippet.title: Average precision: VOC 11-point, all-point and COCO 101-point
// snippet.uses: Metrics.swift AveragePrecision.swift Figure.swift

// snippet.hide
import Foundation
// snippet.show

// Ten detections of one class, already ranked by score and matched to the 5 objects in the
// data set (T = true positive, F = false positive). One object is never found.
// snippet.data
let ranked: [Bool] = [true, false, true, true, false, false, true, false, false, false]
let numPositives = 5
// snippet.end

let (precision, recall) = cumulativePrecisionRecall(
  isTruePositive: ranked, numPositives: numPositives)
// The interpolated precision: the best precision at this recall or any higher one.
var envelope = precision
for i in stride(from: envelope.count - 2, through: 0, by: -1) {
  envelope[i] = max(envelope[i], envelope[i + 1])
}

print("rank  hit  precision  recall  envelope")
for i in ranked.indices {
  print(String(format: "%3d    ", i + 1) + (ranked[i] ? "T" : "F")
    + String(format: "    %.3f     %.2f     %.3f", precision[i], recall[i], envelope[i]))
}

// snippet.core
// (VOC 11-point reads recall thresholds k/10 exactly. Python ports that build them with
// np.arange(0, 1.1, 0.1) compare against 0.6000000000000001, miss recall 0.6 and get 0.6331
// on this list: exact ties between recall and a threshold are where implementations drift.)
for method in APInterpolation.allCases {
  let ap = averagePrecision(
    isTruePositive: ranked, numPositives: numPositives, interpolation: method)
  let name = method.name.padding(toLength: 15, withPad: " ", startingAt: 0)
  print(name + String(format: " AP = %.4f", ap))
}
// snippet.end
// snippet.hide
let p1 = 1.0, p2 = 0.75, p3 = 4.0 / 7
// snippet.show

// The same numbers by hand, from the envelope (1 up to recall 0.2, 0.75 up to 0.6, 4/7 up to 0.8):
print("\nBy hand:")
print(String(format: "  11-point:  (3 x 1 + 4 x 0.75 + 2 x 4/7 + 2 x 0) / 11   = %.4f",
             (3 * p1 + 4 * p2 + 2 * p3) / 11))
print(String(format: "  all-point: 0.2 x 1 + 0.4 x 0.75 + 0.2 x 4/7           = %.4f",
             0.2 * p1 + 0.4 * p2 + 0.2 * p3))
print(String(format: "  101-point: (21 x 1 + 40 x 0.75 + 20 x 4/7) / 101      = %.4f",
             (21 * p1 + 40 * p2 + 20 * p3) / 101))
print("Same list, three numbers: only the interpolation differs. The 11-point rule")
print("over-weights the start of the curve (recall 0, 0.1 and 0.2 all read 1.0);")
print("COCO's 101 samples come closer to the exact area. Say which AP you mean.")

// snippet.hide
// MARK: - Figure
// The precision-recall curve, its envelope and the three ways of reading it.
do {
  let ap = APInterpolation.allCases.map {
    averagePrecision(isTruePositive: ranked, numPositives: numPositives, interpolation: $0)
  }
  // The envelope as a function of recall: the best precision at this recall or beyond.
  func interpolated(_ r: Double) -> Double {
    zip(precision, recall).filter { $0.1 >= r - 1e-12 }.map(\.0).max() ?? 0
  }
  var envelopeSteps: [(Double, Double)] = [(0, envelope[0])]
  for i in ranked.indices where i == 0 || recall[i] > recall[i - 1] {
    envelopeSteps.append((recall[i], envelope[i]))
    if i + 1 < ranked.count { envelopeSteps.append((recall[i], envelope[i + 1])) }
  }
  var area: [(Double, Double)] = []
  for (i, point) in envelopeSteps.enumerated() {
    area.append(point)
    if i + 1 < envelopeSteps.count, envelopeSteps[i + 1].0 > point.0 { area.append((envelopeSteps[i + 1].0, point.1)) }
  }
  var chart = Chart(
    title: "Precision-recall curve with three interpolations",
    desc: "Precision against recall for ten ranked detections of five objects. The raw curve zigzags: it "
      + "drops at every false positive. The interpolated envelope takes, at each recall, the best precision "
      + "at that recall or higher: 1 up to recall 0.2, 0.75 up to 0.6, 4/7 up to 0.8, then 0. "
      + "All-point AP is the shaded area under the envelope (\(SVGText.fixed(ap[1], decimals: 3))); VOC 11-point "
      + "averages it at recall 0, 0.1, ..., 1 (\(SVGText.fixed(ap[0], decimals: 3))); COCO 101-point at "
      + "recall 0, 0.01, ..., 1 (\(SVGText.fixed(ap[2], decimals: 3))).")
  chart.height = 320
  chart.xDomain = 0...1
  chart.yDomain = 0...1
  chart.yTickCount = 6
  chart.xLabel = "recall"
  chart.yLabel = "precision"
  chart.add(.area(area, baseline: 0, label: "all-point AP \(SVGText.fixed(ap[1], decimals: 3))",
    style: FigureStyle(color: .series(0), fillOpacity: 0.18)))
  chart.add(.line(zip(recall, precision).map { ($0, $1) }, label: "raw precision",
    style: FigureStyle(color: .series(4), dash: .dotted, marker: .circle, lineWidth: 1.5)))
  chart.add(.line(envelopeSteps, label: "envelope", style: FigureStyle(color: .series(0), lineWidth: 2.5)))
  let coco = (0...100).map { Double($0) / 100 }
  chart.add(.scatter(coco.map { ($0, interpolated($0)) }, label: "101-point AP \(SVGText.fixed(ap[2], decimals: 3))",
    style: FigureStyle(color: .series(2), marker: .circle, lineWidth: 0.3)))
  let voc = (0...10).map { Double($0) / 10 }
  chart.add(.scatter(voc.map { ($0, interpolated($0)) }, label: "11-point AP \(SVGText.fixed(ap[0], decimals: 3))",
    style: FigureStyle(color: .series(1), marker: .square, lineWidth: 2)))
  Figure.save(chart.svg(name: "pr-curve-interpolations"), name: "pr-curve-interpolations")
}
// snippet.show
