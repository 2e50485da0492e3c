import Testing

@testable import CVKit

@Suite struct AugmentTests {
  /// A frame whose channel k is the mask of box k, so a transform's effect on each object can
  /// be read back from the pixels.
  static func maskedSample(width: Int, height: Int, boxes: [Box]) -> AnnotatedImage {
    var image = Image(width: width, height: height, channels: boxes.count)
    for (k, box) in boxes.enumerated() {
      for y in Int(box.y1)..<Int(box.y2) {
        for x in Int(box.x1)..<Int(box.x2) { image[x, y, k] = 1 }
      }
    }
    return AnnotatedImage(image: image, boxes: boxes, labels: Array(boxes.indices))
  }

  static func maskBox(_ image: Image, channel: Int) -> Box? {
    var x1 = Int.max
    var y1 = Int.max
    var x2 = Int.min
    var y2 = Int.min
    for y in 0..<image.height {
      for x in 0..<image.width where image[x, y, channel] > 0.5 {
        x1 = min(x1, x)
        y1 = min(y1, y)
        x2 = max(x2, x)
        y2 = max(y2, y)
      }
    }
    return x1 == .max ? nil : Box(x1: Double(x1), y1: Double(y1), x2: Double(x2 + 1), y2: Double(y2 + 1))
  }

  // x' = W − x: [1, 3] in an 8-wide image becomes [8 − 3, 8 − 1] = [5, 7].
  @Test func flipMovesTheBoxWithXPrimeEqualsWMinusX() {
    let sample = Self.maskedSample(width: 8, height: 4, boxes: [Box(x1: 1, y1: 1, x2: 3, y2: 3)])
    let flipped = horizontalFlip(sample)
    #expect(flipped.boxes == [Box(x1: 5, y1: 1, x2: 7, y2: 3)])
    #expect(Self.maskBox(flipped.image, channel: 0) == flipped.boxes[0])
  }

  @Test func resizeScalesBoxesByTheSizeRatio() {
    let sample = Self.maskedSample(width: 8, height: 4, boxes: [Box(x1: 2, y1: 1, x2: 6, y2: 3)])
    let big = resize(sample, width: 16, height: 12)
    #expect(big.boxes == [Box(x1: 4, y1: 3, x2: 12, y2: 9)])
    #expect(Self.maskBox(big.image, channel: 0) == big.boxes[0])
  }

  // Window [10, 30) × [0, 20): a box half inside is shifted by −10 and clipped; a box with
  // 20% inside is dropped at a 30% minimum; a box fully inside just shifts.
  @Test func cropShiftsClipsAndDropsBoxesByVisibleFraction() {
    let boxes = [
      Box(x1: 0, y1: 0, x2: 20, y2: 10),  // 50% inside
      Box(x1: 26, y1: 0, x2: 46, y2: 10),  // 4 of 20 columns inside: 20%
      Box(x1: 12, y1: 5, x2: 18, y2: 15),  // fully inside
    ]
    let kept = cropBoxes(
      boxes, window: Box(xywh: 10, 0, 20, 20), imageWidth: 100, imageHeight: 100,
      minVisibleFraction: 0.3)
    #expect(kept.map(\.index) == [0, 2])
    #expect(kept.map(\.box) == [Box(x1: 0, y1: 0, x2: 10, y2: 10), Box(x1: 2, y1: 5, x2: 8, y2: 15)])
  }

  @Test func cropCarriesTheLabelsOfTheKeptBoxes() {
    let sample = AnnotatedImage(
      image: Image(width: 10, height: 10),
      boxes: [Box(x1: 0, y1: 0, x2: 2, y2: 2), Box(x1: 6, y1: 6, x2: 9, y2: 9)], labels: [4, 7])
    let out = crop(sample, x: 5, y: 5, width: 5, height: 5)
    #expect(out.labels == [7])
    #expect(out.boxes == [Box(x1: 1, y1: 1, x2: 4, y2: 4)])
  }

  @Test func boxesFollowTheirObjectsThroughRandomCropsAndFlips() {
    let sample = Self.maskedSample(
      width: 64, height: 48,
      boxes: [Box(x1: 4, y1: 6, x2: 20, y2: 30), Box(x1: 30, y1: 10, x2: 60, y2: 40)])
    var rng = SplitMix64(seed: 11)
    for _ in 0..<20 {
      var out = randomCrop(sample, scale: 0.5...1.0, minVisibleFraction: 0, using: &rng)
      out = randomHorizontalFlip(out, using: &rng)
      for (box, label) in zip(out.boxes, out.labels) {
        #expect(Self.maskBox(out.image, channel: label) == box)
      }
    }
  }

  @Test func scaleJitterKeepsTheOutputSizeAndIsDeterministic() {
    let sample = Self.maskedSample(width: 64, height: 48, boxes: [Box(x1: 10, y1: 10, x2: 40, y2: 30)])
    var a = SplitMix64(seed: 5)
    var b = SplitMix64(seed: 5)
    for _ in 0..<5 {
      let x = randomScaleJitter(sample, scale: 0.5...2, outputWidth: 64, outputHeight: 48, using: &a)
      let y = randomScaleJitter(sample, scale: 0.5...2, outputWidth: 64, outputHeight: 48, using: &b)
      #expect(x.image.width == 64 && x.image.height == 48)
      #expect(x.boxes == y.boxes && x.image == y.image)
      for box in x.boxes {
        #expect(box.x1 >= 0 && box.y1 >= 0 && box.x2 <= 64 && box.y2 <= 48)
        // Bilinear resampling may blur an edge by at most a pixel.
        if let truth = Self.maskBox(x.image, channel: 0) { #expect(iou(truth, box) > 0.7) }
      }
    }
  }
}
