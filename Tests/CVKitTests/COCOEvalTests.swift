import Testing

@testable import CVKit

@Suite struct COCOEvalTests {
  static func gt(_ image: Int, _ box: Box, label: Int = 1, crowd: Bool = false, area: Double? = nil) -> GroundTruth {
    GroundTruth(imageID: image, label: label, box: box, isCrowd: crowd, area: area)
  }
  static func dt(_ image: Int, _ box: Box, _ score: Double, label: Int = 1) -> Detection {
    Detection(imageID: image, label: label, box: box, score: score)
  }
  static func square(_ x: Double, _ y: Double, _ side: Double) -> Box { Box(xywh: x, y, side, side) }

  /// Compares with the stats pycocotools printed for the same input (see tools/verify_coco.py).
  static func expectStats(_ stats: COCOStats, _ expected: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
    for (i, (got, want)) in zip(stats.values, expected).enumerated() {
      #expect(abs(got - want) < 1e-12, "stat \(i): \(got) vs \(want)", sourceLocation: sourceLocation)
    }
  }

  @Test func aPerfectDetectionOfALargeObject() {
    // AP 1 at every IoU threshold, except that pycocotools' precision tp / (tp + fp + 2.2e-16)
    // for a single detection is 0.9999999999999998. No small or medium objects: -1.
    let e = cocoEvaluate(
      groundTruths: [Self.gt(1, Self.square(0, 0, 100))],
      detections: [Self.dt(1, Self.square(0, 0, 100), 0.9)])
    Self.expectStats(e.stats, [1, 1, 1, -1, -1, 1, 1, 1, 1, -1, -1, 1])
  }

  @Test func aLooseBoxCountsOnlyAtLowIoUThresholds() {
    // IoU = 6250 / 10000 = 0.625 >= 0.50, 0.55, 0.60 only: AP = AR = 3/10; AP50 = 1, AP75 = 0.
    // At the other thresholds the detection (area 6250, medium) is unmatched and outside the
    // "large" range, so it is ignored there rather than counted as a false positive.
    let e = cocoEvaluate(
      groundTruths: [Self.gt(1, Self.square(0, 0, 100))],
      detections: [Self.dt(1, Box(x1: 0, y1: 0, x2: 100, y2: 62.5), 0.9)])
    Self.expectStats(e.stats, [0.3, 1, 0, -1, -1, 0.3, 0.3, 0.3, 0.3, -1, -1, 0.3])
    #expect(abs(e.ap(label: 1) - 0.3) < 1e-12)
    #expect(abs(e.ap(label: 1, iouThreshold: 0.6) - 1) < 1e-12)
    #expect(e.ap(label: 1, iouThreshold: 0.65) == 0)
    #expect(e.ap(label: 1, iouThreshold: 0.42) == -1)  // not one of the thresholds
    #expect(e.ap(label: 7) == -1)  // unknown class
  }

  @Test func detectionsInsideACrowdRegionAreIgnored() {
    // Three higher-scoring detections fall inside a crowd region (overlap = intersection over
    // the detection's own area = 1) and are ignored, so the one real object is found at rank 1.
    let truth = [
      Self.gt(1, Self.square(0, 0, 10)),
      Self.gt(1, Box(x1: 100, y1: 100, x2: 300, y2: 300), crowd: true),
    ]
    let dets = [
      Self.dt(1, Self.square(0, 0, 10), 0.5),
      Self.dt(1, Box(x1: 110, y1: 110, x2: 120, y2: 120), 0.9),
      Self.dt(1, Box(x1: 150, y1: 150, x2: 200, y2: 200), 0.8),
      Self.dt(1, Box(x1: 200, y1: 200, x2: 290, y2: 290), 0.7),
    ]
    let e = cocoEvaluate(groundTruths: truth, detections: dets)
    // AR@1: the top detection per image is the ignored 0.9 one: recall 0.
    Self.expectStats(e.stats, [1, 1, 1, 1, -1, -1, 0, 1, 1, 1, -1, -1])

    // Without the crowd region they are false positives ahead of the hit: precision 1/4.
    // For "small" only the 0.9 box (area 100) counts against it; the medium ones are ignored.
    let plain = cocoEvaluate(groundTruths: [truth[0]], detections: dets)
    Self.expectStats(plain.stats, [0.25, 0.25, 0.25, 0.5, -1, -1, 0, 1, 1, 1, -1, -1])
  }

  @Test func areaRangesIncludeBothEnds() {
    // 32 x 32 = 1024 is both "small" (0...1024) and "medium" (1024...9216).
    let e = cocoEvaluate(
      groundTruths: [Self.gt(1, Self.square(0, 0, 32))],
      detections: [Self.dt(1, Self.square(0, 0, 32), 0.9)])
    Self.expectStats(e.stats, [1, 1, 1, 1, 1, -1, 1, 1, 1, 1, 1, -1])
  }

  @Test func anExplicitAreaDecidesTheSizeRange() {
    // A 40 x 40 box (1600, medium) whose segmentation area is 900 counts as small.
    let e = cocoEvaluate(
      groundTruths: [Self.gt(1, Self.square(0, 0, 40), area: 900)],
      detections: [Self.dt(1, Self.square(0, 0, 40), 0.9)])
    Self.expectStats(e.stats, [1, 1, 1, 1, -1, -1, 1, 1, 1, 1, -1, -1])
  }

  @Test func maxDetsKeepsOnlyTheTopDetectionsPerImage() {
    // Ranked FP, TP, TP over 2 objects: precision 0, 1/2, 2/3 -> envelope 2/3 everywhere up to
    // recall 1: AP = 2/3. AR@1 sees only the false positive: 0.
    let e = cocoEvaluate(
      groundTruths: [Self.gt(1, Self.square(0, 0, 10)), Self.gt(1, Self.square(50, 50, 10))],
      detections: [
        Self.dt(1, Self.square(200, 200, 10), 0.9), Self.dt(1, Self.square(0, 0, 10), 0.8),
        Self.dt(1, Self.square(50, 50, 10), 0.7),
      ])
    Self.expectStats(e.stats, [2.0 / 3, 2.0 / 3, 2.0 / 3, 2.0 / 3, -1, -1, 0, 1, 1, 1, -1, -1])
  }

  @Test func equalScoresAreRankedByImageIDThenInputOrder() {
    // Two images with one object each; both detections score 0.5, one misses. The detections of
    // the lower image ID come first (pycocotools concatenates images in ID order and sorts
    // stably), so a miss in image 1 is ranked before the hit in image 2:
    //   miss first: precision 0, 1/2 -> envelope 1/2 up to recall 1/2: 51 thresholds x 0.5 / 101
    //   hit first:  precision 1, 1/2 -> 51 thresholds x 1 / 101
    let truth = [Self.gt(1, Self.square(0, 0, 10)), Self.gt(2, Self.square(0, 0, 10))]
    let missFirst = cocoEvaluate(
      groundTruths: truth,
      detections: [
        Self.dt(2, Self.square(0, 0, 10), 0.5), Self.dt(1, Self.square(50, 50, 10), 0.5),
      ])
    #expect(abs(missFirst.stats.ap - 25.5 / 101) < 1e-12)
    let hitFirst = cocoEvaluate(
      groundTruths: truth,
      detections: [
        Self.dt(2, Self.square(50, 50, 10), 0.5), Self.dt(1, Self.square(0, 0, 10), 0.5),
      ])
    #expect(abs(hitFirst.stats.ap - 51.0 / 101) < 1e-12)
  }

  @Test func noDetectionsGiveZeroAndNoObjectsGiveMinusOne() {
    let nothingFound = cocoEvaluate(groundTruths: [Self.gt(1, Self.square(0, 0, 10))], detections: [])
    Self.expectStats(nothingFound.stats, [0, 0, 0, 0, -1, -1, 0, 0, 0, 0, -1, -1])
    let nothingToFind = cocoEvaluate(groundTruths: [], detections: [Self.dt(1, Self.square(0, 0, 10), 0.9)])
    #expect(nothingToFind.stats.values.allSatisfy { $0 == -1 })
  }

  @Test func snippetSceneMatchesPycocotools() {
    // The coco-eval snippet's scene; the expected values are pycocotools 2.0.11's `stats`
    // for the same boxes, printed with repr().
    let car = 1, person = 2
    let truth = [
      Self.gt(1, Box(x1: 50, y1: 200, x2: 250, y2: 330), label: car),
      Self.gt(1, Box(x1: 300, y1: 220, x2: 360, y2: 260), label: car),
      Self.gt(1, Box(x1: 400, y1: 230, x2: 424, y2: 246), label: car),
      Self.gt(1, Box(x1: 270, y1: 180, x2: 300, y2: 260), label: person),
      Self.gt(2, Box(x1: 100, y1: 100, x2: 400, y2: 250), label: person, crowd: true),
      Self.gt(2, Box(x1: 420, y1: 120, x2: 460, y2: 230), label: person),
      Self.gt(2, Box(x1: 30, y1: 150, x2: 42, y2: 180), label: person),
      Self.gt(3, Box(x1: 100, y1: 150, x2: 420, y2: 380), label: car),
      Self.gt(3, Box(x1: 500, y1: 200, x2: 580, y2: 250), label: car),
      Self.gt(3, Box(x1: 600, y1: 220, x2: 620, y2: 232), label: car),
    ]
    let dets = [
      Self.dt(1, Box(x1: 54, y1: 204, x2: 250, y2: 334), 0.97, label: car),
      Self.dt(1, Box(x1: 302, y1: 222, x2: 364, y2: 262), 0.88, label: car),
      Self.dt(1, Box(x1: 397, y1: 228, x2: 421, y2: 247), 0.40, label: car),
      Self.dt(1, Box(x1: 100, y1: 350, x2: 160, y2: 380), 0.55, label: car),
      Self.dt(1, Box(x1: 272, y1: 182, x2: 300, y2: 258), 0.91, label: person),
      Self.dt(2, Box(x1: 421, y1: 118, x2: 462, y2: 232), 0.93, label: person),
      Self.dt(2, Box(x1: 120, y1: 110, x2: 150, y2: 190), 0.80, label: person),
      Self.dt(2, Box(x1: 200, y1: 120, x2: 228, y2: 200), 0.70, label: person),
      Self.dt(2, Box(x1: 300, y1: 130, x2: 330, y2: 210), 0.35, label: person),
      Self.dt(3, Box(x1: 120, y1: 160, x2: 420, y2: 380), 0.95, label: car),
      Self.dt(3, Box(x1: 510, y1: 205, x2: 600, y2: 255), 0.60, label: car),
      Self.dt(3, Box(x1: 110, y1: 150, x2: 400, y2: 370), 0.50, label: car),
      Self.dt(3, Box(x1: 601, y1: 221, x2: 621, y2: 233), 0.30, label: car),
    ]
    let e = cocoEvaluate(groundTruths: truth, detections: dets)
    Self.expectStats(
      e.stats,
      [
        0.5367574257425742, 0.7896039603960396, 0.6237623762376238, 0.22524752475247525,
        0.6262376237623762, 0.8504950495049505, 0.4083333333333333, 0.5666666666666667,
        0.5666666666666667, 0.25, 0.625, 0.85,
      ])
    // Per-class AP as pycocotools' precision[:, :, k, 0, -1] averages.
    #expect(abs(e.ap(label: car) - 0.5428217821782179) < 1e-12)
    #expect(abs(e.ap(label: person, iouThreshold: 0.5) - 0.6633663366336634) < 1e-12)
    #expect(
      e.summaryLines()[0]
        == " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.537")
    #expect(
      e.summaryLines()[7]
        == " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ] = 0.567")
  }

  @Test func perfectDetectionsScoreOneEverywhereThereAreObjects() {
    var rng = SplitMix64(seed: 3)
    for _ in 0..<30 {
      var truth: [GroundTruth] = []
      for image in 0..<rng.int(in: 1...4) {
        for _ in 0..<rng.int(in: 0...6) {
          let side = rng.logUniform(4, 300)
          truth.append(
            Self.gt(
              image, Box(xywh: rng.uniform(0, 500), rng.uniform(0, 500), side, side * rng.uniform(0.5, 2)),
              label: rng.int(in: 0...2)))
        }
      }
      let dets = truth.enumerated().map { Self.dt($1.imageID, $1.box, 1 - Double($0) / 1000, label: $1.label) }
      let stats = cocoEvaluate(groundTruths: truth, detections: dets).stats
      for (i, v) in stats.values.enumerated() where v != -1 && !(6...7).contains(i) {
        #expect(abs(v - 1) < 1e-12, "stat \(i)")  // AR@1 and AR@10 may be below 1
      }
    }
  }

  @Test func statsAreMinusOneOrWithinZeroAndOne() {
    var rng = SplitMix64(seed: 17)
    for _ in 0..<50 {
      var truth: [GroundTruth] = [], dets: [Detection] = []
      for image in 0..<rng.int(in: 1...3) {
        for _ in 0..<rng.int(in: 0...8) {
          let box = Box(xywh: rng.uniform(0, 300), rng.uniform(0, 300), rng.logUniform(3, 200), rng.logUniform(3, 200))
          let label = rng.int(in: 0...1)
          truth.append(Self.gt(image, box, label: label, crowd: rng.bernoulli(0.1)))
          if rng.bernoulli(0.7) {
            dets.append(
              Self.dt(
                image, box.translated(dx: rng.uniform(-5, 5), dy: rng.uniform(-5, 5)),
                rng.uniform(0, 1), label: label))
          }
        }
        for _ in 0..<rng.int(in: 0...4) {
          dets.append(
            Self.dt(
              image, Box(xywh: rng.uniform(0, 300), rng.uniform(0, 300), 20, 20),
              rng.uniform(0, 1), label: rng.int(in: 0...1)))
        }
      }
      let e = cocoEvaluate(groundTruths: truth, detections: dets)
      #expect(e.stats.values.allSatisfy { $0 == -1 || ($0 >= 0 && $0 <= 1) })
      #expect(e.stats.ar1 <= e.stats.ar10 + 1e-12 || e.stats.ar1 == -1)
      #expect(e.stats.ar10 <= e.stats.ar100 + 1e-12 || e.stats.ar10 == -1)
    }
  }
}
