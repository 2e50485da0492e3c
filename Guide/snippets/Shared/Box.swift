// An axis-aligned bounding box in continuous image coordinates.
//
// Three formats meet in detection code, and mixing them up is the most common bug:
// - xyxy   (x1, y1, x2, y2): corners; torchvision, Pascal VOC. This is how `Box` stores it.
// - xywh   (x, y, w, h): top-left corner plus size; the COCO annotation format.
// - cxcywh (cx, cy, w, h): centre plus size; YOLO labels and DETR outputs.
// Coordinates are continuous: a box from x1 = 0 to x2 = 10 is 10 wide (no "+1 pixel").

import Foundation

struct Box: Equatable, Hashable, Sendable {
  var x1: Double
  var y1: Double
  var x2: Double
  var y2: Double

  /// A box from its corners (xyxy).
  init(x1: Double, y1: Double, x2: Double, y2: Double) {
    self.x1 = x1
    self.y1 = y1
    self.x2 = x2
    self.y2 = y2
  }

  /// A box from its top-left corner and size (COCO's xywh).
  init(xywh x: Double, _ y: Double, _ w: Double, _ h: Double) {
    self.init(x1: x, y1: y, x2: x + w, y2: y + h)
  }

  /// A box from its centre and size (YOLO's cxcywh).
  init(cxcywh cx: Double, _ cy: Double, _ w: Double, _ h: Double) {
    self.init(x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2)
  }

  /// Width, 0 when the box is degenerate (x2 <= x1).
  var width: Double { x2 > x1 ? x2 - x1 : 0 }
  /// Height, 0 when the box is degenerate (y2 <= y1).
  var height: Double { y2 > y1 ? y2 - y1 : 0 }
  /// Area, 0 for a degenerate box (never negative).
  var area: Double { width * height }

  /// True when the box encloses no area: zero or negative width or height (or a NaN corner).
  var isDegenerate: Bool { !(x2 > x1 && y2 > y1) }

  /// (x, y, w, h) with the clamped width and height.
  var xywh: (x: Double, y: Double, w: Double, h: Double) { (x1, y1, width, height) }

  /// (cx, cy, w, h) with the clamped width and height.
  var cxcywh: (cx: Double, cy: Double, w: Double, h: Double) {
    ((x1 + x2) / 2, (y1 + y2) / 2, width, height)
  }

  /// The centre point.
  var center: (x: Double, y: Double) { ((x1 + x2) / 2, (y1 + y2) / 2) }

  /// The box clipped to an image of the given size: every corner is clamped into
  /// [0, width] × [0, height]. A box fully outside the image becomes degenerate.
  func clipped(toWidth imageWidth: Double, height imageHeight: Double) -> Box {
    func clamp(_ v: Double, _ hi: Double) -> Double { min(max(v, 0), hi) }
    return Box(
      x1: clamp(x1, imageWidth), y1: clamp(y1, imageHeight),
      x2: clamp(x2, imageWidth), y2: clamp(y2, imageHeight))
  }

  /// The overlap of two boxes, or nil when they do not overlap with a positive area
  /// (boxes that only touch along an edge do not overlap).
  func intersection(_ other: Box) -> Box? {
    let b = Box(
      x1: max(x1, other.x1), y1: max(y1, other.y1),
      x2: min(x2, other.x2), y2: min(y2, other.y2))
    return b.isDegenerate ? nil : b
  }

  /// The box moved by (dx, dy).
  func translated(dx: Double, dy: Double) -> Box {
    Box(x1: x1 + dx, y1: y1 + dy, x2: x2 + dx, y2: y2 + dy)
  }

  /// The box with every x multiplied by `sx` and every y by `sy` (e.g. after resizing the image).
  func scaled(sx: Double, sy: Double) -> Box {
    Box(x1: x1 * sx, y1: y1 * sy, x2: x2 * sx, y2: y2 * sy)
  }

  /// The box mirrored left-right inside an image of the given width (a horizontal flip):
  /// x maps to imageWidth - x, and the corners swap so that x1 <= x2 still holds.
  func flippedHorizontally(imageWidth: Double) -> Box {
    Box(x1: imageWidth - x2, y1: y1, x2: imageWidth - x1, y2: y2)
  }
}

extension Box: CustomStringConvertible {
  /// `[x1, y1, x2, y2]` with up to 2 decimals, e.g. `[10, 20, 30.5, 40]`.
  var description: String {
    func f(_ v: Double) -> String {
      let r = (v * 100).rounded() / 100
      if r == r.rounded() && abs(r) < 1e15 { return String(Int(r)) }
      var s = String(format: "%.2f", r)
      while s.hasSuffix("0") { s.removeLast() }
      return s
    }
    return "[\(f(x1)), \(f(y1)), \(f(x2)), \(f(y2))]"
  }
}
