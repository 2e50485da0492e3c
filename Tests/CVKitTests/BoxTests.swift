import Testing

@testable import CVKit

@Suite struct BoxTests {
  @Test func xywhAndCxcywhDescribeTheSameCorners() {
    let fromXYWH = Box(xywh: 10, 20, 40, 30)
    #expect(fromXYWH == Box(x1: 10, y1: 20, x2: 50, y2: 50))
    // centre (30, 35), size 40 x 30
    #expect(Box(cxcywh: 30, 35, 40, 30) == fromXYWH)
  }

  @Test func formatConversionsRoundTrip() {
    let box = Box(x1: 10, y1: 20, x2: 50, y2: 50)
    let (x, y, w, h) = box.xywh
    #expect([x, y, w, h] == [10, 20, 40, 30])
    let (cx, cy, cw, ch) = box.cxcywh
    #expect([cx, cy, cw, ch] == [30, 35, 40, 30])
    #expect(Box(xywh: x, y, w, h) == box)
    #expect(Box(cxcywh: cx, cy, cw, ch) == box)
  }

  @Test func widthHeightAndAreaOfAnOrdinaryBox() {
    let box = Box(x1: 1, y1: 2, x2: 4, y2: 8)
    #expect(box.width == 3)
    #expect(box.height == 6)
    #expect(box.area == 18)
    #expect(!box.isDegenerate)
    #expect(box.center == (2.5, 5))
  }

  @Test(arguments: [
    Box(x1: 5, y1: 0, x2: 5, y2: 10),  // zero width
    Box(x1: 0, y1: 5, x2: 10, y2: 5),  // zero height
    Box(x1: 10, y1: 10, x2: 0, y2: 0),  // corners swapped
    Box(x1: 0, y1: 0, x2: .nan, y2: 1),  // NaN
  ])
  func degenerateBoxesHaveZeroArea(box: Box) {
    #expect(box.isDegenerate)
    #expect(box.area == 0)
    #expect(box.width >= 0 && box.height >= 0)
  }

  @Test func clippingClampsEveryCornerIntoTheImage() {
    let box = Box(x1: -10, y1: 5, x2: 700, y2: 500)
    #expect(box.clipped(toWidth: 640, height: 480) == Box(x1: 0, y1: 5, x2: 640, y2: 480))
    // Entirely outside: becomes degenerate, area 0.
    let outside = Box(x1: 700, y1: 10, x2: 800, y2: 20).clipped(toWidth: 640, height: 480)
    #expect(outside.isDegenerate)
    #expect(outside.area == 0)
  }

  @Test func intersectionIsNilForTouchingBoxes() {
    let a = Box(x1: 0, y1: 0, x2: 10, y2: 10)
    #expect(a.intersection(Box(x1: 10, y1: 0, x2: 20, y2: 10)) == nil)
    #expect(a.intersection(Box(x1: 5, y1: 5, x2: 15, y2: 15)) == Box(x1: 5, y1: 5, x2: 10, y2: 10))
  }

  @Test func horizontalFlipMirrorsAndKeepsCornersOrdered() {
    // In a 100-wide image, x in [10, 30] maps to [70, 90].
    let flipped = Box(x1: 10, y1: 5, x2: 30, y2: 25).flippedHorizontally(imageWidth: 100)
    #expect(flipped == Box(x1: 70, y1: 5, x2: 90, y2: 25))
    #expect(flipped.flippedHorizontally(imageWidth: 100) == Box(x1: 10, y1: 5, x2: 30, y2: 25))
  }

  @Test func translateAndScale() {
    let box = Box(x1: 1, y1: 2, x2: 3, y2: 4)
    #expect(box.translated(dx: 10, dy: -2) == Box(x1: 11, y1: 0, x2: 13, y2: 2))
    #expect(box.scaled(sx: 2, sy: 0.5) == Box(x1: 2, y1: 1, x2: 6, y2: 2))
  }

  @Test func descriptionPrintsCornersWithoutTrailingZeros() {
    #expect(Box(x1: 10, y1: 20, x2: 30.5, y2: 40.25).description == "[10, 20, 30.5, 40.25]")
  }
}
