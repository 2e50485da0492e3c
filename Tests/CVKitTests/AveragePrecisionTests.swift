import Testing

@testable import CVKit

@Suite struct AveragePrecisionTests {
  // Ten ranked detections, 5 objects (one never found):
  //   rank       1    2    3    4    5    6    7    8    9    10
  //   hit        T    F    T    T    F    F    T    F    F    F
  //   precision  1   1/2  2/3  3/4  3/5  1/2  4/7  1/2  4/9  2/5
  //   recall    .2   .2   .4   .6   .6   .6   .8   .8   .8   .8
  //   envelope   1   3/4  3/4  3/4  3/5  4/7  4/7  1/2  4/9  2/5   (max precision to the right)
  // The best precision at recall >= r is 1 for r <= .2, 3/4 for r <= .6, 4/7 for r <= .8, else 0.
  static let ranked = [true, false, true, true, false, false, true, false, false, false]

  @Test func voc11PointByHand() {
    // r = 0, .1, .2 -> 1;  r = .3 ... .6 -> 3/4;  r = .7, .8 -> 4/7;  r = .9, 1 -> 0
    // (3 + 4 * 3/4 + 2 * 4/7) / 11 = (6 + 8/7) / 11 = 50/77
    let ap = averagePrecision(isTruePositive: Self.ranked, numPositives: 5, interpolation: .voc11Point)
    #expect(abs(ap - 50.0 / 77) < 1e-12)
  }

  @Test func vocAllPointByHand() {
    // Area under the envelope where recall changes: .2 * 1 + .2 * 3/4 + .2 * 3/4 + .2 * 4/7
    // = 0.2 + 0.3 + 0.8/7 = 43/70
    let ap = averagePrecision(isTruePositive: Self.ranked, numPositives: 5, interpolation: .vocAllPoint)
    #expect(abs(ap - 43.0 / 70) < 1e-12)
  }

  @Test func coco101PointByHand() {
    // Thresholds 0, .01, ..., 1: 21 of them (0 ... .20) read 1, 40 (.21 ... .60) read 3/4,
    // 20 (.61 ... .80) read 4/7, 20 (.81 ... 1) read 0.
    // (21 + 30 + 80/7) / 101 = 437/707
    let ap = averagePrecision(isTruePositive: Self.ranked, numPositives: 5, interpolation: .coco101Point)
    #expect(abs(ap - 437.0 / 707) < 1e-12)
  }

  @Test func theThreeInterpolationsDisagreeOnAShortList() {
    let aps = APInterpolation.allCases.map {
      averagePrecision(isTruePositive: Self.ranked, numPositives: 5, interpolation: $0)
    }
    #expect(Set(aps).count == 3)
  }

  @Test(arguments: APInterpolation.allCases)
  func perfectDetectionsScoreOne(method: APInterpolation) {
    let ap = averagePrecision(isTruePositive: [true, true, true, true], numPositives: 4, interpolation: method)
    if method == .coco101Point {
      // pycocotools divides by tp + fp + 2.2e-16, so its "1.000" is 1 - 2e-16 or so.
      #expect(abs(ap - 1) < 1e-15)
    } else {
      #expect(ap == 1)
    }
  }

  @Test(arguments: APInterpolation.allCases)
  func noHitsScoreZeroAndNoObjectsIsUndefined(method: APInterpolation) {
    #expect(averagePrecision(isTruePositive: [false, false], numPositives: 3, interpolation: method) == 0)
    #expect(averagePrecision(isTruePositive: [], numPositives: 3, interpolation: method) == 0)
    #expect(averagePrecision(isTruePositive: [true], numPositives: 0, interpolation: method) == -1)
  }

  @Test func unsortedDetectionsAreRankedByScoreFirst() {
    let detections = [
      RankedDetection(score: 0.2, isTruePositive: false),
      RankedDetection(score: 0.9, isTruePositive: true),
      RankedDetection(score: 0.5, isTruePositive: true),
    ]
    // Ranked: T T F with 2 objects: perfect.
    #expect(averagePrecision(detections, numPositives: 2, interpolation: .vocAllPoint) == 1)
  }

  @Test func thresholdsMatchNumpyLinspaceBitForBit() {
    // np.linspace(0, 1, 101) and np.linspace(.5, .95, 10) as numpy prints them: most values are
    // the nearest double to k/100, these ten are one ulp above it, and 0.9 is one ulp below.
    let offByOne: [Int: Double] = [
      35: 0.35000000000000003, 41: 0.41000000000000003, 47: 0.47000000000000003,
      57: 0.5700000000000001, 69: 0.6900000000000001, 70: 0.7000000000000001,
      82: 0.8200000000000001, 83: 0.8300000000000001, 94: 0.9400000000000001,
      95: 0.9500000000000001,
    ]
    #expect(cocoRecallThresholds.count == 101)
    for k in 0...100 {
      #expect(cocoRecallThresholds[k] == (offByOne[k] ?? Double(k) / 100), "threshold \(k)")
    }
    #expect(
      COCOEvalParams().iouThresholds
        == [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95])
  }

  @Test func cocoReadsTheFirstPointAtOrPastEachRecallThreshold() {
    // 10 objects, 7 found by the first 7 detections: recall 0.7 (as 7/10) is just below the
    // threshold 0.7000000000000001, so pycocotools reads 0 there: 70 thresholds of 1 -> 70/101.
    let ap = averagePrecision(
      isTruePositive: Array(repeating: true, count: 7), numPositives: 10,
      interpolation: .coco101Point)
    #expect(abs(ap - 70.0 / 101) < 1e-12)
  }

  @Test func apStaysWithinZeroAndOne() {
    var rng = SplitMix64(seed: 99)
    for _ in 0..<500 {
      let n = rng.int(in: 0...40)
      let hits = (0..<n).map { _ in rng.bernoulli(0.4) }
      let positives = hits.count { $0 } + rng.int(in: 0...5)
      guard positives > 0 else { continue }
      for method in APInterpolation.allCases {
        let ap = averagePrecision(isTruePositive: hits, numPositives: positives, interpolation: method)
        #expect(ap >= 0 && ap <= 1)
      }
      // Moving every hit to the front can only help.
      let sorted = hits.sorted { $0 && !$1 }
      let best = averagePrecision(isTruePositive: sorted, numPositives: positives, interpolation: .vocAllPoint)
      #expect(best >= averagePrecision(isTruePositive: hits, numPositives: positives, interpolation: .vocAllPoint) - 1e-12)
    }
  }
}
