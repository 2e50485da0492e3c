// snippet.title: IoU, GIoU, DIoU and CIoU on box pairs that tell them apart
// snippet.uses: Box.swift IoU.swift

// snippet.hide
import Foundation

func f3(_ v: Double) -> String { String(format: "%6.3f", v) }
func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: n, withPad: " ", startingAt: 0) }
// snippet.show

// Each "IoU-family" score is IoU minus a penalty; the regression loss is 1 - score.
//   GIoU = IoU - |C \ (A u B)| / |C|          C = smallest box enclosing both (Rezatofighi 2019)
//   DIoU = IoU - rho^2 / c^2                  rho = centre distance, c = diagonal of C (Zheng 2020)
//   CIoU = DIoU - alpha * v                   v = 4/pi^2 (atan(wg/hg) - atan(w/h))^2,
//                                             alpha = v / ((1 - IoU) + v)       (Zheng 2020)
// snippet.core
struct IoUFamily { var iou, giou, diou, ciou: Double }

func iouFamily(_ pred: Box, _ target: Box) -> IoUFamily {
  let inter = intersectionArea(pred, target)
  let union = pred.area + target.area - inter
  let iouValue = union > 0 ? inter / union : 0
  let hull = Box(
    x1: min(pred.x1, target.x1), y1: min(pred.y1, target.y1),
    x2: max(pred.x2, target.x2), y2: max(pred.y2, target.y2))
  let giou = iouValue - (hull.area - union) / hull.area
  let (pc, tc) = (pred.center, target.center)
  let rho2 = (pc.x - tc.x) * (pc.x - tc.x) + (pc.y - tc.y) * (pc.y - tc.y)
  let c2 = hull.width * hull.width + hull.height * hull.height
  let diou = iouValue - rho2 / c2
  let dAngle = atan(target.width / target.height) - atan(pred.width / pred.height)
  let v = 4 / (Double.pi * Double.pi) * dAngle * dAngle
  let alpha = v == 0 ? 0 : v / ((1 - iouValue) + v)
  return IoUFamily(iou: iouValue, giou: giou, diou: diou, ciou: diou - alpha * v)
}
// snippet.end

// 1. Pairs chosen so that each penalty has something to say. Target: a 40 x 40 box at (0, 0).
let target = Box(xywh: 0, 0, 40, 40)
let cases: [(String, Box)] = [
  ("identical", target),
  ("shifted 10 px right", Box(xywh: 10, 0, 40, 40)),
  ("disjoint, 10 px gap", Box(xywh: 50, 0, 40, 40)),
  ("disjoint, 100 px gap", Box(xywh: 140, 0, 40, 40)),
  ("20x20 inside, centred", Box(xywh: 10, 10, 20, 20)),
  ("20x20 inside, in a corner", Box(xywh: 0, 0, 20, 20)),
  ("same centre, 80x20", Box(xywh: -20, 10, 80, 20)),
  ("same centre, 20x80", Box(xywh: 10, -20, 20, 80)),
  ("same centre, 56.6x28.3", Box(cxcywh: 20, 20, 56.57, 28.28)),
]
print("Target [0, 0, 40, 40]. Scores (loss = 1 - score):")
print("  " + pad("prediction", 27) + "   IoU    GIoU    DIoU    CIoU")
for (name, box) in cases {
  let s = iouFamily(box, target)
  print("  " + pad(name, 27) + [s.iou, s.giou, s.diou, s.ciou].map { f3($0) }.joined(separator: "  "))
}

// 2. Why IoU alone cannot train a box that does not overlap yet: slide a 40 x 40 prediction
//    away from the target. The IoU loss is flat at 1 (zero gradient); the others keep rising.
// snippet.slide
print("\nLoss (1 - score) as the prediction slides right by dx:")
print("     dx  1-IoU  1-GIoU  1-DIoU")
for dx in [0.0, 20, 40, 60, 100, 200] {
  let s = iouFamily(Box(xywh: dx, 0, 40, 40), target)
  print(String(format: "  %5.0f  %5.3f  %6.3f  %6.3f", dx, 1 - s.iou, 1 - s.giou, 1 - s.diou))
}
// snippet.end
print("(GIoU and DIoU loss range over [0, 2); IoU loss saturates at 1 once the boxes separate.)")
