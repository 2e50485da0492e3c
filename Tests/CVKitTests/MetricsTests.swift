import Testing

@testable import CVKit

@Suite struct MetricsTests {
  @Test func precisionRecallAndF1FromCounts() {
    #expect(precision(truePositives: 3, falsePositives: 1) == 0.75)
    #expect(recall(truePositives: 3, falseNegatives: 9) == 0.25)
    // 2 * 0.75 * 0.25 / (0.75 + 0.25) = 0.375
    #expect(f1Score(precision: 0.75, recall: 0.25) == 0.375)
    #expect(abs(f1Score(precision: 1, recall: 0.5) - 2.0 / 3) < 1e-15)
  }

  @Test func emptyCasesFollowTheDocumentedConventions() {
    #expect(precision(truePositives: 0, falsePositives: 0) == 1)  // nothing predicted
    #expect(recall(truePositives: 0, falseNegatives: 0) == 1)  // nothing to find
    #expect(f1Score(precision: 0, recall: 0) == 0)
  }

  // Image 1 has objects g0 = [0,0,10,10] and g1 = [20,0,30,10] of class 0; image 3 has a crowd
  // region. Detections, by descending score:
  //   d0 0.9 [0,0,10,10]   -> g0 (IoU 1): TP
  //   d1 0.8 [1,0,11,10]   -> g0 is taken, g1 IoU 0: FP (a duplicate)
  //   d2 0.7 [20,0,30,10]  class 1: no object of that class: FP
  //   d3 0.6 [0,0,10,10]   image 2: no objects there: FP
  //   d4 0.5 [20,0,29,10]  -> g1 (IoU 90/100 = 0.9): TP
  //   d5 0.4 [10,10,20,20] image 3, inside the crowd region: ignored
  static let truth = [
    GroundTruth(imageID: 1, label: 0, box: Box(x1: 0, y1: 0, x2: 10, y2: 10)),
    GroundTruth(imageID: 1, label: 0, box: Box(x1: 20, y1: 0, x2: 30, y2: 10)),
    GroundTruth(imageID: 3, label: 0, box: Box(x1: 0, y1: 0, x2: 100, y2: 100), isCrowd: true),
  ]
  static let detections = [
    Detection(imageID: 1, label: 0, box: Box(x1: 1, y1: 0, x2: 11, y2: 10), score: 0.8),
    Detection(imageID: 1, label: 0, box: Box(x1: 0, y1: 0, x2: 10, y2: 10), score: 0.9),
    Detection(imageID: 1, label: 1, box: Box(x1: 20, y1: 0, x2: 30, y2: 10), score: 0.7),
    Detection(imageID: 2, label: 0, box: Box(x1: 0, y1: 0, x2: 10, y2: 10), score: 0.6),
    Detection(imageID: 1, label: 0, box: Box(x1: 20, y1: 0, x2: 29, y2: 10), score: 0.5),
    Detection(imageID: 3, label: 0, box: Box(x1: 10, y1: 10, x2: 20, y2: 20), score: 0.4),
  ]

  @Test func greedyMatchingByScore() {
    let r = matchDetections(Self.detections, to: Self.truth, iouThreshold: 0.5)
    #expect(r.ranked.map(\.score) == [0.9, 0.8, 0.7, 0.6, 0.5])
    #expect(r.ranked.map(\.isTruePositive) == [true, false, false, false, true])
    #expect(r.matchedGroundTruth == [nil, 0, nil, nil, 1, nil])
    #expect(r.isIgnored == [false, false, false, false, false, true])
    #expect(r.numPositives == 2)  // the crowd region is not an object to find
    #expect((r.truePositives, r.falsePositives, r.falseNegatives) == (2, 3, 0))
  }

  @Test func aDetectionTakesTheBestUnmatchedObject() {
    // d0 overlaps both objects and takes the better one, g1 (IoU 95/105 = 0.905 vs 75/125 = 0.6).
    // d1 is exactly g1, which is taken, so it takes g0 (IoU 80/120 = 0.667) rather than being a
    // duplicate: COCO's rule. (The VOC devkit only tries the best-overlapping object, g1, and
    // would count d1 as a false positive.)
    let truth = [
      GroundTruth(imageID: 0, label: 0, box: Box(x1: 0, y1: 0, x2: 10, y2: 10)),
      GroundTruth(imageID: 0, label: 0, box: Box(x1: 2, y1: 0, x2: 12, y2: 10)),
    ]
    let dets = [
      Detection(imageID: 0, label: 0, box: Box(x1: 2.5, y1: 0, x2: 12.5, y2: 10), score: 0.9),
      Detection(imageID: 0, label: 0, box: Box(x1: 2, y1: 0, x2: 12, y2: 10), score: 0.8),
    ]
    let r = matchDetections(dets, to: truth, iouThreshold: 0.5)
    #expect(r.matchedGroundTruth == [1, 0])
  }

  @Test func iouBelowTheThresholdIsAFalsePositive() {
    let truth = [GroundTruth(imageID: 0, label: 0, box: Box(x1: 0, y1: 0, x2: 10, y2: 10))]
    // IoU 50 / 150 = 1/3
    let dets = [Detection(imageID: 0, label: 0, box: Box(x1: 5, y1: 0, x2: 15, y2: 10), score: 1)]
    #expect(matchDetections(dets, to: truth, iouThreshold: 0.5).truePositives == 0)
    #expect(matchDetections(dets, to: truth, iouThreshold: 1.0 / 3).truePositives == 1)
  }

  @Test func operatingPointKeepsScoresAtOrAboveTheThreshold() {
    let r = matchDetections(Self.detections, to: Self.truth, iouThreshold: 0.5)
    // Kept: 0.9 TP, 0.8 FP, 0.7 FP -> P = 1/3, R = 1/2, F1 = 2 (1/6) / (5/6) = 0.4
    let p = operatingPoint(r.ranked, numPositives: r.numPositives, threshold: 0.7)
    #expect((p.truePositives, p.falsePositives, p.falseNegatives) == (1, 2, 1))
    #expect(abs(p.precision - 1.0 / 3) < 1e-15)
    #expect(p.recall == 0.5)
    #expect(abs(p.f1 - 0.4) < 1e-15)
  }

  @Test func curveHasOnePointPerDistinctScore() {
    let ranked = [
      RankedDetection(score: 0.9, isTruePositive: true),
      RankedDetection(score: 0.5, isTruePositive: false),
      RankedDetection(score: 0.8, isTruePositive: false),
      RankedDetection(score: 0.8, isTruePositive: true),
    ]
    let curve = precisionRecallCurve(ranked, numPositives: 4)
    #expect(curve.map(\.threshold) == [0.9, 0.8, 0.5])
    #expect(curve.map(\.truePositives) == [1, 2, 2])
    #expect(curve.map(\.falsePositives) == [0, 1, 2])
    #expect(curve.map(\.recall) == [0.25, 0.5, 0.5])
  }

  @Test func bestF1PicksTheBestThreshold() {
    // F1 along the list: 0.9 -> P 1, R 1/3: 0.5;  0.8 -> P 1/2, R 1/3: 0.4;
    //                    0.7 -> P 2/3, R 2/3: 0.667;  0.6 -> P 1/2, R 2/3: 0.571
    let ranked = [true, false, true, false].enumerated().map {
      RankedDetection(score: 0.9 - 0.1 * Double($0.offset), isTruePositive: $0.element)
    }
    let best = bestF1(ranked, numPositives: 3)
    #expect(best?.truePositives == 2)
    #expect(best?.falsePositives == 1)
    #expect(abs((best?.f1 ?? 0) - 2.0 / 3) < 1e-15)
    #expect(bestF1([], numPositives: 3) == nil)
  }
}
