// snippet.uses: Image.swift Convolution.swift
//
// int8 quantization as inference runtimes do it (the "affine" scheme of Jacob et al. 2018,
// gemmlowp, TFLite, PyTorch): real = scale · (q − zeroPoint).
//
// - Symmetric: zeroPoint = 0, q in [−127, 127], scale = max|x| / 127. Used for weights (the
//   "restricted range" of TFLite/TensorRT keeps −128 unused so that −q never overflows).
// - Asymmetric: q in [−128, 127], scale = (max − min) / 255 over a range stretched to include 0
//   (so that 0, e.g. zero padding, is exactly representable), zeroPoint = −128 − round(min/scale).
//   Used for activations, which are often all ≥ 0 after a ReLU.
// - Per-tensor: one (scale, zeroPoint) for the whole tensor; per-channel: one per output
//   channel of a weight tensor (channels with small weights no longer share a coarse scale).
// Rounding is to nearest, ties to even (PyTorch's `nearbyint`).

import Foundation

// MARK: - Parameters

/// One quantization grid: real = scale · (q − zeroPoint), q clamped to [qmin, qmax].
struct QuantParams: Equatable, Sendable {
  var scale: Float
  var zeroPoint: Int32
  var qmin: Int32
  var qmax: Int32

  /// Symmetric grid for values in [−maxAbs, maxAbs]: zeroPoint 0, q in [−127, 127].
  static func symmetric(maxAbs: Float) -> QuantParams {
    let scale = maxAbs > 0 ? maxAbs / 127 : 1
    return QuantParams(scale: scale, zeroPoint: 0, qmin: -127, qmax: 127)
  }

  /// Asymmetric (affine) grid for values in [min, max], stretched to include 0; q in [−128, 127].
  static func asymmetric(min lo: Float, max hi: Float) -> QuantParams {
    let lo = Swift.min(lo, 0)
    let hi = Swift.max(hi, 0)
    let scale = hi > lo ? (hi - lo) / 255 : 1
    let zero = Int32(-128 - (lo / scale).rounded(.toNearestOrEven))
    return QuantParams(scale: scale, zeroPoint: Swift.min(127, Swift.max(-128, zero)),
      qmin: -128, qmax: 127)
  }

  /// The grid that covers `values` (min/max calibration).
  static func fitting(_ values: some Collection<Float>, symmetric: Bool) -> QuantParams {
    guard let lo = values.min(), let hi = values.max() else { return .symmetric(maxAbs: 0) }
    return symmetric ? .symmetric(maxAbs: Swift.max(-lo, hi)) : .asymmetric(min: lo, max: hi)
  }

  /// q = clamp(round(x / scale) + zeroPoint, qmin, qmax).
  @inline(__always)
  func quantize(_ x: Float) -> Int8 {
    let q = (x / scale).rounded(.toNearestOrEven) + Float(zeroPoint)
    return Int8(Swift.min(Float(qmax), Swift.max(Float(qmin), q)))
  }

  /// x̂ = scale · (q − zeroPoint).
  @inline(__always)
  func dequantize(_ q: Int8) -> Float {
    scale * Float(Int32(q) - zeroPoint)
  }

  /// The real interval the grid can represent.
  var representableRange: ClosedRange<Float> {
    dequantize(Int8(qmin))...dequantize(Int8(qmax))
  }
}

// MARK: - Quantized tensors

/// An int8 tensor with one grid (per-tensor) or one grid per channel. Per-channel tensors are
/// stored channel-major, like a PyTorch weight `[outChannels, …]`: channel c owns
/// `values[c * channelLength ..< (c + 1) * channelLength]`.
struct QuantizedTensor: Sendable {
  var values: [Int8]
  var params: [QuantParams]
  var channelLength: Int

  /// Quantize with a single grid fitted to all values.
  init(perTensor real: [Float], symmetric: Bool) {
    let p = QuantParams.fitting(real, symmetric: symmetric)
    values = real.map(p.quantize)
    params = [p]
    channelLength = real.count
  }

  /// Quantize each of `channels` contiguous slices with its own grid.
  init(perChannel real: [Float], channels: Int, symmetric: Bool) {
    precondition(channels > 0 && real.count % channels == 0, "values must split into channels")
    channelLength = real.count / channels
    params = []
    values = []
    values.reserveCapacity(real.count)
    for c in 0..<channels {
      let slice = real[(c * channelLength)..<((c + 1) * channelLength)]
      let p = QuantParams.fitting(slice, symmetric: symmetric)
      params.append(p)
      values.append(contentsOf: slice.map(p.quantize))
    }
  }

  /// The grid that element `i` uses.
  @inline(__always)
  func params(at i: Int) -> QuantParams {
    params.count == 1 ? params[0] : params[i / channelLength]
  }

  /// Back to Float.
  func dequantized() -> [Float] {
    values.indices.map { params(at: $0).dequantize(values[$0]) }
  }
}

// MARK: - Error statistics

/// How far a reconstruction is from the original.
struct QuantizationError: Sendable {
  /// Largest |x − x̂|. With rounding to nearest it is at most scale/2 inside the range.
  var maxAbs: Double
  /// Mean of (x − x̂)². Uniform rounding noise gives about scale²/12.
  var mse: Double
  /// Signal-to-quantization-noise ratio 10·log10(Σx² / Σ(x − x̂)²) in dB; each extra bit of a
  /// well-used grid adds about 6.02 dB. +∞ for a perfect reconstruction.
  var sqnrDB: Double

  init(original: [Float], reconstructed: [Float]) {
    precondition(original.count == reconstructed.count && !original.isEmpty, "sizes differ")
    var maxAbs = 0.0
    var noise = 0.0
    var signal = 0.0
    for (x, y) in zip(original, reconstructed) {
      let e = Double(x) - Double(y)
      maxAbs = Swift.max(maxAbs, abs(e))
      noise += e * e
      signal += Double(x) * Double(x)
    }
    self.maxAbs = maxAbs
    self.mse = noise / Double(original.count)
    self.sqnrDB = noise == 0 ? .infinity : 10 * log10(signal / noise)
  }
}

// MARK: - Integer arithmetic

/// Dot product of two int8 vectors with int32 accumulation, each side offset by its zero point:
/// Σ (a − za)(b − zb). Products fit in 16 bits, so 2¹⁵ of them cannot overflow an Int32.
func dotInt8(_ a: [Int8], _ b: [Int8], aZeroPoint: Int32 = 0, bZeroPoint: Int32 = 0) -> Int32 {
  precondition(a.count == b.count, "lengths differ")
  var acc: Int32 = 0
  for i in a.indices {
    acc &+= (Int32(a[i]) - aZeroPoint) * (Int32(b[i]) - bZeroPoint)
  }
  return acc
}

/// A real multiplier M > 0 as an int32 fixed-point number and a power-of-two shift,
/// M ≈ multiplier · 2⁻³¹ · 2^(−shift), multiplier in [2³⁰, 2³¹): gemmlowp/TFLite requantization,
/// which lets integer-only hardware rescale an int32 accumulator without floating point.
struct FixedPointMultiplier: Equatable, Sendable {
  var multiplier: Int32
  /// Right shift (negative: left shift, for M ≥ 1).
  var shift: Int

  init(_ real: Double) {
    precondition(real > 0 && real.isFinite, "multiplier must be positive")
    // real = significand · 2^exponent with significand in [1, 2) → M0 = significand/2 in [½, 1).
    var q = (real.significand / 2 * 2_147_483_648).rounded(.toNearestOrAwayFromZero)
    var exponent = real.exponent + 1
    if q == 2_147_483_648 {
      q /= 2
      exponent += 1
    }
    multiplier = Int32(q)
    shift = -Int(exponent)
  }

  /// The real value this multiplier stands for.
  var realValue: Double {
    Double(multiplier) / 2_147_483_648 * pow(2, Double(-shift))
  }

  /// round(x · M), half away from zero, with integer operations only: one 64-bit product
  /// and one rounding right shift. (gemmlowp/TFLite split this into a rounding "doubling high
  /// multiply" and a rounding shift; that double rounding can differ by 1 on rare ties.)
  func apply(_ x: Int32) -> Int32 {
    var value = Int64(x)
    var totalShift = 31 + shift
    if totalShift < 0 {  // M ≥ 2³¹: not needed for requantization, but keep it correct
      value <<= Int64(-totalShift)
      totalShift = 0
    }
    let product = value * Int64(multiplier)
    guard totalShift > 0 else { return Int32(clamping: product) }
    let half = Int64(1) << Int64(totalShift - 1)
    let magnitude = (product.magnitude + UInt64(half)) >> UInt64(totalShift)
    let rounded = Int64(magnitude)
    return Int32(clamping: product < 0 ? -rounded : rounded)
  }
}

/// int32 accumulator → int8 output: clamp(round(acc · M) + zeroPoint) with M = sIn·sW / sOut.
@inline(__always)
func requantize(_ acc: Int32, _ multiplier: FixedPointMultiplier, outputZeroPoint: Int32) -> Int8 {
  let q = multiplier.apply(acc) &+ outputZeroPoint
  return Int8(clamping: q)
}

// MARK: - Quantized images and convolution

/// An image quantized to int8 with one grid (activations are quantized per tensor).
struct QuantizedImage: Sendable {
  let width: Int
  let height: Int
  let channels: Int
  var values: [Int8]
  var params: QuantParams

  init(width: Int, height: Int, channels: Int, values: [Int8], params: QuantParams) {
    self.width = width
    self.height = height
    self.channels = channels
    self.values = values
    self.params = params
  }

  init(quantizing image: Image, params: QuantParams) {
    self.init(width: image.width, height: image.height, channels: image.channels,
      values: image.pixels.map(params.quantize), params: params)
  }

  func dequantized() -> Image {
    Image(width: width, height: height, channels: channels,
      pixels: values.map(params.dequantize))
  }
}

/// The int8 counterpart of `conv2d`: int8 input (asymmetric), int8 weights (symmetric, per
/// output channel, layout of `ConvWeights`), Float bias quantized to int32 with scale sIn·sW[o],
/// int32 accumulation, fixed-point requantization to the output grid. Padding uses the input's
/// zero point, i.e. real zeros, exactly as the float convolution pads with 0.
func conv2dInt8(
  _ input: QuantizedImage, weights: QuantizedTensor, bias: [Float], outChannels: Int,
  kernelHeight: Int, kernelWidth: Int, outputParams: QuantParams,
  stride: Int = 1, padding: Int = 0
) -> QuantizedImage {
  let inC = input.channels
  precondition(weights.values.count == outChannels * inC * kernelHeight * kernelWidth,
    "weight count does not match the shape")
  precondition(weights.params.count == outChannels || weights.params.count == 1,
    "per-tensor or per-output-channel weights")
  precondition(weights.params.allSatisfy { $0.zeroPoint == 0 }, "weights must be symmetric")
  let outH = convOutputSize(n: input.height, k: kernelHeight, p: padding, s: stride)
  let outW = convOutputSize(n: input.width, k: kernelWidth, p: padding, s: stride)
  let zIn = input.params.zeroPoint
  // Per output channel: int32 bias and the requantization multiplier.
  var biasQ: [Int32] = []
  var multipliers: [FixedPointMultiplier] = []
  for o in 0..<outChannels {
    let sW = weights.params.count == 1 ? weights.params[0].scale : weights.params[o].scale
    let accScale = Double(input.params.scale) * Double(sW)
    biasQ.append(Int32((Double(bias[o]) / accScale).rounded(.toNearestOrEven)))
    multipliers.append(FixedPointMultiplier(accScale / Double(outputParams.scale)))
  }
  var out = [Int8](repeating: 0, count: outW * outH * outChannels)
  for oy in 0..<outH {
    for ox in 0..<outW {
      for o in 0..<outChannels {
        var acc = biasQ[o]
        for ky in 0..<kernelHeight {
          let y = oy * stride - padding + ky
          guard y >= 0 && y < input.height else { continue }  // padding: (zIn − zIn)·w = 0
          for kx in 0..<kernelWidth {
            let x = ox * stride - padding + kx
            guard x >= 0 && x < input.width else { continue }
            let base = (y * input.width + x) * inC
            for i in 0..<inC {
              let w = Int32(weights.values[((o * inC + i) * kernelHeight + ky) * kernelWidth + kx])
              acc &+= w * (Int32(input.values[base + i]) - zIn)
            }
          }
        }
        out[(oy * outW + ox) * outChannels + o] =
          requantize(acc, multipliers[o], outputZeroPoint: outputParams.zeroPoint)
      }
    }
  }
  return QuantizedImage(width: outW, height: outH, channels: outChannels, values: out,
    params: outputParams)
}
