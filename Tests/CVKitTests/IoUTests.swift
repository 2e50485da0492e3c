import Testing

@testable import CVKit

@Suite struct IoUTests {
  static let a = Box(x1: 0, y1: 0, x2: 10, y2: 10)  // area 100

  // (name, other box, expected IoU with `a`), each worked out by hand.
  static let knownAnswers: [(String, Box, Double)] = [
    ("identical", a, 1),
    // inter 5 x 10 = 50, union 100 + 100 - 50 = 150
    ("shifted by half a width", Box(x1: 5, y1: 0, x2: 15, y2: 10), 50.0 / 150),
    // inter 5 x 5 = 25, union 175
    ("shifted diagonally", Box(x1: 5, y1: 5, x2: 15, y2: 15), 25.0 / 175),
    // inter = the small box, 6 x 6 = 36; union = the big box, 100
    ("contained", Box(x1: 2, y1: 2, x2: 8, y2: 8), 0.36),
    // inter 10 x 10 = 100, union = 20 x 20 = 400
    ("containing", Box(x1: -5, y1: -5, x2: 15, y2: 15), 0.25),
    ("touching along an edge", Box(x1: 10, y1: 0, x2: 20, y2: 10), 0),
    ("touching at a corner", Box(x1: 10, y1: 10, x2: 20, y2: 20), 0),
    ("disjoint", Box(x1: 20, y1: 20, x2: 30, y2: 30), 0),
    ("degenerate, zero width, inside", Box(x1: 5, y1: 0, x2: 5, y2: 10), 0),
    ("degenerate, corners swapped", Box(x1: 8, y1: 8, x2: 2, y2: 2), 0),
  ]

  @Test(arguments: knownAnswers)
  func iouMatchesHandComputedValue(name: String, other: Box, expected: Double) {
    #expect(abs(iou(Self.a, other) - expected) < 1e-15, "\(name)")
    #expect(abs(iou(other, Self.a) - expected) < 1e-15, "\(name), arguments swapped")
  }

  @Test func twoDegenerateBoxesGiveZeroNotNaN() {
    let point = Box(x1: 1, y1: 1, x2: 1, y2: 1)
    #expect(iou(point, point) == 0)
  }

  @Test func legacyVOCCountsPixelsInclusively() {
    // [0, 9] is 10 pixels wide in the +1 convention.
    // inter: x 5...9 -> 5 px, y 0...9 -> 10 px = 50; areas 100 each; union 150 -> 1/3.
    let p = Box(x1: 0, y1: 0, x2: 9, y2: 9), q = Box(x1: 5, y1: 0, x2: 14, y2: 9)
    #expect(abs(iouVOCLegacy(p, q) - 1.0 / 3) < 1e-15)
    // Continuous: inter 4 x 9 = 36, areas 81, union 126 -> 2/7.
    #expect(abs(iou(p, q) - 2.0 / 7) < 1e-15)
    // A single-pixel box (x1 == x2) has area 1 in the legacy convention.
    let pixel = Box(x1: 3, y1: 3, x2: 3, y2: 3)
    #expect(iouVOCLegacy(pixel, pixel) == 1)
    // Boxes one pixel apart do not overlap; adjacent integer boxes [0,9] and [10,19] neither.
    #expect(iouVOCLegacy(p, Box(x1: 10, y1: 0, x2: 19, y2: 9)) == 0)
  }

  @Test func crowdOverlapDividesByTheDetectionArea() {
    let crowd = Box(x1: 0, y1: 0, x2: 100, y2: 100)
    #expect(iouCrowd(Box(x1: 10, y1: 10, x2: 20, y2: 20), crowd) == 1)
    // Half of the detection is inside: 50 / 100.
    #expect(iouCrowd(Box(x1: -5, y1: 0, x2: 5, y2: 10), crowd) == 0.5)
    #expect(iouCrowd(Box(x1: 5, y1: 5, x2: 5, y2: 5), crowd) == 0)
  }

  @Test func iouMatrixHasOneRowPerFirstBox() {
    let m = iouMatrix([Self.a, Box(x1: 20, y1: 20, x2: 30, y2: 30)], [Self.a])
    #expect(m == [[1], [0]])
  }

  @Test func iouIsSymmetricAndWithinZeroAndOne() {
    var rng = SplitMix64(seed: 42)
    for _ in 0..<2_000 {
      let p = randomBoxForTests(&rng), q = randomBoxForTests(&rng)
      let v = iou(p, q)
      #expect(v >= 0 && v <= 1)
      #expect(v == iou(q, p))
      if !p.isDegenerate { #expect(iou(p, p) == 1) }
      #expect(iouVOCLegacy(p, q) == iouVOCLegacy(q, p))
    }
  }

  @Test func iouIsInvariantToScalingBothBoxes() {
    var rng = SplitMix64(seed: 7)
    for _ in 0..<500 {
      let p = randomBoxForTests(&rng), q = randomBoxForTests(&rng)
      let s = rng.uniform(0.1, 10)
      #expect(abs(iou(p.scaled(sx: s, sy: s), q.scaled(sx: s, sy: s)) - iou(p, q)) < 1e-9)
    }
  }
}

/// A random box in a 100 x 100 area; about one in ten is degenerate.
func randomBoxForTests(_ rng: inout SplitMix64) -> Box {
  let x = rng.uniform(0, 100), y = rng.uniform(0, 100)
  if rng.bernoulli(0.1) { return Box(x1: x, y1: y, x2: x, y2: y + rng.uniform(0, 10)) }
  return Box(xywh: x, y, rng.uniform(0.5, 50), rng.uniform(0.5, 50))
}
