import Foundation
import Testing

@testable import CVKit

@Suite struct NMSTests {
  // Seven boxes (the nms snippet's scene). Scores in descending order: 0, 1, 2, 4, 3, 5, 6.
  // IoUs worked out by hand (box 0 is [10,10,50,90], area 3200):
  //   (0,1): inter 38 x 76 = 2888, union 6400 - 2888 = 3512 -> 0.822
  //   (0,2): inter 28 x 80 = 2240, union 6400 - 2240 = 4160 -> 0.538
  //   (0,3): box 3 is the upper half of box 0: 1600 / 3200     = 0.5 exactly
  //   (0,4): inter 40 x 55 = 2200, union 3200 + 2400 - 2200 = 3400 -> 0.647
  //   (2,4): inter 28 x 55 = 1540, union 3200 + 2400 - 1540 = 4060 -> 0.379
  //   (2,3): inter 28 x 40 = 1120, union 3200 + 1600 - 1120 = 3680 -> 0.304
  //   (4,3): inter 40 x 15 =  600, union 2400 + 1600 -  600 = 3400 -> 0.176
  //   (5,6): inter 28 x 58 = 1624, union 1800 + 1860 - 1624 = 2036 -> 0.798
  //   boxes 5 and 6 do not overlap boxes 0-4.
  static let boxes = [
    Box(x1: 10, y1: 10, x2: 50, y2: 90),
    Box(x1: 12, y1: 14, x2: 52, y2: 94),
    Box(x1: 22, y1: 10, x2: 62, y2: 90),
    Box(x1: 10, y1: 10, x2: 50, y2: 50),
    Box(x1: 10, y1: 35, x2: 50, y2: 95),
    Box(x1: 100, y1: 20, x2: 130, y2: 80),
    Box(x1: 102, y1: 22, x2: 132, y2: 84),
  ]
  static let scores = [0.95, 0.90, 0.85, 0.70, 0.80, 0.60, 0.30]
  static let labels = [0, 0, 0, 0, 1, 0, 0]

  @Test func keepListAtThresholdHalf() {
    // 0 kept; it removes 1 (0.82), 2 (0.54) and 4 (0.65) but not 3 (exactly 0.5, and
    // suppression needs IoU > threshold); 3 kept; 5 kept and removes 6 (0.80).
    #expect(nms(boxes: Self.boxes, scores: Self.scores, iouThreshold: 0.5) == [0, 3, 5])
  }

  @Test func keepListAtThresholdPointSeven() {
    // 0 removes only 1 (0.82 > 0.7); 2, 4, 3 overlap each other below 0.7; 5 removes 6.
    #expect(nms(boxes: Self.boxes, scores: Self.scores, iouThreshold: 0.7) == [0, 2, 4, 3, 5])
  }

  @Test func iouExactlyAtTheThresholdDoesNotSuppress() {
    let big = Box(x1: 0, y1: 0, x2: 4, y2: 4), half = Box(x1: 0, y1: 0, x2: 4, y2: 2)
    #expect(iou(big, half) == 0.5)
    #expect(nms(boxes: [big, half], scores: [0.9, 0.8], iouThreshold: 0.5) == [0, 1])
    #expect(nms(boxes: [big, half], scores: [0.9, 0.8], iouThreshold: 0.4999) == [0])
  }

  @Test func equalScoresAreVisitedInIndexOrder() {
    let box = Box(x1: 0, y1: 0, x2: 10, y2: 10)
    #expect(nms(boxes: [box, box, box], scores: [0.5, 0.5, 0.5], iouThreshold: 0.5) == [0])
    // The higher score wins whatever its index; the equal ones keep index order.
    let far = Box(x1: 50, y1: 50, x2: 60, y2: 60)
    #expect(nms(boxes: [far, box, box], scores: [0.5, 0.5, 0.9], iouThreshold: 0.5) == [2, 0])
  }

  @Test func emptyInputKeepsNothing() {
    #expect(nms(boxes: [], scores: [], iouThreshold: 0.5).isEmpty)
    #expect(batchedNMS(boxes: [], scores: [], labels: [], iouThreshold: 0.5).isEmpty)
  }

  @Test func classAwareNMSKeepsOverlappingBoxesOfOtherClasses() {
    // Bicycle 4 overlaps person 0 with IoU 0.65 but is another class.
    let keep = batchedNMS(boxes: Self.boxes, scores: Self.scores, labels: Self.labels, iouThreshold: 0.5)
    #expect(keep == [0, 4, 3, 5])
  }

  @Test func classAwareNMSEqualsPerClassNMSMergedByScore() {
    var rng = SplitMix64(seed: 11)
    for _ in 0..<200 {
      let (boxes, scores, labels) = randomDetections(&rng)
      let threshold = rng.uniform(0.1, 0.9)
      var merged: [Int] = []
      for label in Set(labels) {
        let ids = labels.indices.filter { labels[$0] == label }
        let keep = nms(boxes: ids.map { boxes[$0] }, scores: ids.map { scores[$0] }, iouThreshold: threshold)
        merged += keep.map { ids[$0] }
      }
      merged.sort { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
      #expect(batchedNMS(boxes: boxes, scores: scores, labels: labels, iouThreshold: threshold) == merged)
    }
  }

  @Test func keptBoxesAreSortedAndNoKeptPairOverlapsTooMuch() {
    var rng = SplitMix64(seed: 2024)
    for _ in 0..<300 {
      let (boxes, scores, labels) = randomDetections(&rng)
      let threshold = [0.3, 0.5, 0.7][rng.int(in: 0..<3)]
      for batched in [false, true] {
        let keep =
          batched
          ? batchedNMS(boxes: boxes, scores: scores, labels: labels, iouThreshold: threshold)
          : nms(boxes: boxes, scores: scores, iouThreshold: threshold)
        #expect(Set(keep).count == keep.count)
        #expect(zip(keep, keep.dropFirst()).allSatisfy { scores[$0] >= scores[$1] })
        for (i, p) in keep.enumerated() {
          for q in keep[(i + 1)...] where !batched || labels[p] == labels[q] {
            #expect(iou(boxes[p], boxes[q]) <= threshold)
          }
        }
        // Every removed box overlaps a kept box of its class with a score at least as high.
        let kept = Set(keep)
        for r in boxes.indices where !kept.contains(r) {
          #expect(
            keep.contains { k in
              (!batched || labels[k] == labels[r]) && scores[k] >= scores[r]
                && iou(boxes[k], boxes[r]) > threshold
            })
        }
      }
    }
  }

  @Test func softNMSLinearDecaysOnlyAboveTheThreshold() {
    // A, then B overlapping A with IoU 1/3, then C identical to A.
    let boxes = [
      Box(x1: 0, y1: 0, x2: 10, y2: 10), Box(x1: 5, y1: 0, x2: 15, y2: 10), Box(x1: 0, y1: 0, x2: 10, y2: 10),
    ]
    let scores = [0.9, 0.8, 0.7]
    // Threshold 0.3: B -> 0.8 * (1 - 1/3) = 0.5333; C -> 0.7 * (1 - 1) = 0, dropped.
    let low = softNMS(boxes: boxes, scores: scores, method: .linear, iouThreshold: 0.3, scoreThreshold: 0.001)
    #expect(low.map(\.index) == [0, 1])
    #expect(low[0].score == 0.9)
    #expect(abs(low[1].score - 0.8 * 2 / 3) < 1e-12)
    // Threshold 0.5: B is below it and keeps 0.8; C is still removed (IoU 1 with A).
    let high = softNMS(boxes: boxes, scores: scores, method: .linear, iouThreshold: 0.5, scoreThreshold: 0.001)
    #expect(high.map(\.index) == [0, 1])
    #expect(high[1].score == 0.8)
  }

  @Test func softNMSGaussianDecaysEveryOverlap() {
    let boxes = [
      Box(x1: 0, y1: 0, x2: 10, y2: 10), Box(x1: 5, y1: 0, x2: 15, y2: 10), Box(x1: 0, y1: 0, x2: 10, y2: 10),
    ]
    let result = softNMS(
      boxes: boxes, scores: [0.9, 0.8, 0.7], method: .gaussian(sigma: 0.5),
      iouThreshold: 0.5, scoreThreshold: 0.001)
    // After A: B = 0.8 exp(-(1/3)^2 / 0.5) = 0.6406, C = 0.7 exp(-1 / 0.5) = 0.0947.
    // After B: C *= exp(-(1/3)^2 / 0.5) (IoU(B, C) = 1/3) -> 0.0759.
    let decay = exp(-(1.0 / 9) / 0.5)
    #expect(result.map(\.index) == [0, 1, 2])
    #expect(abs(result[1].score - 0.8 * decay) < 1e-12)
    #expect(abs(result[2].score - 0.7 * exp(-2) * decay) < 1e-12)
  }

  @Test func softNMSScoresNeverIncreaseAlongTheSelection() {
    var rng = SplitMix64(seed: 5)
    for _ in 0..<200 {
      let (boxes, scores, _) = randomDetections(&rng)
      for method in [SoftNMSMethod.linear, .gaussian(sigma: 0.5)] {
        let result = softNMS(boxes: boxes, scores: scores, method: method, iouThreshold: 0.3, scoreThreshold: 0.01)
        #expect(zip(result, result.dropFirst()).allSatisfy { $0.score >= $1.score })
        #expect(result.allSatisfy { $0.score >= 0.01 && $0.score <= scores[$0.index] })
        #expect(Set(result.map(\.index)).count == result.count)
      }
    }
  }
}

/// Up to 30 random boxes on an integer grid (so exact IoU ties occur), scores rounded to 0.1
/// half of the time (so score ties occur), and 1-3 classes.
func randomDetections(_ rng: inout SplitMix64) -> ([Box], [Double], [Int]) {
  let n = rng.int(in: 0...30)
  let classes = rng.int(in: 1...3)
  let tiedScores = rng.bernoulli(0.5)
  var boxes: [Box] = [], scores: [Double] = [], labels: [Int] = []
  for _ in 0..<n {
    let x = Double(rng.int(in: 0...20)), y = Double(rng.int(in: 0...20))
    boxes.append(Box(xywh: x, y, Double(rng.int(in: 1...12)), Double(rng.int(in: 1...12))))
    let s = rng.uniform(0, 1)
    scores.append(tiedScores ? (s * 10).rounded() / 10 : s)
    labels.append(rng.int(in: 0..<classes))
  }
  return (boxes, scores, labels)
}
