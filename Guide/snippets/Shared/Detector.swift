// snippet.uses: Box.swift IoU.swift NMS.swift Detection.swift Image.swift Random.swift Scenes.swift Quantization.swift
//
// A tiny classical detector for the synthetic driving frames of `Scenes.swift`, small enough to
// read in one sitting and fast enough to run hundreds of frames per second on one core:
//
//   1. smooth (3×3 box) and estimate the frame's contrast scale (10th–90th percentile spread)
//      and noise level; the threshold follows both, so lighting and noise changes are absorbed;
//   2. local background = mean over a window of about 33×33 px, estimated on 2×2 cells with
//      integral images; pixels that differ from it by more than the threshold are foreground,
//      brighter (1) or darker (2). Three passes: each leaves the previous pass's foreground out
//      of the mean (a masked, "normalised" box filter), so the background next to an object is
//      not dragged towards the object's colour and boxes do not grow a halo; the first pass
//      uses half the threshold, as it only decides what to leave out;
//   3. connected components (8-connected, bright and dark separately, two-pass union–find)
//      → candidate boxes;
//   4. per candidate, 21 features: size, fill, a 3×3 occupancy grid, contrast statistics,
//      contrast by thirds, vertical position, frame-edge contact;
//   5. a small MLP (21 → 16 → 4, softmax over pedestrian / vehicle / obstacle / background),
//      trained at start-up on a separate seeded set of frames (deterministic: fixed seed, fixed
//      order, full-batch Adam), and a per-class linear box regression (about 1 px per side:
//      smoothing makes every component a little too large);
//   6. one detection per candidate and class with p ≥ minScore; class-aware NMS.
//
// The int8 path runs the same algorithm with integer arithmetic where the work is: the 8-bit
// camera image, integer box sums and integral images (Int32), an integer threshold test that
// needs no division (|s·n − Σ| > t·n), and an int8 MLP (int8 weights per output channel,
// int8 activations, int32 accumulators, fixed-point requantization). Per-candidate feature
// arithmetic and the box regression stay in float in both paths (a dozen candidates a frame).
//
// What it cannot do: split two touching objects of the same polarity (they become one
// component), or join an object that its own details cut into pieces (a bright car whose dark
// tyres are a separate component loses its bottom rows). Those are most of its misses.

// MARK: - Configuration

struct DetectorConfig: Sendable {
  /// Radius of the background window in pixels (rounded to 2×2 cells: 16 → 17×17 cells).
  var windowRadius = 16
  /// Background estimates: the first is a plain window mean, each further one leaves the
  /// previous foreground out.
  var backgroundPasses = 3
  /// The first pass uses a lower threshold (threshold × seedFactor): it only decides which
  /// pixels to leave out of the next background estimate, so it should rather exclude too much.
  var seedFactor: Float = 0.5
  /// Threshold = max(contrastFactor · spread, noiseFactor · σ / 3), where spread is the 90th −
  /// 10th percentile of the frame's intensities and σ the estimated sensor noise (÷ 3: the
  /// 3×3 mean reduces the noise by that much).
  var contrastFactor: Float = 0.16
  var noiseFactor: Float = 4
  /// Components smaller than this many pixels are ignored.
  var minPixels = 8
  /// Detections below this class probability are not reported.
  var minScore = 0.05
  /// IoU threshold of the class-aware NMS.
  var nmsIoU = 0.5
  /// Classifier size and training.
  var hiddenUnits = 16
  var epochs = 250
  var learningRate: Float = 0.02
  var trainingFrames = 150
  var trainingSeed: UInt64 = 2024
  var sceneConfig = SceneConfig()

  init() {}
}

/// A candidate region: its box and the classifier's input.
struct Candidate: Sendable {
  var box: Box
  var features: [Float]
}

/// Number of features per candidate.
let detectorFeatureCount = 21
/// Classifier outputs: the three object classes and background.
let detectorClassCount = 4

// MARK: - Stage 1–2, float: foreground from local contrast

/// Foreground mask and signed contrast (pixel − local background) of one frame.
struct ForegroundMap: Sendable {
  let width: Int
  let height: Int
  /// 0 background, 1 brighter than the local background, 2 darker.
  var mask: [UInt8]
  /// Contrast at foreground pixels (0 elsewhere), in image units (0…1).
  var contrast: [Float]
  /// The threshold used, in image units.
  var threshold: Float
}

/// The float path: `image` is a single-channel Float image in [0, 1].
/// (Hot loops use unsafe buffers: no bounds checks, no copy-on-write checks.)
func foregroundFloat(_ image: Image, config: DetectorConfig) -> ForegroundMap {
  precondition(image.channels == 1, "grayscale input")
  let w = image.width
  let h = image.height
  let n = w * h
  let grid = CellGrid(width: w, height: h, windowRadius: config.windowRadius)
  let smooth = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
  let mask = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: n)
  let contrast = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
  let cellSums = UnsafeMutableBufferPointer<Float>.allocate(capacity: grid.cells)
  let cellCounts = UnsafeMutableBufferPointer<Float>.allocate(capacity: grid.cells)
  let sums = UnsafeMutableBufferPointer<Float>.allocate(capacity: grid.integralSize)
  let counts = UnsafeMutableBufferPointer<Float>.allocate(capacity: grid.integralSize)
  let background = UnsafeMutableBufferPointer<Float>.allocate(capacity: grid.cells)
  defer {
    for buffer in [smooth, contrast, cellSums, cellCounts, sums, counts, background] {
      buffer.deallocate()
    }
    mask.deallocate()
  }
  mask.initialize(repeating: 0)
  contrast.initialize(repeating: 0)
  sums.initialize(repeating: 0)
  counts.initialize(repeating: 0)

  var threshold: Float = 0
  image.pixels.withUnsafeBufferPointer { src in
    // 1. 3×3 box mean, edges replicated.
    boxMean3x3(src, into: smooth, width: w, height: h)
    // Contrast scale (10th–90th percentile spread) and noise (mean |horizontal difference|).
    var histogram = [Int](repeating: 0, count: 256)
    var diffSum: Float = 0
    var diffCount = 0
    for y in 0..<h {
      let row = y * w
      for x in 0..<w {
        let v = src[row + x]
        histogram[Int(min(1, max(0, v)) * 255 + 0.5)] += 1
        if x > 0 {
          let d = abs(v - src[row + x - 1])
          if d < 20.5 / 255 {  // skip edges: noise only
            diffSum += d
            diffCount += 1
          }
        }
      }
    }
    let spread = Float(histogramPercentile(histogram, 0.9) - histogramPercentile(histogram, 0.1))
    // E|a − b| = 2σ/√π for two independent N(0, σ²) samples; the 3×3 mean divides σ by 3.
    let sigma = diffCount > 0 ? diffSum / Float(diffCount) * 0.886 : 0
    threshold = max(
      config.contrastFactor * spread / 255, config.noiseFactor * sigma / 3, 2 / 255)
  }

  // 2. Local background, estimated per 2×2 cell (it varies slowly, so a quarter of the
  //    positions is plenty): the mean of the kept smoothed values in a window of cells.
  for pass in 0..<config.backgroundPasses {
    let t = pass == 0 ? threshold * config.seedFactor : threshold
    // Sum and count of the kept (not yet foreground) pixels of each cell.
    cellSums.initialize(repeating: 0)
    cellCounts.initialize(repeating: 0)
    for y in 0..<h {
      let cellRow = (y >> 1) * grid.columns
      let smoothRow = smooth.baseAddress! + y * w
      let maskRow = mask.baseAddress! + y * w
      for x in 0..<w where maskRow[x] == 0 {
        cellSums[cellRow + (x >> 1)] += smoothRow[x]
        cellCounts[cellRow + (x >> 1)] += 1
      }
    }
    grid.integrate(cellSums, into: sums)
    grid.integrate(cellCounts, into: counts)
    // Window mean per cell; −1 marks a cell whose whole window is foreground.
    for cy in 0..<grid.rows {
      for cx in 0..<grid.columns {
        let count = grid.windowSum(counts, cx, cy)
        background[cy * grid.columns + cx] = count >= 1 ? grid.windowSum(sums, cx, cy) / count : -1
      }
    }
    // Compare every pixel with the background of its cell.
    for y in 0..<h {
      let cellRow = background.baseAddress! + (y >> 1) * grid.columns
      let smoothRow = smooth.baseAddress! + y * w
      let maskRow = mask.baseAddress! + y * w
      let contrastRow = contrast.baseAddress! + y * w
      for x in 0..<w {
        let b = cellRow[x >> 1]
        guard b >= 0 else { continue }  // deep inside an object: keep the previous decision
        let diff = smoothRow[x] - b
        if diff > t {
          maskRow[x] = 1
          contrastRow[x] = diff
        } else if diff < -t {
          maskRow[x] = 2
          contrastRow[x] = diff
        } else {
          maskRow[x] = 0
          contrastRow[x] = 0
        }
      }
    }
  }
  return ForegroundMap(
    width: w, height: h, mask: Array(mask), contrast: Array(contrast), threshold: threshold)
}

/// The 2×2-cell grid on which the background is estimated, and its integral-image helpers.
private struct CellGrid {
  let columns: Int
  let rows: Int
  /// Window radius in cells.
  let radius: Int

  init(width: Int, height: Int, windowRadius: Int) {
    columns = (width + 1) / 2
    rows = (height + 1) / 2
    radius = max(1, windowRadius / 2)
  }

  var cells: Int { columns * rows }
  var integralSize: Int { (columns + 1) * (rows + 1) }

  /// integral[(y + 1)(columns + 1) + x + 1] = sum of values[0...y][0...x]; row and column 0 stay 0.
  func integrate<T: AdditiveArithmetic>(
    _ values: UnsafeMutableBufferPointer<T>, into integral: UnsafeMutableBufferPointer<T>
  ) {
    let stride = columns + 1
    for y in 0..<rows {
      var run = T.zero
      for x in 0..<columns {
        run += values[y * columns + x]
        integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + run
      }
    }
  }

  /// Sum over the window of cells around (cx, cy), clipped to the grid.
  @inline(__always)
  func windowSum<T: AdditiveArithmetic>(
    _ integral: UnsafeMutableBufferPointer<T>, _ cx: Int, _ cy: Int
  ) -> T {
    let stride = columns + 1
    let x0 = max(0, cx - radius)
    let x1 = min(columns, cx + radius + 1)
    let y0 = max(0, cy - radius) * stride
    let y1 = min(rows, cy + radius + 1) * stride
    return integral[y1 + x1] - integral[y1 + x0] - integral[y0 + x1] + integral[y0 + x0]
  }
}

/// 3×3 box mean with edge replication (separable: row sums, then column sums).
private func boxMean3x3(
  _ src: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>,
  width w: Int, height h: Int
) {
  let rowSum = UnsafeMutableBufferPointer<Float>.allocate(capacity: w * h)
  defer { rowSum.deallocate() }
  for y in 0..<h {
    let row = y * w
    for x in 0..<w {
      rowSum[row + x] = src[row + max(0, x - 1)] + src[row + x] + src[row + min(w - 1, x + 1)]
    }
  }
  for y in 0..<h {
    let up = max(0, y - 1) * w
    let row = y * w
    let down = min(h - 1, y + 1) * w
    for x in 0..<w {
      out[row + x] = (rowSum[up + x] + rowSum[row + x] + rowSum[down + x]) * (1 / 9)
    }
  }
}

/// The value below which `fraction` of the histogram's samples lie.
private func histogramPercentile(_ histogram: [Int], _ fraction: Double) -> Int {
  let total = histogram.reduce(0, +)
  let target = Int(Double(total) * fraction)
  var seen = 0
  for (bin, count) in histogram.enumerated() {
    seen += count
    if seen > target { return bin }
  }
  return histogram.count - 1
}

// MARK: - Stage 1–2, integer

/// The int8 path's first stage: the same computation on the 8-bit image with integer arithmetic.
/// Values are kept as 3×3 *sums* of 8-bit pixels (0…2295), so the test needs no division:
/// |s − Σ/n| > t becomes |s·n − Σ| > t·n. Int32 is enough: Σ over a whole frame is at most
/// 320·240·2295 ≈ 1.8·10⁸ < 2³¹.
func foregroundInteger(_ pixels: [UInt8], width w: Int, height h: Int, config: DetectorConfig)
  -> ForegroundMap
{
  precondition(pixels.count == w * h, "pixel count does not match size")
  let n = w * h
  let grid = CellGrid(width: w, height: h, windowRadius: config.windowRadius)
  let smooth = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
  let mask = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: n)
  let scaledContrast = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
  let cellSums = UnsafeMutableBufferPointer<Int32>.allocate(capacity: grid.cells)
  let cellCounts = UnsafeMutableBufferPointer<Int32>.allocate(capacity: grid.cells)
  let sums = UnsafeMutableBufferPointer<Int32>.allocate(capacity: grid.integralSize)
  let counts = UnsafeMutableBufferPointer<Int32>.allocate(capacity: grid.integralSize)
  let windowSums = UnsafeMutableBufferPointer<Int32>.allocate(capacity: grid.cells)
  let windowCounts = UnsafeMutableBufferPointer<Int32>.allocate(capacity: grid.cells)
  defer {
    for buffer in [
      smooth, scaledContrast, cellSums, cellCounts, sums, counts, windowSums, windowCounts,
    ] { buffer.deallocate() }
    mask.deallocate()
  }
  mask.initialize(repeating: 0)
  scaledContrast.initialize(repeating: 0)
  sums.initialize(repeating: 0)
  counts.initialize(repeating: 0)

  var t: Int32 = 0
  pixels.withUnsafeBufferPointer { src in
    boxSum3x3(src, into: smooth, width: w, height: h)
    var histogram = [Int](repeating: 0, count: 256)
    var diffSum = 0
    var diffCount = 0
    for y in 0..<h {
      let row = y * w
      for x in 0..<w {
        let v = Int(src[row + x])
        histogram[v] += 1
        if x > 0 {
          let d = abs(v - Int(src[row + x - 1]))
          if d <= 20 {
            diffSum += d
            diffCount += 1
          }
        }
      }
    }
    let spread = histogramPercentile(histogram, 0.9) - histogramPercentile(histogram, 0.1)
    // The float threshold expressed in 3×3-sum units (9 × 8-bit levels).
    let sigma = diffCount > 0 ? Double(diffSum) / Double(diffCount) * 0.886 : 0
    let byContrast = Double(config.contrastFactor) * Double(spread) * 9
    let byNoise = Double(config.noiseFactor) * sigma / 3 * 9
    t = Int32(max(byContrast, byNoise, 18).rounded())
  }

  for pass in 0..<config.backgroundPasses {
    let passT = pass == 0 ? Int32((Float(t) * config.seedFactor).rounded()) : t
    cellSums.initialize(repeating: 0)
    cellCounts.initialize(repeating: 0)
    for y in 0..<h {
      let cellRow = (y >> 1) * grid.columns
      let smoothRow = smooth.baseAddress! + y * w
      let maskRow = mask.baseAddress! + y * w
      for x in 0..<w where maskRow[x] == 0 {
        cellSums[cellRow + (x >> 1)] &+= smoothRow[x]
        cellCounts[cellRow + (x >> 1)] &+= 1
      }
    }
    grid.integrate(cellSums, into: sums)
    grid.integrate(cellCounts, into: counts)
    for cy in 0..<grid.rows {
      for cx in 0..<grid.columns {
        windowSums[cy * grid.columns + cx] = grid.windowSum(sums, cx, cy)
        windowCounts[cy * grid.columns + cx] = grid.windowSum(counts, cx, cy)
      }
    }
    for y in 0..<h {
      let cellOffset = (y >> 1) * grid.columns
      let smoothRow = smooth.baseAddress! + y * w
      let maskRow = mask.baseAddress! + y * w
      let contrastRow = scaledContrast.baseAddress! + y * w
      for x in 0..<w {
        let count = windowCounts[cellOffset + (x >> 1)]
        guard count >= 1 else { continue }  // deep inside an object: keep the previous decision
        let scaled = smoothRow[x] &* count &- windowSums[cellOffset + (x >> 1)]  // (s − mean)·n
        let limit = passT &* count
        if scaled > limit || scaled < -limit {
          maskRow[x] = scaled > 0 ? 1 : 2
          contrastRow[x] = scaled / count  // integer division, foreground pixels only
        } else {
          maskRow[x] = 0
        }
      }
    }
  }
  // Contrast in image units for the features (only foreground pixels are ever read).
  let unit: Float = 1 / (9 * 255)
  var contrast = [Float](repeating: 0, count: n)
  for i in 0..<n where mask[i] != 0 { contrast[i] = Float(scaledContrast[i]) * unit }
  return ForegroundMap(
    width: w, height: h, mask: Array(mask), contrast: contrast, threshold: Float(t) * unit)
}

/// 3×3 box sum of 8-bit pixels with edge replication, in Int32.
private func boxSum3x3(
  _ src: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<Int32>,
  width w: Int, height h: Int
) {
  let rowSum = UnsafeMutableBufferPointer<Int32>.allocate(capacity: w * h)
  defer { rowSum.deallocate() }
  for y in 0..<h {
    let row = y * w
    for x in 0..<w {
      rowSum[row + x] =
        Int32(src[row + max(0, x - 1)]) + Int32(src[row + x]) + Int32(src[row + min(w - 1, x + 1)])
    }
  }
  for y in 0..<h {
    let up = max(0, y - 1) * w
    let row = y * w
    let down = min(h - 1, y + 1) * w
    for x in 0..<w {
      out[row + x] = rowSum[up + x] + rowSum[row + x] + rowSum[down + x]
    }
  }
}

// MARK: - Stage 3–4: components and features

/// Connected components (8-connectivity, bright and dark pixels separately) of the foreground
/// and their features.
func candidates(from map: ForegroundMap, minPixels: Int) -> [Candidate] {
  let w = map.width
  let h = map.height
  var labels = [Int32](repeating: -1, count: w * h)
  var parent: [Int32] = []
  parent.reserveCapacity(256)

  func find(_ i: Int32) -> Int32 {
    var root = i
    while parent[Int(root)] != root { root = parent[Int(root)] }
    var j = i
    while parent[Int(j)] != root {
      let next = parent[Int(j)]
      parent[Int(j)] = root
      j = next
    }
    return root
  }
  func union(_ a: Int32, _ b: Int32) -> Int32 {
    let ra = find(a)
    let rb = find(b)
    if ra == rb { return ra }
    let (lo, hi) = ra < rb ? (ra, rb) : (rb, ra)
    parent[Int(hi)] = lo
    return lo
  }

  // Pass 1: provisional labels from the already visited neighbours (W, NW, N, NE).
  for y in 0..<h {
    let row = y * w
    for x in 0..<w where map.mask[row + x] != 0 {
      let polarity = map.mask[row + x]
      var label: Int32 = -1
      if x > 0 && map.mask[row + x - 1] == polarity { label = labels[row + x - 1] }
      if y > 0 {
        let up = row - w
        for nx in max(0, x - 1)...min(w - 1, x + 1) where map.mask[up + nx] == polarity {
          label = label < 0 ? labels[up + nx] : union(label, labels[up + nx])
        }
      }
      if label < 0 {
        label = Int32(parent.count)
        parent.append(label)
      }
      labels[row + x] = label
    }
  }
  guard !parent.isEmpty else { return [] }

  // Pass 2: resolve to roots, compact ids, accumulate statistics.
  var compact = [Int32](repeating: -1, count: parent.count)
  var stats: [ComponentStats] = []
  for y in 0..<h {
    let row = y * w
    for x in 0..<w where labels[row + x] >= 0 {
      let root = Int(find(labels[row + x]))
      if compact[root] < 0 {
        compact[root] = Int32(stats.count)
        stats.append(ComponentStats(x: x, y: y))
      }
      let id = Int(compact[root])
      labels[row + x] = Int32(id)
      stats[id].add(x: x, y: y, contrast: map.contrast[row + x])
    }
  }

  var result: [Candidate] = []
  for (id, s) in stats.enumerated() where s.count >= minPixels {
    let bw = s.maxX - s.minX + 1
    let bh = s.maxY - s.minY + 1
    guard bw >= 2 && bh >= 3 else { continue }
    // 3×3 occupancy grid and contrast by horizontal thirds: one pass over the box.
    var grid = [Float](repeating: 0, count: 9)
    var cells = [Float](repeating: 0, count: 9)
    var thirds = [Float](repeating: 0, count: 3)
    for y in s.minY...s.maxY {
      let gy = (y - s.minY) * 3 / bh
      let row = y * w
      for x in s.minX...s.maxX {
        let gx = (x - s.minX) * 3 / bw
        cells[gy * 3 + gx] += 1
        if labels[row + x] == Int32(id) {
          grid[gy * 3 + gx] += 1
          thirds[gy] += map.contrast[row + x]
        }
      }
    }
    let count = Float(s.count)
    let t = map.threshold
    let meanAbs = s.sumAbs / count
    var features: [Float] = [
      naturalLog(Float(bh)), naturalLog(Float(bw)), count / Float(bw * bh),  // size, fill
    ]
    for k in 0..<9 { features.append(cells[k] > 0 ? grid[k] / cells[k] : 0) }  // shape
    features.append(s.sum / count / t)  // mean contrast, in thresholds
    features.append(meanAbs / t)
    features.append(Float(s.positive) / count)  // polarity: 1 brighter, 0 darker
    for k in 0..<3 {  // mean contrast of the top, middle and bottom third, relative
      let pixelsInThird = grid[3 * k] + grid[3 * k + 1] + grid[3 * k + 2]
      features.append(pixelsInThird > 0 ? thirds[k] / pixelsInThird / meanAbs : 0)
    }
    features.append(Float(s.maxY + 1) / Float(h))
    features.append(Float(s.minY) / Float(h))
    let touches = s.minX == 0 || s.minY == 0 || s.maxX == w - 1 || s.maxY == h - 1
    features.append(touches ? 1 : 0)
    result.append(Candidate(
      box: Box(x1: Double(s.minX), y1: Double(s.minY), x2: Double(s.maxX + 1),
        y2: Double(s.maxY + 1)),
      features: features))
  }
  return result
}

private struct ComponentStats {
  var minX: Int
  var minY: Int
  var maxX: Int
  var maxY: Int
  var count = 0
  var sum: Float = 0
  var sumAbs: Float = 0
  var positive = 0

  init(x: Int, y: Int) {
    minX = x
    maxX = x
    minY = y
    maxY = y
  }

  mutating func add(x: Int, y: Int, contrast: Float) {
    minX = min(minX, x)
    maxX = max(maxX, x)
    minY = min(minY, y)
    maxY = max(maxY, y)
    count += 1
    sum += contrast
    sumAbs += abs(contrast)
    if contrast > 0 { positive += 1 }
  }
}

/// Natural log for features (a Float wrapper over the deterministic log).
@inline(__always)
private func naturalLog(_ x: Float) -> Float {
  Float(Deterministic.log(Double(x)))
}

// MARK: - Stage 5: the classifier

/// A one-hidden-layer perceptron: x → ReLU(W1·x + b1) → W2·h + b2 → softmax.
/// Weights are row-major [out][in]. Inputs are standardised with the training mean and std.
struct MLPClassifier: Sendable {
  var inputs: Int
  var hidden: Int
  var outputs: Int
  var mean: [Float]
  var std: [Float]
  var w1: [Float]
  var b1: [Float]
  var w2: [Float]
  var b2: [Float]

  func standardized(_ x: [Float]) -> [Float] {
    (0..<inputs).map { (x[$0] - mean[$0]) / std[$0] }
  }

  /// Hidden activations for a standardised input.
  func hiddenActivations(_ z: [Float]) -> [Float] {
    (0..<hidden).map { j in
      var a = b1[j]
      for i in 0..<inputs { a += w1[j * inputs + i] * z[i] }
      return max(0, a)
    }
  }

  /// Logits for a standardised input.
  func logits(standardized z: [Float]) -> [Float] {
    let hActs = hiddenActivations(z)
    return (0..<outputs).map { k in
      var a = b2[k]
      for j in 0..<hidden { a += w2[k * hidden + j] * hActs[j] }
      return a
    }
  }

  /// Class probabilities for a raw feature vector.
  func probabilities(_ x: [Float]) -> [Float] {
    softmax(logits(standardized: standardized(x)))
  }

  /// Class probabilities for a standardised feature vector.
  func probabilities(standardized z: [Float]) -> [Float] {
    softmax(logits(standardized: z))
  }

  /// Full-batch Adam on cross-entropy with a little L2; deterministic for a given seed.
  static func train(
    samples: [[Float]], labels: [Int], hidden: Int, outputs: Int, epochs: Int,
    learningRate: Float, seed: UInt64
  ) -> MLPClassifier {
    let n = samples.count
    let d = samples[0].count
    // Standardise.
    var mean = [Float](repeating: 0, count: d)
    var std = [Float](repeating: 0, count: d)
    for s in samples { for i in 0..<d { mean[i] += s[i] } }
    for i in 0..<d { mean[i] /= Float(n) }
    for s in samples { for i in 0..<d { std[i] += (s[i] - mean[i]) * (s[i] - mean[i]) } }
    for i in 0..<d { std[i] = max(1e-3, (std[i] / Float(n)).squareRoot()) }
    let z = samples.map { s in (0..<d).map { (s[$0] - mean[$0]) / std[$0] } }

    // He initialisation from the seeded generator.
    var rng = SplitMix64(seed: seed)
    var params = [Float]()
    let s1 = Float((2 / Double(d)).squareRoot())
    let s2 = Float((2 / Double(hidden)).squareRoot())
    for _ in 0..<(hidden * d) { params.append(Float(rng.normal()) * s1) }
    params += [Float](repeating: 0, count: hidden)
    for _ in 0..<(outputs * hidden) { params.append(Float(rng.normal()) * s2) }
    params += [Float](repeating: 0, count: outputs)
    let o1 = hidden * d
    let o2 = o1 + hidden
    let o3 = o2 + outputs * hidden

    // Class weights: inverse frequency, so rare classes count as much as background.
    var freq = [Float](repeating: 0, count: outputs)
    for l in labels { freq[l] += 1 }
    let classWeight = freq.map { $0 > 0 ? Float(n) / (Float(outputs) * $0) : 0 }

    // The training loop works on flat buffers (no bounds checks: this is the start-up cost).
    let count = params.count
    let p = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
    let grad = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
    let m = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
    let v = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
    let x = UnsafeMutableBufferPointer<Float>.allocate(capacity: n * d)
    let hAct = UnsafeMutableBufferPointer<Float>.allocate(capacity: hidden)
    let dh = UnsafeMutableBufferPointer<Float>.allocate(capacity: hidden)
    let prob = UnsafeMutableBufferPointer<Float>.allocate(capacity: outputs)
    defer { for buffer in [p, grad, m, v, x, hAct, dh, prob] { buffer.deallocate() } }
    _ = p.initialize(from: params)
    m.initialize(repeating: 0)
    v.initialize(repeating: 0)
    for (i, row) in z.enumerated() { for j in 0..<d { x[i * d + j] = row[j] } }
    let beta1: Float = 0.9
    let beta2: Float = 0.999
    var beta1t: Float = 1
    var beta2t: Float = 1
    let l2: Float = 1e-4
    for _ in 0..<epochs {
      grad.initialize(repeating: 0)
      var totalWeight: Float = 0
      for sample in 0..<n {
        let xs = x.baseAddress! + sample * d
        // Forward: hidden = ReLU(W1 x + b1), logits = W2 hidden + b2, softmax.
        for j in 0..<hidden {
          let w = p.baseAddress! + j * d
          var a = p[o1 + j]
          for i in 0..<d { a += w[i] * xs[i] }
          hAct[j] = max(0, a)
        }
        var top = -Float.infinity
        for k in 0..<outputs {
          let w = p.baseAddress! + o2 + k * hidden
          var a = p[o3 + k]
          for j in 0..<hidden { a += w[j] * hAct[j] }
          prob[k] = a
          top = max(top, a)
        }
        var total: Float = 0
        for k in 0..<outputs {
          prob[k] = Float(Deterministic.exp(Double(prob[k] - top)))
          total += prob[k]
        }
        // Backward: d(loss)/d(logit k) = p_k − [k = label], weighted by the class weight.
        let label = labels[sample]
        let cw = classWeight[label]
        totalWeight += cw
        for j in 0..<hidden { dh[j] = 0 }
        for k in 0..<outputs {
          let g = (prob[k] / total - (k == label ? 1 : 0)) * cw
          grad[o3 + k] += g
          let w = p.baseAddress! + o2 + k * hidden
          let gw = grad.baseAddress! + o2 + k * hidden
          for j in 0..<hidden {
            gw[j] += g * hAct[j]
            dh[j] += g * w[j]
          }
        }
        for j in 0..<hidden where hAct[j] > 0 {
          grad[o1 + j] += dh[j]
          let gw = grad.baseAddress! + j * d
          for i in 0..<d { gw[i] += dh[j] * xs[i] }
        }
      }
      // Adam step; L2 on the weights, not on the biases.
      beta1t *= beta1
      beta2t *= beta2
      for i in 0..<count {
        let g = grad[i] / totalWeight + (i < o1 || (i >= o2 && i < o3) ? l2 * p[i] : 0)
        m[i] = beta1 * m[i] + (1 - beta1) * g
        v[i] = beta2 * v[i] + (1 - beta2) * g * g
        let mHat = m[i] / (1 - beta1t)
        let vHat = v[i] / (1 - beta2t)
        p[i] -= learningRate * mHat / (vHat.squareRoot() + 1e-7)
      }
    }
    params = Array(p)
    return MLPClassifier(
      inputs: d, hidden: hidden, outputs: outputs, mean: mean, std: std,
      w1: Array(params[0..<o1]), b1: Array(params[o1..<o2]), w2: Array(params[o2..<o3]),
      b2: Array(params[o3...]))
  }
}

/// Softmax with the max subtracted first (numerically safe), via the deterministic exp.
func softmax(_ logits: [Float]) -> [Float] {
  let top = logits.max() ?? 0
  let e = logits.map { Float(Deterministic.exp(Double($0 - top))) }
  let total = e.reduce(0, +)
  return e.map { $0 / total }
}

/// The MLP with int8 weights (symmetric, per output neuron) and int8 activations: inputs
/// symmetric per tensor, hidden activations (≥ 0 after ReLU) asymmetric with zero point −128.
/// Accumulation in Int32, requantization by fixed-point multipliers, logits back to float for
/// the final softmax (as int8 deployments usually do for the last, tiny layer).
struct QuantizedMLP: Sendable {
  var base: MLPClassifier
  var inputParams: QuantParams
  var hiddenParams: QuantParams
  var w1: QuantizedTensor
  var w2: QuantizedTensor
  var b1: [Int32]
  var b2: [Int32]
  var hiddenMultipliers: [FixedPointMultiplier]
  /// Real value of one unit of output accumulator k.
  var outputScales: [Float]

  /// Quantize `mlp`, calibrating activation ranges on `calibration` (raw feature vectors).
  init(_ mlp: MLPClassifier, calibration: [[Float]]) {
    base = mlp
    let standardized = calibration.map(mlp.standardized)
    // Clip the input range at the 99.9th percentile of |z|: a few outliers should not
    // coarsen the grid for everyone.
    let magnitudes = standardized.flatMap { $0.map(abs) }.sorted()
    let clip = magnitudes.isEmpty ? 1 : magnitudes[min(magnitudes.count - 1,
      Int(Double(magnitudes.count) * 0.999))]
    inputParams = .symmetric(maxAbs: clip)
    let hiddenMax = standardized.map { mlp.hiddenActivations($0).max() ?? 0 }.max() ?? 1
    hiddenParams = .asymmetric(min: 0, max: hiddenMax)
    let q1 = QuantizedTensor(perChannel: mlp.w1, channels: mlp.hidden, symmetric: true)
    let q2 = QuantizedTensor(perChannel: mlp.w2, channels: mlp.outputs, symmetric: true)
    let sIn = inputParams.scale
    let sH = hiddenParams.scale
    let scales = (0..<mlp.outputs).map { k in sH * q2.params[k].scale }
    w1 = q1
    w2 = q2
    b1 = (0..<mlp.hidden).map { j in
      Int32((mlp.b1[j] / (sIn * q1.params[j].scale)).rounded(.toNearestOrEven))
    }
    hiddenMultipliers = (0..<mlp.hidden).map { j in
      FixedPointMultiplier(Double(sIn) * Double(q1.params[j].scale) / Double(sH))
    }
    outputScales = scales
    b2 = (0..<mlp.outputs).map { k in
      Int32((mlp.b2[k] / scales[k]).rounded(.toNearestOrEven))
    }
  }

  /// Class probabilities for a standardised feature vector.
  func probabilities(standardized z: [Float]) -> [Float] {
    let xq = z.map { Int32(inputParams.quantize($0)) }
    let d = base.inputs
    var hq = [Int32](repeating: 0, count: base.hidden)
    for j in 0..<base.hidden {
      var acc = b1[j]
      for i in 0..<d { acc &+= Int32(w1.values[j * d + i]) &* xq[i] }
      acc = max(0, acc)  // ReLU on the accumulator
      // int8 hidden activation, then remove its zero point for the next layer.
      let q = requantize(acc, hiddenMultipliers[j], outputZeroPoint: hiddenParams.zeroPoint)
      hq[j] = Int32(q) - hiddenParams.zeroPoint
    }
    var logits = [Float](repeating: 0, count: base.outputs)
    for k in 0..<base.outputs {
      var acc = b2[k]
      for j in 0..<base.hidden { acc &+= Int32(w2.values[k * base.hidden + j]) &* hq[j] }
      logits[k] = Float(acc) * outputScales[k]
    }
    return softmax(logits)
  }
}

// MARK: - Stage 5b: box refinement

/// Per-class linear box regression (the "bounding-box regression" of R-CNN, in its simplest
/// form): from the standardised features to corrections (Δx1, Δy1, Δx2, Δy2) in pixels, fitted
/// by ridge regression in closed form. It learns, e.g., that the 3×3 smoothing makes every
/// component about a pixel too large on each side.
struct BoxRegressor: Sendable {
  /// weights[class][side] has one weight per feature plus a bias (last).
  var weights: [[[Float]]]

  /// Fit on candidates matched to objects: features (already standardised), class, target box.
  static func fit(
    features: [[Float]], labels: [Int], candidateBoxes: [Box], targets: [Box], classes: Int,
    ridge: Double = 1
  ) -> BoxRegressor {
    let d = (features.first?.count ?? 0) + 1
    var weights: [[[Float]]] = []
    for k in 0..<classes {
      let rows = labels.indices.filter { labels[$0] == k }
      // Normal equations (XᵀX + λI) w = Xᵀy, one right-hand side per box side.
      var xtx = [Double](repeating: 0, count: d * d)
      var xty = [[Double]](repeating: [Double](repeating: 0, count: d), count: 4)
      for i in rows {
        let x = features[i].map(Double.init) + [1]
        let c = candidateBoxes[i]
        let t = targets[i]
        let y = [t.x1 - c.x1, t.y1 - c.y1, t.x2 - c.x2, t.y2 - c.y2]
        for a in 0..<d {
          for b in 0..<d { xtx[a * d + b] += x[a] * x[b] }
          for side in 0..<4 { xty[side][a] += x[a] * y[side] }
        }
      }
      for a in 0..<(d - 1) { xtx[a * d + a] += ridge }  // the bias is not penalised
      if rows.isEmpty { xtx[(d - 1) * d + d - 1] = 1 }
      weights.append((0..<4).map { side in solveLinearSystem(xtx, xty[side], n: d).map(Float.init) })
    }
    return BoxRegressor(weights: weights)
  }

  /// The candidate box corrected for class `label` (each correction limited to a quarter of
  /// the box size, so a wild prediction cannot move a box far away).
  func refine(_ box: Box, standardizedFeatures z: [Float], label: Int) -> Box {
    var delta = [Double](repeating: 0, count: 4)
    for side in 0..<4 {
      let w = weights[label][side]
      var a = w[w.count - 1]
      for i in 0..<z.count { a += w[i] * z[i] }
      let limit = (side % 2 == 0 ? box.width : box.height) / 4
      delta[side] = min(limit, max(-limit, Double(a)))
    }
    return Box(
      x1: box.x1 + delta[0], y1: box.y1 + delta[1], x2: box.x2 + delta[2], y2: box.y2 + delta[3])
  }
}

/// Solves A x = b (A n×n, row-major) by Gaussian elimination with partial pivoting.
private func solveLinearSystem(_ a: [Double], _ b: [Double], n: Int) -> [Double] {
  var m = a
  var rhs = b
  for col in 0..<n {
    var pivot = col
    for row in (col + 1)..<n where abs(m[row * n + col]) > abs(m[pivot * n + col]) {
      pivot = row
    }
    if pivot != col {
      for k in 0..<n { m.swapAt(col * n + k, pivot * n + k) }
      rhs.swapAt(col, pivot)
    }
    let p = m[col * n + col]
    guard abs(p) > 1e-12 else { continue }
    for row in (col + 1)..<n {
      let f = m[row * n + col] / p
      guard f != 0 else { continue }
      for k in col..<n { m[row * n + k] -= f * m[col * n + k] }
      rhs[row] -= f * rhs[col]
    }
  }
  var x = [Double](repeating: 0, count: n)
  for row in stride(from: n - 1, through: 0, by: -1) {
    var sum = rhs[row]
    for k in (row + 1)..<n { sum -= m[row * n + k] * x[k] }
    let p = m[row * n + row]
    x[row] = abs(p) > 1e-12 ? sum / p : 0
  }
  return x
}

// MARK: - The detector

/// The trained detector: configuration, float classifier and its int8 version.
struct TinyDetector: Sendable {
  var config: DetectorConfig
  var classifier: MLPClassifier
  var quantizedClassifier: QuantizedMLP
  var boxRegressor: BoxRegressor
  /// Number of training candidates per class (pedestrian, vehicle, obstacle, background).
  var trainingCounts: [Int]

  /// Train on `config.trainingFrames` frames of a generator seeded with `config.trainingSeed`
  /// (disjoint from any evaluation seed you choose). Candidates that match an object with
  /// IoU ≥ 0.5 take its class; all others are background.
  static func train(config: DetectorConfig = DetectorConfig()) -> TinyDetector {
    let generator = SceneGenerator(seed: config.trainingSeed, config: config.sceneConfig)
    var samples: [[Float]] = []
    var labels: [Int] = []
    var boxes: [Box] = []
    var targets: [Box] = []
    for index in 0..<config.trainingFrames {
      let scene = generator.scene(index)
      let found = candidates(
        from: foregroundFloat(scene.image, config: config), minPixels: config.minPixels)
      for c in found {
        var best = 0.5
        var label = detectorClassCount - 1
        var target = c.box
        for object in scene.objects {
          let overlap = iou(c.box, object.box)
          if overlap >= best {
            best = overlap
            label = object.label
            target = object.box
          }
        }
        samples.append(c.features)
        labels.append(label)
        boxes.append(c.box)
        targets.append(target)
      }
    }
    let mlp = MLPClassifier.train(
      samples: samples, labels: labels, hidden: config.hiddenUnits,
      outputs: detectorClassCount, epochs: config.epochs, learningRate: config.learningRate,
      seed: config.trainingSeed)
    let regressor = BoxRegressor.fit(
      features: samples.map(mlp.standardized), labels: labels, candidateBoxes: boxes,
      targets: targets, classes: detectorClassCount - 1)
    var counts = [Int](repeating: 0, count: detectorClassCount)
    for l in labels { counts[l] += 1 }
    return TinyDetector(
      config: config, classifier: mlp,
      quantizedClassifier: QuantizedMLP(mlp, calibration: samples), boxRegressor: regressor,
      trainingCounts: counts)
  }

  /// Float path on a Float image in [0, 1].
  func detect(_ image: Image, imageID: Int = 0, nms: Bool = true) -> [Detection] {
    let found = candidates(
      from: foregroundFloat(image, config: config), minPixels: config.minPixels)
    return decide(found, imageID: imageID, nms: nms) { classifier.probabilities(standardized: $0) }
  }

  /// int8 path on the 8-bit camera image.
  func detectInt8(
    _ pixels: [UInt8], width: Int, height: Int, imageID: Int = 0, nms: Bool = true
  ) -> [Detection] {
    let found = candidates(
      from: foregroundInteger(pixels, width: width, height: height, config: config),
      minPixels: config.minPixels)
    return decide(found, imageID: imageID, nms: nms) {
      quantizedClassifier.probabilities(standardized: $0)
    }
  }

  /// Classify candidates, keep (candidate, class) pairs above `minScore` with the box refined
  /// for that class, then class-aware NMS.
  private func decide(
    _ found: [Candidate], imageID: Int, nms: Bool, probabilities: ([Float]) -> [Float]
  ) -> [Detection] {
    var detections: [Detection] = []
    for c in found {
      let z = classifier.standardized(c.features)
      let p = probabilities(z)
      for k in 0..<(detectorClassCount - 1) where Double(p[k]) >= config.minScore {
        let box = boxRegressor.refine(c.box, standardizedFeatures: z, label: k)
        detections.append(Detection(imageID: imageID, label: k, box: box, score: Double(p[k])))
      }
    }
    return nms ? suppress(detections) : detections
  }

  /// Class-aware NMS at `config.nmsIoU` (torchvision's batched_nms semantics), highest score
  /// first. Separate from `detect` so its cost can be measured on its own.
  func suppress(_ detections: [Detection]) -> [Detection] {
    guard !detections.isEmpty else { return detections }
    let keep = batchedNMS(
      boxes: detections.map(\.box), scores: detections.map(\.score),
      labels: detections.map(\.label), iouThreshold: config.nmsIoU)
    return keep.map { detections[$0] }
  }
}

extension Image {
  /// The image as 8-bit values (round(v · 255), clamped), as a camera delivers it.
  func bytes() -> [UInt8] {
    // + 0.5 and truncation: round half up for the non-negative values (no libm call).
    pixels.map { UInt8(min(255, max(0, $0 * 255 + 0.5))) }
  }
}
