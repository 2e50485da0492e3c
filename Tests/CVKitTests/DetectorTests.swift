import Testing

@testable import CVKit

@Suite struct DetectorTests {
  /// A smaller training run than the benchmark's, so the suite stays quick in debug builds.
  static let config: DetectorConfig = {
    var c = DetectorConfig()
    c.trainingFrames = 40
    c.epochs = 150
    return c
  }()
  static let detector = TinyDetector.train(config: config)
  /// Test frames from a seed the detector never trained on.
  static let scenes = SceneGenerator(seed: 77).scenes(25)
  static let truths = scenes.enumerated().flatMap { $0.element.groundTruths(imageID: $0.offset) }

  static func evaluate(int8: Bool) -> COCOEvaluation {
    var detections: [Detection] = []
    for (i, scene) in scenes.enumerated() {
      detections +=
        int8
        ? detector.detectInt8(scene.image.bytes(), width: 320, height: 240, imageID: i)
        : detector.detect(scene.image, imageID: i)
    }
    return cocoEvaluate(groundTruths: truths, detections: detections)
  }

  @Test func reachesAnAPFloorOnASmallSeededSet() {
    let evaluation = Self.evaluate(int8: false)
    #expect(evaluation.stats.ap50 >= 0.85, "AP@0.5 = \(evaluation.stats.ap50)")
    #expect(evaluation.stats.ap >= 0.55, "AP@[.5:.95] = \(evaluation.stats.ap)")
    for k in 0..<3 { #expect(evaluation.ap(label: k, iouThreshold: 0.5) >= 0.75) }
  }

  @Test func int8PathLosesLittleAccuracy() {
    let float = Self.evaluate(int8: false).stats.ap50
    let int8 = Self.evaluate(int8: true).stats.ap50
    #expect(abs(float - int8) < 0.03, "float \(float), int8 \(int8)")
  }

  @Test func integerAndFloatForegroundMasksAgree() {
    let scene = Self.scenes[0]
    let a = foregroundFloat(scene.image, config: Self.config)
    let b = foregroundInteger(scene.image.bytes(), width: 320, height: 240, config: Self.config)
    let agree = zip(a.mask, b.mask).filter { $0 == $1 }.count
    #expect(Double(agree) / Double(a.mask.count) > 0.995)
    #expect(abs(a.threshold - b.threshold) < 1.0 / 255)
  }

  @Test func trainingAndDetectionAreDeterministic() {
    var tiny = DetectorConfig()
    tiny.trainingFrames = 8
    tiny.epochs = 20
    let first = TinyDetector.train(config: tiny)
    let second = TinyDetector.train(config: tiny)
    #expect(first.classifier.w1 == second.classifier.w1)
    #expect(first.classifier.w2 == second.classifier.w2)
    #expect(first.quantizedClassifier.w1.values == second.quantizedClassifier.w1.values)
    let image = Self.scenes[3].image
    #expect(first.detect(image) == second.detect(image))
  }

  @Test func detectionsHaveValidLabelsScoresAndBoxes() {
    for (i, scene) in Self.scenes.prefix(5).enumerated() {
      for d in Self.detector.detect(scene.image, imageID: i) {
        #expect(d.imageID == i)
        #expect((0...2).contains(d.label))
        #expect(d.score >= Self.config.minScore && d.score <= 1)
        #expect(!d.box.isDegenerate)
      }
    }
  }

  @Test func nmsKeepsASubsetSortedByScore() {
    let raw = Self.detector.detect(Self.scenes[1].image, nms: false)
    let kept = Self.detector.suppress(raw)
    #expect(kept.count <= raw.count)
    #expect(kept.allSatisfy { k in raw.contains(k) })
    #expect(zip(kept, kept.dropFirst()).allSatisfy { $0.score >= $1.score })
    // No two kept boxes of the same class overlap by more than the NMS threshold.
    for (i, a) in kept.enumerated() {
      for b in kept[(i + 1)...] where a.label == b.label {
        #expect(iou(a.box, b.box) <= Self.config.nmsIoU)
      }
    }
  }

  @Test func quantizedClassifierTracksTheFloatClassifier() {
    let found = candidates(
      from: foregroundFloat(Self.scenes[2].image, config: Self.config), minPixels: 8)
    let mlp = Self.detector.classifier
    for c in found {
      let z = mlp.standardized(c.features)
      let p = mlp.probabilities(standardized: z)
      let q = Self.detector.quantizedClassifier.probabilities(standardized: z)
      #expect(zip(p, q).allSatisfy { abs($0 - $1) < 0.1 })
    }
  }

  @Test func softmaxIsAProbabilityDistribution() {
    let p = softmax([1, 2, 3, 1000])
    #expect(abs(p.reduce(0, +) - 1) < 1e-6)
    #expect(p[3] > 0.999)
  }
}
