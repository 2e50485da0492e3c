// snippet.uses: Box.swift Detection.swift Image.swift Random.swift
//
// A seeded generator of synthetic driving-like frames with exact ground truth, used by the
// tiny detector and its benchmark. Each frame (320×240 grayscale by default, values in [0, 1],
// quantised to 8 bits like a camera) shows:
// - background: sky with a vertical gradient and a low tree line at the horizon, hazy far
//   ground, a road trapezoid towards a vanishing point, grass verges, a dashed centre line and
//   worn solid edge lines, soft shadows / stains on the road;
// - objects, painted far to near so nearer ones occlude farther ones:
//   0 pedestrian (tall and thin: head, torso, arms, walking legs),
//   1 vehicle (seen from behind, wide: cabin with a dark rear window, body, lights, wheels),
//   2 obstacle (a traffic cone, or a crate / barrier block);
//   each darker than the darkest or brighter than the brightest background behind it by a
//   random contrast (0.12–0.32 before lighting), with parts of other shades; sized from 8 px up
//   to a third of the frame, placed with a rough ground-plane perspective (small ones near the
//   horizon), sometimes cut by the frame edge or partly hidden behind a nearer object (30% of
//   objects may overlap others; the rest keep a 2 px gap);
// - per-frame lighting (gain 0.5–1.2, offset, vignetting), optical blur and sensor noise.
// Ground truth is the *visible* extent of each object (as in COCO): computed from an object-id
// buffer after occlusion and clipping. Objects less than half visible are removed from the
// frame entirely, so everything in the picture is labelled.
// The same (seed, index) always gives the same frame, bit for bit, on every platform: only the
// SplitMix64 stream, IEEE +, −, ×, ÷, √ and `Deterministic.log/exp` are used.

/// The three object classes, with the integer labels used in `GroundTruth` and `Detection`.
enum ObjectClass: Int, CaseIterable, Sendable {
  case pedestrian = 0
  case vehicle = 1
  case obstacle = 2

  var name: String {
    switch self {
    case .pedestrian: "pedestrian"
    case .vehicle: "vehicle"
    case .obstacle: "obstacle"
    }
  }
}

/// How frames are generated. The defaults are the "hard" set of the detector benchmark.
struct SceneConfig: Sendable {
  var width = 320
  var height = 240
  /// Objects placed per frame (some may be removed again when hidden too much).
  var objectCount: ClosedRange<Int> = 2...7
  /// Class probabilities: pedestrian, vehicle, obstacle.
  var classWeights: [Double] = [0.4, 0.35, 0.25]
  /// Object size range: the larger side in pixels, up to `maxSizeFraction` of the frame height
  /// (vehicles: of the frame width, since they are the wide ones).
  var minSize = 8.0
  var maxSizeFraction = 1.0 / 3.0
  /// Contrast between an object and what is behind it, before lighting.
  var contrast: ClosedRange<Double> = 0.12...0.32
  /// Per-frame lighting: value' = gain · value · vignette + offset.
  var gain: ClosedRange<Double> = 0.5...1.2
  var offset: ClosedRange<Double> = -0.05...0.1
  var vignetting: ClosedRange<Double> = 0...0.25
  /// Standard deviation of the sensor noise (after lighting).
  var noise: ClosedRange<Double> = 0.005...0.03
  /// Objects keep at least this fraction of their pixels visible (occlusion and frame edge).
  var minVisibleFraction = 0.5
  /// Probability that a new object may overlap the ones already placed (occlusion); otherwise
  /// it keeps a gap of at least 2 px to all of them. Placement is retried a few times, then the
  /// object is left out.
  var occlusionProbability = 0.3
  /// When overlapping, two objects' full boxes share at most this fraction of the smaller box.
  var maxOverlap = 0.35
  /// Probability that an object is pushed towards a frame edge (truncation).
  var edgeProbability = 0.12

  init() {}
}

/// One labelled object of a generated frame.
struct SceneObject: Sendable, Equatable {
  var label: Int
  /// Visible extent (pixel-aligned), the ground-truth box.
  var box: Box
  /// The full, unoccluded, unclipped extent.
  var fullBox: Box
  /// Visible pixels / all pixels of the object's shape.
  var visibleFraction: Double
  var visiblePixels: Int
}

/// A generated frame with its objects and the parameters it was made with.
struct Scene: Sendable {
  var image: Image
  var objects: [SceneObject]
  var gain: Double
  var offset: Double
  var noise: Double

  /// The objects as ground truth records for evaluation.
  func groundTruths(imageID: Int) -> [GroundTruth] {
    objects.map { GroundTruth(imageID: imageID, label: $0.label, box: $0.box) }
  }
}

/// Deterministic frame source: `scene(i)` depends only on (seed, i, config).
struct SceneGenerator: Sendable {
  var seed: UInt64
  var config: SceneConfig

  init(seed: UInt64, config: SceneConfig = SceneConfig()) {
    self.seed = seed
    self.config = config
  }

  /// Frame number `index` of this generator's sequence.
  func scene(_ index: Int) -> Scene {
    var rng = SplitMix64.derived(seed: seed, stream: UInt64(index))
    return SceneRenderer(config: config).render(using: &rng)
  }

  /// Frames `0..<count`.
  func scenes(_ count: Int) -> [Scene] {
    (0..<count).map(scene)
  }
}

// MARK: - Rendering

/// Everything needed to paint one object: where, what, and its colours.
private struct PlacedObject {
  var kind: ObjectClass
  /// Shape variant: walking-leg spread for pedestrians, 0 = cone / 1 = crate for obstacles.
  var variant: Double
  var x0: Double
  var y0: Double
  var w: Double
  var h: Double
  /// Signed contrast of the main colour against the background (negative: darker).
  var contrast: Double
  var detailContrast: Double
}

private struct SceneRenderer {
  let config: SceneConfig
  var width: Int { config.width }
  var height: Int { config.height }

  func render(using rng: inout SplitMix64) -> Scene {
    let layout = RoadLayout(width: width, height: height, using: &rng)
    var pixels = layout.background(using: &rng)

    // Place objects, then drop the ones that end up hidden too much, worst first.
    var objects: [PlacedObject] = []
    for _ in 0..<rng.int(in: config.objectCount) {
      let mayOverlap = rng.bernoulli(config.occlusionProbability)
      for _ in 0..<8 {
        let candidate = place(layout, using: &rng)
        let fits = objects.allSatisfy {
          mayOverlap ? overlap(candidate, $0) <= config.maxOverlap : overlap(candidate, $0, gap: 2) == 0
        }
        if fits {
          objects.append(candidate)
          break
        }
      }
    }
    objects.sort { $0.y0 + $0.h < $1.y0 + $1.h }  // far (higher bottom edge) first
    var ids: [Int16]
    var stats: [(box: Box, visible: Int, total: Int)]
    while true {
      (ids, stats) = paintIDs(objects)
      let fractions = stats.map { $0.total == 0 ? 0 : Double($0.visible) / Double($0.total) }
      guard let worst = fractions.indices.min(by: { fractions[$0] < fractions[$1] }),
        fractions[worst] < config.minVisibleFraction || stats[worst].box.width < 2
          || stats[worst].box.height < 3
      else { break }
      objects.remove(at: worst)
    }

    // Colours: darker than the darkest or brighter than the brightest background pixel behind
    // the object, by its contrast (flipped when that would leave the displayable range).
    for (k, object) in objects.enumerated() {
      var lo = Float.infinity
      var hi = -Float.infinity
      forEachPixel(of: object) { x, y, _ in
        guard x >= 0 && x < width && y >= 0 && y < height else { return }
        lo = min(lo, pixels[y * width + x])
        hi = max(hi, pixels[y * width + x])
      }
      let c = abs(object.contrast)
      var darker = object.contrast < 0
      if darker && Double(lo) - c < 0.04 { darker = false }
      if !darker && Double(hi) + c > 0.96 { darker = true }
      let base = clamp(darker ? Double(lo) - c : Double(hi) + c, 0.04, 0.96)
      paint(object, id: Int16(k), base: base, darker: darker, ids: ids, into: &pixels)
    }

    // Lighting, optics, sensor.
    let gain = rng.uniform(config.gain.lowerBound, config.gain.upperBound)
    let offset = rng.uniform(config.offset.lowerBound, config.offset.upperBound)
    let vignette = rng.uniform(config.vignetting.lowerBound, config.vignetting.upperBound)
    let noise = rng.uniform(config.noise.lowerBound, config.noise.upperBound)
    let cx = Double(width) / 2
    for x in 0..<width {
      let d = (Double(x) + 0.5 - cx) / cx
      let g = Float(gain * (1 - vignette * d * d))
      for y in 0..<height {
        let i = y * width + x
        pixels[i] = pixels[i] * g + Float(offset)
      }
    }
    pixels = blur121(pixels, width: width, height: height)
    let sd = Float(noise)
    for i in pixels.indices {
      let v = pixels[i] + sd * rng.fastNormal()
      // 8-bit camera output (round half up; no libm call in this hot loop).
      pixels[i] = Float(Int(min(1, max(0, v)) * 255 + 0.5)) / 255
    }

    let sceneObjects = objects.indices.map { k in
      SceneObject(
        label: objects[k].kind.rawValue, box: stats[k].box,
        fullBox: Box(xywh: objects[k].x0, objects[k].y0, objects[k].w, objects[k].h),
        visibleFraction: Double(stats[k].visible) / Double(stats[k].total),
        visiblePixels: stats[k].visible)
    }
    return Scene(
      image: Image(width: width, height: height, channels: 1, pixels: pixels),
      objects: sceneObjects, gain: gain, offset: offset, noise: noise)
  }

  // MARK: Placement

  private func place(_ layout: RoadLayout, using rng: inout SplitMix64) -> PlacedObject {
    let kind = pickClass(using: &rng)
    let maxSide = Double(height) * config.maxSizeFraction
    var variant = 0.0
    var w: Double
    var h: Double
    // Ground-plane perspective: (bottom − horizon) ≈ k · object height in pixels, where k is
    // camera height / real object height.
    var k: Double
    switch kind {
    case .pedestrian:
      h = rng.logUniform(config.minSize + 1, maxSide)
      w = max(3, h * rng.uniform(0.3, 0.42))
      variant = rng.uniform(0, 0.12)
      k = 0.85
    case .vehicle:
      w = rng.logUniform(config.minSize + 2, Double(width) * config.maxSizeFraction)
      h = max(5, w * rng.uniform(0.55, 0.85))
      k = 1.0
    case .obstacle:
      variant = rng.bernoulli(0.55) ? 0 : 1
      h = rng.logUniform(config.minSize, maxSide * 0.8)
      w = max(4, h * (variant == 0 ? rng.uniform(0.55, 0.75) : rng.uniform(0.9, 1.5)))
      k = 2.0
    }
    w = w.rounded()
    h = h.rounded()
    let bottom = min(
      Double(height) + 0.3 * h, layout.horizon + 2 + k * h * rng.uniform(0.8, 1.25))
    // Horizontal position: vehicles mostly on the road, the rest anywhere; some pushed to an edge.
    var cx: Double
    if kind == .vehicle && rng.bernoulli(0.8) {
      let (left, right) = layout.roadEdges(atY: bottom)
      cx = rng.uniform(left + 0.1 * (right - left), right - 0.1 * (right - left))
    } else {
      cx = rng.uniform(0, Double(width))
    }
    if rng.bernoulli(config.edgeProbability) {
      cx = rng.bernoulli(0.5) ? rng.uniform(0, w * 0.3) : Double(width) - rng.uniform(0, w * 0.3)
    }
    let sign = rng.bernoulli(0.55) ? -1.0 : 1.0
    let contrast = sign * rng.uniform(config.contrast.lowerBound, config.contrast.upperBound)
    return PlacedObject(
      kind: kind, variant: variant, x0: (cx - w / 2).rounded(), y0: bottom.rounded() - h, w: w,
      h: h, contrast: contrast, detailContrast: rng.uniform(0.05, 0.12))
  }

  /// Intersection of the two full boxes (each grown by `gap` px) over the smaller one's area.
  private func overlap(_ a: PlacedObject, _ b: PlacedObject, gap: Double = 0) -> Double {
    let w = min(a.x0 + a.w, b.x0 + b.w) - max(a.x0, b.x0) + 2 * gap
    let h = min(a.y0 + a.h, b.y0 + b.h) - max(a.y0, b.y0) + 2 * gap
    guard w > 0 && h > 0 else { return 0 }
    return w * h / min(a.w * a.h, b.w * b.h)
  }

  private func pickClass(using rng: inout SplitMix64) -> ObjectClass {
    let total = config.classWeights.reduce(0, +)
    var u = rng.uniform(0, total)
    for (i, p) in config.classWeights.enumerated() {
      if u < p { return ObjectClass(rawValue: i)! }
      u -= p
    }
    return .obstacle
  }

  // MARK: Painting

  /// Paint object ids far to near; returns the id buffer and each object's visible box,
  /// visible pixel count and total shape pixel count (including parts outside the frame).
  private func paintIDs(_ objects: [PlacedObject]) -> ([Int16], [(box: Box, visible: Int, total: Int)]) {
    var ids = [Int16](repeating: -1, count: width * height)
    var totals = [Int](repeating: 0, count: objects.count)
    for (k, object) in objects.enumerated() {
      forEachPixel(of: object) { x, y, _ in
        totals[k] += 1
        if x >= 0 && x < width && y >= 0 && y < height { ids[y * width + x] = Int16(k) }
      }
    }
    var minX = [Int](repeating: Int.max, count: objects.count)
    var minY = minX
    var maxX = [Int](repeating: Int.min, count: objects.count)
    var maxY = maxX
    var visible = [Int](repeating: 0, count: objects.count)
    for y in 0..<height {
      for x in 0..<width {
        let id = Int(ids[y * width + x])
        guard id >= 0 else { continue }
        visible[id] += 1
        minX[id] = min(minX[id], x)
        maxX[id] = max(maxX[id], x)
        minY[id] = min(minY[id], y)
        maxY[id] = max(maxY[id], y)
      }
    }
    let stats = objects.indices.map { k in
      visible[k] == 0
        ? (box: Box(x1: 0, y1: 0, x2: 0, y2: 0), visible: 0, total: totals[k])
        : (
          box: Box(
            x1: Double(minX[k]), y1: Double(minY[k]), x2: Double(maxX[k] + 1),
            y2: Double(maxY[k] + 1)), visible: visible[k], total: totals[k]
        )
    }
    return (ids, stats)
  }

  /// Paint the visible pixels of object `id` (those the id buffer assigns to it).
  private func paint(
    _ object: PlacedObject, id: Int16, base: Double, darker: Bool, ids: [Int16],
    into pixels: inout [Float]
  ) {
    let polarity = darker ? -1.0 : 1.0
    let detail = object.detailContrast * polarity
    forEachPixel(of: object) { x, y, part in
      guard x >= 0 && x < width && y >= 0 && y < height && ids[y * width + x] == id else {
        return
      }
      let value: Double
      switch part {
      case .main: value = base
      case .detail: value = base + detail  // head, top face, stripe: same polarity, stronger
      case .dark: value = base * 0.45  // rear window, slats
      case .tyre: value = 0.06
      case .light: value = min(0.95, base + 0.3)
      }
      pixels[y * width + x] = Float(clamp(value, 0, 1))
    }
  }

  private enum Part { case main, detail, dark, tyre, light }

  /// Calls `body(x, y, part)` for every pixel whose centre lies inside the object's shape.
  private func forEachPixel(of o: PlacedObject, _ body: (Int, Int, Part) -> Void) {
    let x0 = Int(o.x0)
    let y0 = Int(o.y0)
    for py in y0..<(y0 + Int(o.h)) {
      let v = (Double(py - y0) + 0.5) / o.h
      for px in x0..<(x0 + Int(o.w)) {
        let u = (Double(px - x0) + 0.5) / o.w
        if let part = shape(o, u: u, v: v) { body(px, py, part) }
      }
    }
  }

  /// The part of the object at relative coordinates (u, v) in [0, 1)², or nil (background).
  private func shape(_ o: PlacedObject, u: Double, v: Double) -> Part? {
    switch o.kind {
    case .pedestrian:
      let du = (u - 0.5) / 0.24
      let dv = (v - 0.09) / 0.09
      if du * du + dv * dv <= 1 { return .detail }  // head
      if v >= 0.17 && v < 0.56 {
        if u >= 0.14 && u < 0.86 { return .main }  // torso
        if v < 0.5 && (u < 0.12 || u >= 0.88) { return .main }  // arms
        return nil
      }
      if v >= 0.56 {
        let spread = (v - 0.56) / 0.44 * o.variant  // walking: legs apart at the feet
        if u >= 0.14 - spread && u < 0.46 - spread { return .main }
        if u >= 0.54 + spread && u < 0.86 + spread { return .main }
      }
      return nil
    case .vehicle:
      if v < 0.42 {
        let margin = 0.1 + 0.12 * (1 - v / 0.42)  // cabin narrows towards the roof
        guard u >= margin && u < 1 - margin else { return nil }
        if v >= 0.1 && v < 0.36 && u >= margin + 0.06 && u < 1 - margin - 0.06 { return .dark }
        return .main
      }
      if v < 0.84 {
        if v >= 0.5 && v < 0.62 && (u < 0.14 || u >= 0.86) { return .light }
        return .main
      }
      if (u >= 0.06 && u < 0.3) || (u >= 0.7 && u < 0.94) { return .tyre }
      return nil
    case .obstacle:
      if o.variant == 0 {  // cone: a triangle on a base plate, with a reflective stripe
        if v >= 0.88 { return .main }
        let halfWidth = 0.5 * (0.18 + 0.82 * v / 0.88)
        guard abs(u - 0.5) <= halfWidth else { return nil }
        return v >= 0.38 && v < 0.56 ? .detail : .main
      }
      // crate / barrier block: lighter top face, dark vertical slats
      if v < 0.2 { return .detail }
      if abs(u - 0.33) < 0.04 || abs(u - 0.67) < 0.04 { return .dark }
      return .main
    }
  }
}

// MARK: - Background

/// The road geometry of one frame and the background painter.
private struct RoadLayout {
  let width: Int
  let height: Int
  let horizon: Double
  let vanishingX: Double
  /// Half-width of the road at the bottom edge of the frame.
  let bottomHalfWidth: Double
  let skyTop: Double
  let skyHorizon: Double
  let grass: Double
  let road: Double
  let marking: Double
  let edgeLine: Double
  let dashPhase: Double
  let treeLine: [Double]
  let treeContrast: Double

  init(width: Int, height: Int, using rng: inout SplitMix64) {
    self.width = width
    self.height = height
    horizon = (Double(height) * rng.uniform(0.36, 0.46)).rounded()
    vanishingX = Double(width) * rng.uniform(0.35, 0.65)
    bottomHalfWidth = Double(width) * rng.uniform(0.45, 0.75)
    skyTop = rng.uniform(0.55, 0.7)
    skyHorizon = skyTop + rng.uniform(0.05, 0.15)
    grass = rng.uniform(0.42, 0.52)
    road = rng.uniform(0.3, 0.38)
    marking = rng.uniform(0.55, 0.75)  // worn paint
    edgeLine = rng.uniform(0.08, 0.16)
    dashPhase = rng.uniform(0, 1)
    // A low, bumpy tree line just above the horizon: a random walk of heights.
    var line: [Double] = []
    var level = rng.uniform(2, 6)
    for _ in 0..<width {
      level = min(9, max(0, level + rng.uniform(-0.8, 0.8)))
      line.append(level)
    }
    treeLine = line
    treeContrast = rng.uniform(0.03, 0.08)
  }

  /// Left and right road edges at row y.
  func roadEdges(atY y: Double) -> (Double, Double) {
    let t = max(0, (y - horizon) / (Double(height) - horizon))
    let half = 1 + bottomHalfWidth * t
    return (vanishingX - half, vanishingX + half)
  }

  func background(using rng: inout SplitMix64) -> [Float] {
    var pixels = [Float](repeating: 0, count: width * height)
    let depthRange = Double(height) - horizon
    // Sky and tree line.
    for y in 0..<Int(horizon) {
      let t = Double(y) / horizon
      let sky = skyTop + (skyHorizon - skyTop) * t
      for x in 0..<width {
        let inTrees = Double(y) >= horizon - treeLine[x]
        pixels[y * width + x] = Float(inTrees ? sky - treeContrast : sky)
      }
    }
    // Ground: grass verges, road, markings.
    for y in Int(horizon)..<height {
      let t = (Double(y) + 0.5 - horizon) / depthRange  // 0 at the horizon, 1 at the bottom
      // Aerial perspective: far ground fades towards the colour of the sky at the horizon.
      let haze = (1 - t) * (1 - t) * (1 - t)
      let (left, right) = roadEdges(atY: Double(y) + 0.5)
      let lineWidth = 0.6 + 5 * t
      // Dashes: on for half of each period in ground distance; distance ∝ 1/t.
      let distance = 1 / max(t, 0.02)
      let dashOn = (distance * 0.6 + dashPhase).truncatingRemainder(dividingBy: 1) < 0.5
      for x in 0..<width {
        let px = Double(x) + 0.5
        var value: Double
        if px < left || px > right {
          value = grass - 0.04 * t
        } else {
          value = road + 0.03 * (1 - t)
          let centre = (left + right) / 2
          if dashOn && abs(px - centre) < lineWidth / 2 { value = marking }
          // Edge lines: solid, thinner and more worn than the centre dashes.
          if abs(px - left) < lineWidth / 4 + 0.3 || abs(px - right) < lineWidth / 4 + 0.3 {
            value = road + edgeLine
          }
        }
        pixels[y * width + x] = Float(value + (skyHorizon - 0.04 - value) * haze)
      }
    }
    // Soft shadows and stains on the ground: low-contrast ellipses.
    for _ in 0..<rng.int(in: 1...4) {
      let cx = rng.uniform(0, Double(width))
      let cy = rng.uniform(horizon + 5, Double(height))
      let rx = rng.uniform(8, 40)
      let ry = rx * rng.uniform(0.2, 0.5)
      let depth = Float(rng.uniform(0.03, 0.07))
      for y in max(0, Int(cy - ry))..<min(height, Int(cy + ry) + 1) {
        for x in max(0, Int(cx - rx))..<min(width, Int(cx + rx) + 1) {
          let dx = (Double(x) + 0.5 - cx) / rx
          let dy = (Double(y) + 0.5 - cy) / ry
          let r2 = dx * dx + dy * dy
          if r2 < 1 { pixels[y * width + x] -= depth * Float(1 - r2) }
        }
      }
    }
    return pixels
  }
}

// MARK: - Helpers

private func clamp(_ v: Double, _ lo: Double, _ hi: Double) -> Double {
  min(hi, max(lo, v))
}

/// Separable [1, 2, 1] / 4 blur with edge replication (a little optical blur).
private func blur121(_ input: [Float], width: Int, height: Int) -> [Float] {
  var tmp = input
  for y in 0..<height {
    let row = y * width
    for x in 0..<width {
      let l = input[row + max(0, x - 1)]
      let r = input[row + min(width - 1, x + 1)]
      tmp[row + x] = 0.25 * l + 0.5 * input[row + x] + 0.25 * r
    }
  }
  var out = tmp
  for y in 0..<height {
    let up = max(0, y - 1) * width
    let down = min(height - 1, y + 1) * width
    let row = y * width
    for x in 0..<width {
      out[row + x] = 0.25 * tmp[up + x] + 0.5 * tmp[row + x] + 0.25 * tmp[down + x]
    }
  }
  return out
}

// MARK: - ASCII rendering

extension Image {
  /// A coarse ASCII rendering of a single-channel image in [0, 1] (dark → light), `columns`
  /// characters wide; rows are sampled twice as coarsely, since characters are about twice as tall
  /// as they are wide.
  func ascii(columns: Int, ramp: [Character] = Array(" .:-=+*#%@")) -> [String] {
    let cell = Double(width) / Double(columns)
    let rowsOut = max(1, Int(Double(height) / (cell * 2)))
    var lines: [String] = []
    for r in 0..<rowsOut {
      var line = ""
      for c in 0..<columns {
        // Average over the cell.
        let xa = Int(Double(c) * cell)
        let xb = max(xa + 1, Int(Double(c + 1) * cell))
        let ya = Int(Double(r) * cell * 2)
        let yb = max(ya + 1, Int(Double(r + 1) * cell * 2))
        var sum: Float = 0
        for y in ya..<min(yb, height) {
          for x in xa..<min(xb, width) { sum += self[x, y] }
        }
        let mean = sum / Float((min(yb, height) - ya) * (min(xb, width) - xa))
        let level = Int((min(1, max(0, mean)) * Float(ramp.count - 1)).rounded())
        line.append(ramp[level])
      }
      lines.append(line)
    }
    return lines
  }
}
