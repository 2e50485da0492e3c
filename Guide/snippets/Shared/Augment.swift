// snippet.uses: Box.swift Image.swift Random.swift
//
// Geometric augmentation for detection: every transform of the pixels must apply the same
// transform to the boxes, or the model learns from labels that point at the wrong place.
// - Horizontal flip: x' = W − x on continuous coordinates, so a box [x1, x2] becomes
//   [W − x2, W − x1] (corners swap to keep x1 ≤ x2). Labels are unchanged, unless a class is
//   itself left/right ("turn-left sign"): then flipping needs a label map, or must be disabled.
// - Resize: continuous coordinates scale exactly, x' = x · W'/W (pixel edges 0 and W map to 0
//   and W'), which is the half-pixel convention that `Image.resized` uses.
// - Crop: boxes shift by the crop origin, are clipped to the crop, and are dropped when too
//   little of them is left visible (a sliver of a pedestrian is not a pedestrian to learn from).

/// An image with its boxes and labels, kept together so no transform forgets the boxes.
struct AnnotatedImage: Sendable {
  var image: Image
  var boxes: [Box]
  var labels: [Int]

  init(image: Image, boxes: [Box], labels: [Int]) {
    precondition(boxes.count == labels.count, "one label per box")
    self.image = image
    self.boxes = boxes
    self.labels = labels
  }
}

// MARK: - Box transforms

/// Shift boxes into a crop window, clip them to it and keep those whose visible area is at
/// least `minVisibleFraction` of their area *before* the crop (clipped to the original image).
/// Returns each kept box with the index it had, so labels (or any other field) can follow.
func cropBoxes(
  _ boxes: [Box], window: Box, imageWidth: Double, imageHeight: Double,
  minVisibleFraction: Double
) -> [(index: Int, box: Box)] {
  var kept: [(index: Int, box: Box)] = []
  for (i, box) in boxes.enumerated() {
    let before = box.clipped(toWidth: imageWidth, height: imageHeight).area
    guard before > 0 else { continue }
    let shifted = box.translated(dx: -window.x1, dy: -window.y1)
      .clipped(toWidth: window.width, height: window.height)
    if !shifted.isDegenerate && shifted.area >= minVisibleFraction * before {
      kept.append((i, shifted))
    }
  }
  return kept
}

// MARK: - Transforms of an annotated image

/// Mirror the image and its boxes left–right.
func horizontalFlip(_ sample: AnnotatedImage) -> AnnotatedImage {
  let w = Double(sample.image.width)
  return AnnotatedImage(
    image: sample.image.flippedHorizontally(),
    boxes: sample.boxes.map { $0.flippedHorizontally(imageWidth: w) },
    labels: sample.labels)
}

/// Bilinear resize of the image; boxes scale by (W'/W, H'/H).
func resize(_ sample: AnnotatedImage, width: Int, height: Int) -> AnnotatedImage {
  let sx = Double(width) / Double(sample.image.width)
  let sy = Double(height) / Double(sample.image.height)
  return AnnotatedImage(
    image: sample.image.resized(width: width, height: height),
    boxes: sample.boxes.map { $0.scaled(sx: sx, sy: sy) },
    labels: sample.labels)
}

/// Cut out the window with top-left (x, y) and the given size. Parts of the window outside the
/// image are filled with `fill` (so the same function also pads). Boxes follow `cropBoxes`.
func crop(
  _ sample: AnnotatedImage, x: Int, y: Int, width: Int, height: Int,
  minVisibleFraction: Double = 0.3, fill: Float = 0
) -> AnnotatedImage {
  let window = Box(xywh: Double(x), Double(y), Double(width), Double(height))
  let kept = cropBoxes(
    sample.boxes, window: window, imageWidth: Double(sample.image.width),
    imageHeight: Double(sample.image.height), minVisibleFraction: minVisibleFraction)
  return AnnotatedImage(
    image: sample.image.cropped(x: x, y: y, width: width, height: height, fill: fill),
    boxes: kept.map(\.box),
    labels: kept.map { sample.labels[$0.index] })
}

// MARK: - Random augmentation

/// Flip with probability `p`.
func randomHorizontalFlip(
  _ sample: AnnotatedImage, probability p: Double = 0.5, using rng: inout SplitMix64
) -> AnnotatedImage {
  rng.bernoulli(p) ? horizontalFlip(sample) : sample
}

/// A random crop covering `scale` of each side (e.g. 0.6…1.0), placed uniformly at random.
func randomCrop(
  _ sample: AnnotatedImage, scale: ClosedRange<Double>, minVisibleFraction: Double = 0.3,
  using rng: inout SplitMix64
) -> AnnotatedImage {
  let s = rng.uniform(scale.lowerBound, scale.upperBound)
  let w = max(1, Int((Double(sample.image.width) * s).rounded()))
  let h = max(1, Int((Double(sample.image.height) * s).rounded()))
  let x = rng.int(in: 0...(sample.image.width - w))
  let y = rng.int(in: 0...(sample.image.height - h))
  return crop(sample, x: x, y: y, width: w, height: h, minVisibleFraction: minVisibleFraction)
}

/// Scale jitter (the "large scale jitter" of Ghiasi et al. 2021 when the range is 0.1…2.0):
/// resize by a random factor, then crop (when larger) or pad (when smaller) back to a fixed
/// output size at a random position. Objects change apparent size, which is what a detector
/// must learn to handle for small objects; the output size stays fixed for batching.
func randomScaleJitter(
  _ sample: AnnotatedImage, scale: ClosedRange<Double>, outputWidth: Int, outputHeight: Int,
  minVisibleFraction: Double = 0.3, fill: Float = 0, using rng: inout SplitMix64
) -> AnnotatedImage {
  let s = rng.uniform(scale.lowerBound, scale.upperBound)
  let w = max(1, Int((Double(sample.image.width) * s).rounded()))
  let h = max(1, Int((Double(sample.image.height) * s).rounded()))
  let scaled = resize(sample, width: w, height: h)
  // When the scaled image is larger, pick a window inside it; when smaller, place it at a
  // random offset inside the output (a negative crop origin means padding).
  let x = w >= outputWidth
    ? rng.int(in: 0...(w - outputWidth)) : -rng.int(in: 0...(outputWidth - w))
  let y = h >= outputHeight
    ? rng.int(in: 0...(h - outputHeight)) : -rng.int(in: 0...(outputHeight - h))
  return crop(
    scaled, x: x, y: y, width: outputWidth, height: outputHeight,
    minVisibleFraction: minVisibleFraction, fill: fill)
}
