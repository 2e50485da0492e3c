// snippet.title: Per-channel normalisation and a horizontal flip that moves the boxes
// snippet.uses: Image.swift Augment.swift Box.swift IoU.swift

// snippet.hide
import Foundation

func f3(_ v: Float) -> String { String(format: "%6.3f", v) }
func triple(_ v: [Float]) -> String { "[" + v.map(f3).joined(separator: ",") + "]" }
func grid(_ image: Image) -> [String] {
  image.rows.map { row in row.map { $0 > 0.5 ? "#" : "." }.joined(separator: " ") }
}
// snippet.show

// 1. Normalisation: subtract the per-channel mean and divide by the per-channel std of the
//    *training set* (here ImageNet's, as torchvision.transforms.Normalize uses them). Every
//    channel then has roughly zero mean and unit variance, which keeps early activations and
//    gradients in a good range, and makes the input match what pretrained weights expect.
// snippet.normalize
let imagenetMean: [Float] = [0.485, 0.456, 0.406]
let imagenetStd: [Float] = [0.229, 0.224, 0.225]

// A 2×2 RGB image in [0, 1] (HWC: the three values of a pixel are adjacent).
let rgb = Image(width: 2, height: 2, channels: 3, pixels: [
  0.80, 0.40, 0.20,   0.50, 0.50, 0.50,
  0.10, 0.60, 0.90,   0.485, 0.456, 0.406,
])
let normalized = rgb.normalized(mean: imagenetMean, std: imagenetStd)
// snippet.end
print("Per-channel normalisation, (x - mean[c]) / std[c], ImageNet statistics:")
for (x, y) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
  print("  pixel (\(x),\(y)) \(triple(rgb.pixel(x: x, y: y))) -> \(triple(normalized.pixel(x: x, y: y)))")
}
print("  the last pixel equals the mean, so it maps to 0 in every channel")

// The same image read as BGR (OpenCV's default order) by mistake: a silent bug that shifts
// every input away from what the network was trained on.
var bgr = rgb
for i in 0..<4 { bgr.pixels.swapAt(3 * i, 3 * i + 2) }
let wrong = bgr.normalized(mean: imagenetMean, std: imagenetStd)
print("  pixel (0,0) read as BGR by mistake          -> \(triple(wrong.pixel(x: 0, y: 0)))")

// 2. Horizontal flip: the pixels mirror (column x goes to column W - 1 - x) and every box must
//    move with them. On continuous coordinates the rule is x' = W - x, and the corners swap:
//    [x1, x2] becomes [W - x2, W - x1].
// snippet.flip
var scene = Image(width: 8, height: 4, fill: 0)
for y in 1...2 { for x in 1...2 { scene[x, y] = 1 } }  // an object covering [1, 3) × [1, 3)
let sample = AnnotatedImage(image: scene, boxes: [Box(x1: 1, y1: 1, x2: 3, y2: 3)], labels: [0])
let flipped = horizontalFlip(sample)
// snippet.end
print("\nHorizontal flip of an 8x4 image with one object:")
print("  before            after")
for (before, after) in zip(grid(sample.image), grid(flipped.image)) {
  print("  \(before)   \(after)")
}
print("  box \(sample.boxes[0]) -> \(flipped.boxes[0])   (x' = W - x, corners swapped)")

// The off-by-one version, x' = W - 1 - x applied to continuous corners, lands one pixel off.
let offByOne = Box(x1: 8 - 1 - 3, y1: 1, x2: 8 - 1 - 1, y2: 3)
print("  with x' = W - 1 - x: \(offByOne), IoU with the right box",
  String(format: "%.3f", iou(offByOne, flipped.boxes[0])))
print("  flipping twice gives the original back:",
  horizontalFlip(flipped).boxes == sample.boxes && horizontalFlip(flipped).image == scene)
