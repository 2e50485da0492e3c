// A small image type: width × height × channels of Float, stored row-major and interleaved.
//
// Layout (the OpenCV / "HWC" convention): the value of channel c at column x, row y lives at
// `pixels[(y * width + x) * channels + c]`. Deep-learning frameworks usually want planar "CHW"
// (PyTorch's `ToTensor` turns HWC into CHW); `planar()` gives that order when needed.
// Coordinates: x grows to the right, y grows downward, pixel (x, y) covers the square
// [x, x+1) × [y, y+1), so its centre is at (x + 0.5, y + 0.5), the same continuous coordinates
// that `Box` uses.

/// An image of `Float` samples, row-major, channels interleaved (HWC).
struct Image: Equatable, Sendable {
  let width: Int
  let height: Int
  let channels: Int
  var pixels: [Float]

  /// An image filled with one value.
  init(width: Int, height: Int, channels: Int = 1, fill: Float = 0) {
    precondition(width >= 0 && height >= 0 && channels > 0, "bad image size")
    self.width = width
    self.height = height
    self.channels = channels
    self.pixels = [Float](repeating: fill, count: width * height * channels)
  }

  /// An image over existing interleaved samples (`pixels.count == width * height * channels`).
  init(width: Int, height: Int, channels: Int = 1, pixels: [Float]) {
    precondition(pixels.count == width * height * channels, "pixel count does not match size")
    self.width = width
    self.height = height
    self.channels = channels
    self.pixels = pixels
  }

  /// An image from rows of single-channel values (handy for tiny known-answer examples).
  init(rows: [[Float]]) {
    let h = rows.count
    let w = rows.first?.count ?? 0
    precondition(rows.allSatisfy { $0.count == w }, "ragged rows")
    self.init(width: w, height: h, channels: 1, pixels: rows.flatMap { $0 })
  }

  /// Index of channel `c` at (x, y) in `pixels`.
  @inline(__always)
  func index(x: Int, y: Int, c: Int = 0) -> Int {
    (y * width + x) * channels + c
  }

  /// The sample at column `x`, row `y`, channel `c`.
  subscript(x: Int, y: Int, c: Int = 0) -> Float {
    get { pixels[index(x: x, y: y, c: c)] }
    set { pixels[index(x: x, y: y, c: c)] = newValue }
  }

  /// All channels of one pixel.
  func pixel(x: Int, y: Int) -> [Float] {
    let start = index(x: x, y: y)
    return Array(pixels[start..<start + channels])
  }

  /// Rows of a single-channel image (for printing small examples).
  var rows: [[Float]] {
    (0..<height).map { y in (0..<width).map { x in self[x, y] } }
  }

  /// The samples in planar CHW order (all of channel 0, then channel 1, …).
  func planar() -> [Float] {
    var out = [Float](repeating: 0, count: pixels.count)
    let plane = width * height
    for i in 0..<plane {
      for c in 0..<channels {
        out[c * plane + i] = pixels[i * channels + c]
      }
    }
    return out
  }

  // MARK: - Statistics and normalisation

  /// Mean and (population) standard deviation of each channel.
  func channelStatistics() -> (mean: [Float], std: [Float]) {
    let n = Double(width * height)
    var sum = [Double](repeating: 0, count: channels)
    var sumSq = [Double](repeating: 0, count: channels)
    for i in 0..<(width * height) {
      for c in 0..<channels {
        let v = Double(pixels[i * channels + c])
        sum[c] += v
        sumSq[c] += v * v
      }
    }
    let mean = sum.map { $0 / n }
    let std = (0..<channels).map { c in max(0, sumSq[c] / n - mean[c] * mean[c]).squareRoot() }
    return (mean.map(Float.init), std.map(Float.init))
  }

  /// Per-channel normalisation `(x − mean[c]) / std[c]`, as `torchvision.transforms.Normalize`.
  /// Use the statistics of the *training* set (e.g. ImageNet's mean [0.485, 0.456, 0.406],
  /// std [0.229, 0.224, 0.225] on [0, 1] RGB), never those of the image being normalised.
  func normalized(mean: [Float], std: [Float]) -> Image {
    precondition(mean.count == channels && std.count == channels, "one mean/std per channel")
    precondition(std.allSatisfy { $0 > 0 }, "std must be positive")
    var out = self
    let inverse = std.map { 1 / $0 }
    for i in 0..<(width * height) {
      for c in 0..<channels {
        let k = i * channels + c
        out.pixels[k] = (pixels[k] - mean[c]) * inverse[c]
      }
    }
    return out
  }

  /// Every sample mapped through `transform`.
  func map(_ transform: (Float) -> Float) -> Image {
    Image(width: width, height: height, channels: channels, pixels: pixels.map(transform))
  }

  // MARK: - Geometry

  /// Mirror left–right: column x goes to column width − 1 − x.
  /// (A box moves with x' = W − x on its continuous edges; see `Augment.swift`.)
  func flippedHorizontally() -> Image {
    var out = self
    for y in 0..<height {
      for x in 0..<width {
        let from = index(x: width - 1 - x, y: y)
        let to = index(x: x, y: y)
        for c in 0..<channels { out.pixels[to + c] = pixels[from + c] }
      }
    }
    return out
  }

  /// The sub-image with top-left corner (x, y); parts outside the image are filled with `fill`.
  func cropped(x: Int, y: Int, width w: Int, height h: Int, fill: Float = 0) -> Image {
    var out = Image(width: w, height: h, channels: channels, fill: fill)
    for oy in 0..<h {
      let sy = y + oy
      guard sy >= 0 && sy < height else { continue }
      for ox in 0..<w {
        let sx = x + ox
        guard sx >= 0 && sx < width else { continue }
        let from = index(x: sx, y: sy)
        let to = out.index(x: ox, y: oy)
        for c in 0..<channels { out.pixels[to + c] = pixels[from + c] }
      }
    }
    return out
  }

  /// Bilinear resize with the half-pixel-centre convention (OpenCV `INTER_LINEAR`, PyTorch
  /// `interpolate(mode: "bilinear", align_corners=False)`, TF2 `resize(half_pixel_centers)`).
  ///
  /// Output pixel centre (x + 0.5) maps to input coordinate (x + 0.5)·(inW/outW) − 0.5; samples
  /// left of the first centre are clamped to it (so edges replicate instead of fading to 0).
  /// A 2×2 image [[0, 10], [20, 30]] resized to 4×4 gets the first row [0, 2.5, 7.5, 10].
  /// (Downscaling by large factors this way aliases: OpenCV's `INTER_AREA` or PyTorch's
  /// `antialias=True` average over the footprint instead.)
  func resized(width outW: Int, height outH: Int) -> Image {
    precondition(outW > 0 && outH > 0, "empty output")
    var out = Image(width: outW, height: outH, channels: channels)
    let xs = Image.bilinearTaps(input: width, output: outW)
    let ys = Image.bilinearTaps(input: height, output: outH)
    for oy in 0..<outH {
      let (y0, y1, wy) = ys[oy]
      for ox in 0..<outW {
        let (x0, x1, wx) = xs[ox]
        for c in 0..<channels {
          let top = self[x0, y0, c] * (1 - wx) + self[x1, y0, c] * wx
          let bottom = self[x0, y1, c] * (1 - wx) + self[x1, y1, c] * wx
          out[ox, oy, c] = top * (1 - wy) + bottom * wy
        }
      }
    }
    return out
  }

  /// For each output index: the two input indices to blend and the weight of the second.
  static func bilinearTaps(input n: Int, output m: Int) -> [(Int, Int, Float)] {
    let scale = Double(n) / Double(m)
    return (0..<m).map { o in
      let source = max(0, (Double(o) + 0.5) * scale - 0.5)
      let i0 = min(Int(source), n - 1)
      let i1 = min(i0 + 1, n - 1)
      return (i0, i1, Float(source - Double(i0)))
    }
  }

  // MARK: - Colour

  /// Luma from RGB with the ITU-R BT.601 weights (0.299, 0.587, 0.114), as OpenCV's
  /// `cvtColor(…, COLOR_RGB2GRAY)`. Single-channel images are returned unchanged.
  func grayscale() -> Image {
    guard channels == 3 else { return self }
    var out = Image(width: width, height: height, channels: 1)
    for i in 0..<(width * height) {
      let r = pixels[3 * i]
      let g = pixels[3 * i + 1]
      let b = pixels[3 * i + 2]
      out.pixels[i] = 0.299 * r + 0.587 * g + 0.114 * b
    }
    return out
  }
}
