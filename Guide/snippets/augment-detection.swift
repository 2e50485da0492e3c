// snippet.title: Detection augmentation that keeps the boxes right: resize, crop, scale jitter
// snippet.uses: Augment.swift Image.swift Box.swift IoU.swift Random.swift Figure.swift

// snippet.hide
import Foundation

func f(_ v: Float) -> String { String(format: "%5.1f", v) }

/// The box around the pixels of channel `c` above 0.5: where object c really is after a transform.
func maskBox(_ image: Image, channel c: Int) -> Box? {
  var x1 = Int.max, y1 = Int.max, x2 = Int.min, y2 = Int.min
  for y in 0..<image.height {
    for x in 0..<image.width where image[x, y, c] > 0.5 {
      x1 = min(x1, x); y1 = min(y1, y); x2 = max(x2, x); y2 = max(y2, y)
    }
  }
  return x1 == .max ? nil : Box(x1: Double(x1), y1: Double(y1), x2: Double(x2 + 1), y2: Double(y2 + 1))
}
// snippet.show

// 1. Bilinear resize with half-pixel centres (OpenCV INTER_LINEAR, PyTorch
//    align_corners=False): output pixel centre x + 0.5 samples input (x + 0.5)·in/out − 0.5.
// snippet.resize
let tiny = Image(rows: [[0, 10], [20, 30]])
let up = tiny.resized(width: 4, height: 4)
// snippet.end
print("Bilinear 2x2 -> 4x4 (half-pixel centres, edges clamped):")
for row in up.rows { print("  " + row.map(f).joined(separator: " ")) }
print("  (align_corners=True would give 0, 3.3, 6.7, 10 in the first row instead)")

// A 320x240 frame with three objects. Channel k holds object k's mask, so after any transform
// we can find where each object's pixels really went and check that its box followed them.
var frame = Image(width: 320, height: 240, channels: 3, fill: 0)
let objects = [Box(x1: 40, y1: 60, x2: 80, y2: 140), Box(x1: 150, y1: 100, x2: 250, y2: 160),
  Box(x1: 280, y1: 180, x2: 316, y2: 236)]
for (k, box) in objects.enumerated() {
  for y in Int(box.y1)..<Int(box.y2) { for x in Int(box.x1)..<Int(box.x2) { frame[x, y, k] = 1 } }
}
let sample = AnnotatedImage(image: frame, boxes: objects, labels: [0, 1, 2])

// 2. Resize: boxes scale by (W'/W, H'/H) in continuous coordinates.
let half = resize(sample, width: 160, height: 120)
print("\nResize 320x240 -> 160x120: box \(objects[1]) -> \(half.boxes[1])")

// 3. Crop: shift by the window origin, clip to the window, drop what is mostly cut away.
// snippet.crop
let cropped = crop(sample, x: 60, y: 40, width: 200, height: 150, minVisibleFraction: 0.3)
// snippet.end
print("\nCrop window x 60..260, y 40..190 (keep boxes with >= 30% still visible):")
for (i, box) in objects.enumerated() {
  let window = Box(xywh: 60, 40, 200, 150)
  let visible = (box.intersection(window)?.area ?? 0) / box.area
  let kept = cropped.labels.firstIndex(of: i).map { "-> \(cropped.boxes[$0])" } ?? "dropped"
  print("  object \(i) \(box): \(Int((visible * 100).rounded()))% visible \(kept)")
}

// 4. Scale jitter: resize by a random factor, then crop or pad back to 320x240. Check each
//    kept box against where the object's pixels really ended up (IoU should be about 1).
// snippet.jitter
var rng = SplitMix64(seed: 7)
print("\nRandom scale jitter in [0.5, 2.0] + random flip, seed 7:")
for trial in 1...4 {
  var out = randomScaleJitter(sample, scale: 0.5...2.0, outputWidth: 320, outputHeight: 240,
    minVisibleFraction: 0.3, using: &rng)
  out = randomHorizontalFlip(out, using: &rng)
  let checks = zip(out.boxes, out.labels).map { box, label -> String in
    let truth = maskBox(out.image, channel: label)
    return "obj \(label) IoU \(String(format: "%.2f", truth.map { iou($0, box) } ?? 0))"
  }
  print("  trial \(trial): \(out.boxes.count) boxes kept; " + checks.joined(separator: ", "))
}
// snippet.end
print("  (IoU < 1 only where bilinear resampling blurs an object's edge by a pixel)")

// snippet.hide
// MARK: - Figure
// The crop of section 3 as pictures: the frame with its crop window, and the crop with its boxes.
do {
  /// The object masks as grey shades (object k darker than k + 1) on a light background.
  func shades(_ image: Image) -> Raster {
    var bytes: [UInt8] = []
    for y in 0..<image.height {
      for x in 0..<image.width {
        var v = 180
        for k in 0..<3 where image[x, y, k] > 0.5 { v = 95 + 25 * k }
        bytes.append(UInt8(v))
      }
    }
    return Raster(width: image.width, height: image.height, channels: 1, bytes: bytes)
  }
  let scale = 0.85
  var before = RasterFigure(title: "", desc: "", raster: shades(frame), frameWidth: 320, frameHeight: 240)
  before.displayWidth = 320 * scale
  before.caption = "before: crop window dashed"
  let outside = FigureStyle(color: .text, fillOpacity: 0.22)
  before.add(.region(x1: 0, y1: 0, x2: 320, y2: 40, style: outside))
  before.add(.region(x1: 0, y1: 190, x2: 320, y2: 240, style: outside))
  before.add(.region(x1: 0, y1: 40, x2: 60, y2: 190, style: outside))
  before.add(.region(x1: 260, y1: 40, x2: 320, y2: 190, style: outside))
  before.add(.box(x1: 60, y1: 40, x2: 260, y2: 190, label: nil, style: FigureStyle(color: .text, dash: .dashed, lineWidth: 1.5)))
  for (k, box) in objects.enumerated() {
    before.add(.box(x1: box.x1, y1: box.y1, x2: box.x2, y2: box.y2, label: "object \(k)", style: .series(k)))
  }
  var after = RasterFigure(title: "", desc: "", raster: shades(cropped.image), frameWidth: 200, frameHeight: 150)
  after.displayWidth = 200 * scale
  after.caption = "after: 200x150 crop"
  for (box, k) in zip(cropped.boxes, cropped.labels) {
    let clipped = box.area < objects[k].area - 1e-9
    after.add(.box(x1: box.x1, y1: box.y1, x2: box.x2, y2: box.y2, label: "object \(k)\(clipped ? ", clipped" : "")",
      style: .series(k)))
  }
  let moved = zip(cropped.boxes, cropped.labels).map { "object \($1) \(objects[$1]) becomes \($0)" }
  let panels = RasterPanels(
    title: "Cropping a frame moves, clips and drops its boxes",
    desc: "Left: a 320 by 240 frame with three objects and their boxes; the crop window from x 60 to 260 and "
      + "y 40 to 190 is dashed and the area outside it shaded. Right: the 200 by 150 crop at the same scale. "
      + "Every kept box is shifted by (-60, -40) and clipped to the window: " + moved.joined(separator: "; ")
      + ". Object 2 lies outside the window and is dropped with its box.",
    panels: [before, after])
  Figure.save(panels.svg(name: "augment-crop-boxes"), name: "augment-crop-boxes")
}
// snippet.show
