// snippet.title: Pixel accuracy, mIoU and panoptic quality on two small label maps

// snippet.hide
import Foundation

func pct(_ v: Double) -> String { String(format: "%5.1f%%", 100 * v) }
func f3(_ v: Double) -> String { String(format: "%.3f", v) }
func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: n, withPad: " ", startingAt: 0) }
// snippet.show

// A 16 x 10 street scene. Each character is one pixel: '.' sky and '-' road are "stuff"
// (amorphous regions, one segment per class); letters are "things" with an identity:
// a, b, c are car instances, p, q, r person instances.
let truthArt = [
  "................",
  "................",
  ".............pp.",
  ".............pp.",
  "-------------pp-",
  "-aaaaa--bbbb-pp-",
  "-aaaaa--bbbb-pp-",
  "-aaaaa--bbbb-pp-",
  "--------bbbb---q",
  "---------------q",
]
// The prediction: car b is split into two instances (b, c), person p is a little thin,
// person q is missed, and a one-pixel person r appears on the road.
let predictionArt = [
  "................",
  "................",
  "..............p.",
  ".............pp.",
  "-------------pp-",
  "-aaaaa--bbcc-pp-",
  "-aaaaa--bbcc-pp-",
  "-aaaa---bbcc--p-",
  "--------bbcc----",
  "-------r--------",
]

let classNames = ["sky", "road", "car", "person"]
let isThing = [false, false, true, true]
func semanticClass(_ ch: Character) -> Int {
  switch ch {
  case ".": return 0
  case "-": return 1
  case "a", "b", "c": return 2
  default: return 3
  }
}
let truthPixels = truthArt.flatMap { Array($0) }
let predictionPixels = predictionArt.flatMap { Array($0) }
let numClasses = classNames.count

// 1. Semantic metrics from the confusion matrix: confusion[true][predicted] pixel counts.
// snippet.miou
var confusion = [[Int]](repeating: [Int](repeating: 0, count: numClasses), count: numClasses)
for (t, p) in zip(truthPixels, predictionPixels) {
  confusion[semanticClass(t)][semanticClass(p)] += 1
}
let total = truthPixels.count
let correct = (0..<numClasses).reduce(0) { $0 + confusion[$1][$1] }
print("pixel accuracy: \(pct(Double(correct) / Double(total)))  (\(correct) of \(total) pixels)")
var ious: [Double] = []
for c in 0..<numClasses {
  let tp = confusion[c][c]
  let fn = confusion[c].reduce(0, +) - tp
  let fp = (0..<numClasses).reduce(0) { $0 + confusion[$1][c] } - tp
  let iou = Double(tp) / Double(tp + fp + fn)  // IoU_c = TP / (TP + FP + FN)
  ious.append(iou)
  print("  IoU \(pad(classNames[c], 7)) = \(f3(iou))   (TP \(tp), FP \(fp), FN \(fn))")
}
print("mIoU (mean over classes): \(f3(ious.reduce(0, +) / Double(numClasses)))")
// snippet.end

// 2. Panoptic quality. Segments are (class, instance) pairs; a predicted and a true segment of
//    the same class match when their IoU > 0.5, which makes every match unique (Kirillov 2019).
//    Per class: PQ = sum of matched IoUs / (TP + FP/2 + FN/2) = SQ x RQ.
// snippet.pq
struct Segment: Hashable { var cls: Int; var id: Character }
func segments(_ pixels: [Character]) -> [Segment: Set<Int>] {
  var result: [Segment: Set<Int>] = [:]
  for (i, ch) in pixels.enumerated() {
    let c = semanticClass(ch)
    result[Segment(cls: c, id: isThing[c] ? ch : "*"), default: []].insert(i)
  }
  return result
}
let trueSegments = segments(truthPixels)
let predictedSegments = segments(predictionPixels)
var pqs: [Double] = []
print("\npanoptic quality per class:")
for c in 0..<numClasses {
  let gts = trueSegments.filter { $0.key.cls == c }.sorted { $0.key.id < $1.key.id }
  let preds = predictedSegments.filter { $0.key.cls == c }.sorted { $0.key.id < $1.key.id }
  var matchedIoU: [Double] = []
  var matchedPreds = Set<Segment>()
  for (g, gPixels) in gts {
    for (p, pPixels) in preds {
      let inter = gPixels.intersection(pPixels).count
      let iou = Double(inter) / Double(gPixels.count + pPixels.count - inter)
      if iou > 0.5 {
        matchedIoU.append(iou)
        matchedPreds.insert(p)
        print("    \(classNames[c]) \(g.id) ~ \(p.id): IoU \(f3(iou))  TP")
      } else if inter > 0 {
        print("    \(classNames[c]) \(g.id) ~ \(p.id): IoU \(f3(iou))  not a match (needs > 0.5)")
      }
    }
  }
  let tp = matchedIoU.count
  let fn = gts.count - tp
  let fp = preds.count - matchedPreds.count
  let sq = tp > 0 ? matchedIoU.reduce(0, +) / Double(tp) : 0
  let rq = Double(tp) / (Double(tp) + 0.5 * Double(fp) + 0.5 * Double(fn))
  pqs.append(sq * rq)
  print(
    "  \(pad(classNames[c], 7)) TP \(tp) FP \(fp) FN \(fn)   SQ \(f3(sq))  RQ \(f3(rq))"
      + "  PQ \(f3(sq * rq))")
}
let things = (0..<numClasses).filter { isThing[$0] }.map { pqs[$0] }
let stuff = (0..<numClasses).filter { !isThing[$0] }.map { pqs[$0] }
print(
  "PQ = \(f3(pqs.reduce(0, +) / Double(numClasses)))"
    + "  (things \(f3(things.reduce(0, +) / Double(things.count)))"
    + ", stuff \(f3(stuff.reduce(0, +) / Double(stuff.count))))")
// snippet.end
print(
  "The car class keeps a high IoU in mIoU, but the split car costs it in PQ: the semantic"
    + " metric cannot see instances.")
