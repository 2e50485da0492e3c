// snippet.uses: Image.swift
//
// 2-D convolution as deep-learning frameworks define it (strictly: cross-correlation, the
// kernel is not flipped), with zero padding, stride, dilation and several channels; the output
// size formula; and the receptive field of a stack of layers.

// MARK: - Output size

/// Output length of a convolution or pooling along one axis (PyTorch `Conv2d` docs):
/// `⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1` for input length n, kernel k, padding p (each side),
/// stride s, dilation d. Returns 0 when the kernel does not fit even once.
func convOutputSize(n: Int, k: Int, p: Int = 0, s: Int = 1, d: Int = 1) -> Int {
  precondition(n >= 0 && k >= 1 && p >= 0 && s >= 1 && d >= 1, "bad convolution parameters")
  let span = n + 2 * p - d * (k - 1) - 1
  return span < 0 ? 0 : span / s + 1
}

/// Padding that keeps the size at stride 1 ("same"), for odd effective kernels: d·(k − 1)/2.
func samePadding(k: Int, d: Int = 1) -> Int {
  d * (k - 1) / 2
}

// MARK: - Receptive field

/// One layer of a stack, as far as geometry is concerned (convolution or pooling).
struct ConvLayerSpec: Sendable {
  var name: String
  var kernel: Int
  var stride: Int = 1
  var padding: Int = 0
  var dilation: Int = 1
}

/// What a unit after some layer sees of the input.
struct ReceptiveField: Equatable, Sendable {
  /// Side of the input window one output unit depends on (r).
  var size: Int
  /// Distance in input pixels between neighbouring output units (j, the cumulative stride).
  var jump: Int
  /// Input coordinate of the centre of the first output unit's window (may be negative:
  /// the window hangs into the padding).
  var start: Double
}

/// Receptive field after each layer (Araujo et al., "Computing Receptive Fields of CNNs",
/// Distill 2019): r ← r + d·(k − 1)·j,  start ← start + (d·(k − 1)/2 − p)·j,  j ← j·s,
/// beginning from r = 1, j = 1, start = 0 (pixel centres at integer coordinates).
func receptiveFields(of layers: [ConvLayerSpec]) -> [ReceptiveField] {
  var field = ReceptiveField(size: 1, jump: 1, start: 0)
  var result: [ReceptiveField] = []
  for layer in layers {
    let effectiveKernel = layer.dilation * (layer.kernel - 1) + 1
    field.size += (effectiveKernel - 1) * field.jump
    field.start += (Double(effectiveKernel - 1) / 2 - Double(layer.padding)) * Double(field.jump)
    field.jump *= layer.stride
    result.append(field)
  }
  return result
}

// MARK: - Convolution

/// Weights of a 2-D convolution in PyTorch's layout: `values[((o * inC + i) * kH + ky) * kW + kx]`.
struct ConvWeights: Sendable {
  let outChannels: Int
  let inChannels: Int
  let kernelHeight: Int
  let kernelWidth: Int
  var values: [Float]
  var bias: [Float]

  init(
    outChannels: Int, inChannels: Int, kernelHeight: Int, kernelWidth: Int,
    values: [Float], bias: [Float]? = nil
  ) {
    precondition(values.count == outChannels * inChannels * kernelHeight * kernelWidth,
      "weight count does not match the shape")
    self.outChannels = outChannels
    self.inChannels = inChannels
    self.kernelHeight = kernelHeight
    self.kernelWidth = kernelWidth
    self.values = values
    self.bias = bias ?? [Float](repeating: 0, count: outChannels)
  }

  /// A single-channel filter from rows (e.g. a Sobel kernel).
  init(kernel rows: [[Float]]) {
    self.init(
      outChannels: 1, inChannels: 1, kernelHeight: rows.count, kernelWidth: rows[0].count,
      values: rows.flatMap { $0 })
  }

  @inline(__always)
  func weight(out o: Int, in i: Int, y ky: Int, x kx: Int) -> Float {
    values[((o * inChannels + i) * kernelHeight + ky) * kernelWidth + kx]
  }
}

/// Cross-correlation, what `torch.nn.functional.conv2d` computes:
/// `out[o, y, x] = bias[o] + Σ_i Σ_ky Σ_kx w[o, i, ky, kx] · in[i, y·s − p + ky·d, x·s − p + kx·d]`,
/// with zeros outside the input. Output size from `convOutputSize`. Direct loops: clear, not fast.
func conv2d(
  _ input: Image, _ weights: ConvWeights, stride: Int = 1, padding: Int = 0, dilation: Int = 1
) -> Image {
  precondition(input.channels == weights.inChannels, "channel mismatch")
  let outH = convOutputSize(n: input.height, k: weights.kernelHeight, p: padding, s: stride,
    d: dilation)
  let outW = convOutputSize(n: input.width, k: weights.kernelWidth, p: padding, s: stride,
    d: dilation)
  var output = Image(width: outW, height: outH, channels: weights.outChannels)
  for oy in 0..<outH {
    for ox in 0..<outW {
      for o in 0..<weights.outChannels {
        var sum = weights.bias[o]
        for ky in 0..<weights.kernelHeight {
          let y = oy * stride - padding + ky * dilation
          guard y >= 0 && y < input.height else { continue }
          for kx in 0..<weights.kernelWidth {
            let x = ox * stride - padding + kx * dilation
            guard x >= 0 && x < input.width else { continue }
            for i in 0..<weights.inChannels {
              sum += weights.weight(out: o, in: i, y: ky, x: kx) * input[x, y, i]
            }
          }
        }
        output[ox, oy, o] = sum
      }
    }
  }
  return output
}

/// True (mathematical) convolution: cross-correlation with the kernel rotated by 180°.
/// Identical to `conv2d` for symmetric kernels; for Sobel it flips the sign.
func convolve2d(
  _ input: Image, _ weights: ConvWeights, stride: Int = 1, padding: Int = 0, dilation: Int = 1
) -> Image {
  var flipped = weights
  for o in 0..<weights.outChannels {
    for i in 0..<weights.inChannels {
      for ky in 0..<weights.kernelHeight {
        for kx in 0..<weights.kernelWidth {
          let to = ((o * weights.inChannels + i) * weights.kernelHeight + ky)
            * weights.kernelWidth + kx
          flipped.values[to] = weights.weight(
            out: o, in: i, y: weights.kernelHeight - 1 - ky, x: weights.kernelWidth - 1 - kx)
        }
      }
    }
  }
  return conv2d(input, flipped, stride: stride, padding: padding, dilation: dilation)
}

/// Multiply–accumulate count of a conv layer: outH·outW·outC·inC·kH·kW (FLOPs ≈ 2 × MACs).
func convMACs(outHeight: Int, outWidth: Int, weights: ConvWeights) -> Int {
  outHeight * outWidth * weights.outChannels * weights.inChannels * weights.kernelHeight
    * weights.kernelWidth
}

/// The Sobel kernels (cross-correlation form): `x` responds to left-to-right brightening.
enum Sobel {
  static let x: [[Float]] = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
  static let y: [[Float]] = [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]
}
