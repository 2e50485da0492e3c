// snippet.title: Intersection over union
// snippet.uses: Box.swift IoU.swift Figure.swift

// snippet.hide
import Foundation

func f3(_ v: Double) -> String { String(format: "%.3f", v) }
func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: n, withPad: " ", startingAt: 0) }
func tuple(_ v: Double...) -> String {
  "(" + v.map { String(format: "%g", $0) }.joined(separator: ", ") + ")"
}
// snippet.show

// 1. One box, three formats. The same object written as COCO xywh, as xyxy corners and as
//    YOLO's centre + size. Reading one format as another is the classic silent bug.
// snippet.formats
let car = Box(xywh: 10, 20, 40, 30)
print("Box formats for one object (continuous coordinates):")
let (x, y, w, h) = car.xywh
let (cx, cy, _, _) = car.cxcywh
print("  xywh   (COCO)         ", tuple(x, y, w, h))
print("  xyxy   (torchvision)  ", tuple(car.x1, car.y1, car.x2, car.y2))
print("  cxcywh (YOLO)         ", tuple(cx, cy, w, h))
print("  Box(cxcywh: 30, 35, 40, 30) == car:", Box(cxcywh: 30, 35, 40, 30) == car)
// xywh misread as xyxy: the "box" from (10, 20) to (40, 30) is a different object.
let misread = Box(x1: 10, y1: 20, x2: 40, y2: 30)
print("  xywh misread as xyxy, IoU with the truth:", f3(iou(misread, car)))
// snippet.end

// 2. IoU = area of overlap / area of union, on pairs that cover the edge cases.
// snippet.core
let a = Box(x1: 0, y1: 0, x2: 10, y2: 10)
let cases: [(String, Box, Box)] = [
  ("identical", a, a),
  ("shifted by half a width", a, Box(x1: 5, y1: 0, x2: 15, y2: 10)),
  ("shifted diagonally", a, Box(x1: 5, y1: 5, x2: 15, y2: 15)),
  ("6x6 box inside", a, Box(x1: 2, y1: 2, x2: 8, y2: 8)),
  ("touching at an edge", a, Box(x1: 10, y1: 0, x2: 20, y2: 10)),
  ("disjoint", a, Box(x1: 20, y1: 20, x2: 30, y2: 30)),
  ("degenerate (zero width)", a, Box(x1: 5, y1: 0, x2: 5, y2: 10)),
  ("two degenerate boxes", Box(x1: 1, y1: 1, x2: 1, y2: 1), Box(x1: 1, y1: 1, x2: 1, y2: 1)),
]
print("\nIoU of box A = [0, 0, 10, 10] with:")
for (name, p, q) in cases {
  print("  \(pad(name, 25)) \(pad(q.description, 18)) IoU = \(f3(iou(p, q)))")
}
// snippet.end
print("  (0 when the union is empty: never NaN)")

// 3. The same 2-pixel shift costs a small box far more IoU than a large one:
//    why small objects are hard to localise at IoU 0.5 and beyond.
// snippet.scale
print("\nA 2-pixel horizontal shift:")
for side in [8.0, 32.0, 128.0] {
  let box = Box(xywh: 0, 0, side, side)
  let shifted = box.translated(dx: 2, dy: 0)
  print(String(format: "  %3.0f px wide box: IoU = %.3f", side, iou(box, shifted)))
}
// snippet.end

// 4. The legacy Pascal VOC convention counts pixels inclusively (+1): a box from 0 to 9 is
//    10 pixels wide. It matters only to reproduce numbers from old VOC / R-CNN code.
// snippet.legacy
print("\nContinuous IoU vs legacy VOC \"+1 pixel\" IoU:")
for (p, q) in [
  (Box(x1: 0, y1: 0, x2: 9, y2: 9), Box(x1: 5, y1: 0, x2: 14, y2: 9)),
  (Box(x1: 0, y1: 0, x2: 99, y2: 99), Box(x1: 50, y1: 0, x2: 149, y2: 99)),
] {
  print("  \(pad(p.description, 14)) vs \(pad(q.description, 16))"
    + " continuous \(f3(iou(p, q)))  legacy \(f3(iouVOCLegacy(p, q)))")
}
// snippet.end

// snippet.hide
// MARK: - Figure
// Three pairs of boxes from the table above, the overlap shaded, each with its IoU.
do {
  var chart = Chart(
    title: "Intersection over union of three box pairs",
    desc: "Three pairs of 10 by 10 pixel boxes drawn in image coordinates. Box A is solid, box B dashed, "
      + "their intersection shaded. Shifted by half a width: intersection 50, union 150, IoU 0.33. "
      + "Shifted diagonally: intersection 25, union 175, IoU 0.14. A 6 by 6 box inside A: "
      + "intersection 36, union 100, IoU 0.36.")
  chart.width = 480
  chart.height = 250
  chart.yDown = true
  chart.xDomain = -2...52
  chart.yDomain = -2...21
  chart.xTickCount = 7
  chart.xLabel = "x (pixels)"
  chart.yLabel = "y"
  let pairs: [(Box, Box, Double)] = [
    (a, Box(x1: 5, y1: 0, x2: 15, y2: 10), 0),
    (a, Box(x1: 5, y1: 5, x2: 15, y2: 15), 20),
    (a, Box(x1: 2, y1: 2, x2: 8, y2: 8), 38),
  ]
  let styleA = FigureStyle(color: .series(0), lineWidth: 2)
  let styleB = FigureStyle(color: .series(3), dash: .dashed, lineWidth: 2)
  let overlap = FigureStyle(color: .series(2), lineWidth: 0, fillOpacity: 0.45)
  for (p, q, dx) in pairs {
    let p = p.translated(dx: dx, dy: 0)
    let q = q.translated(dx: dx, dy: 0)
    if let i = p.intersection(q) {
      chart.add(.rect(x1: i.x1, y1: i.y1, x2: i.x2, y2: i.y2, label: nil, style: overlap))
    }
    chart.add(.rect(x1: p.x1, y1: p.y1, x2: p.x2, y2: p.y2, label: nil, style: styleA))
    chart.add(.rect(x1: q.x1, y1: q.y1, x2: q.x2, y2: q.y2, label: nil, style: styleB))
    let inter = p.intersection(q)?.area ?? 0
    let union = p.area + q.area - inter
    chart.add(
      .note(x: p.x1 + 6, y: 19.5, text: "\(Int(inter))/\(Int(union)) = \(SVGText.fixed(iou(p, q), decimals: 2))",
        anchor: "middle"))
  }
  chart.extraLegend = [
    LegendEntry(label: "box A", style: styleA), LegendEntry(label: "box B", style: styleB),
    LegendEntry(label: "intersection", style: overlap, swatch: true),
  ]
  Figure.save(chart.svg(name: "iou-overlap"), name: "iou-overlap")
}
// snippet.show
