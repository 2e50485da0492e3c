// snippet.title: int8 quantization: symmetric vs asymmetric, per-tensor vs per-channel, int8 conv
// snippet.uses: Quantization.swift Convolution.swift Image.swift Random.swift Figure.swift

// snippet.hide
import Foundation

func g(_ v: Float) -> String { String(format: "%.4f", v) }
func stats(_ e: QuantizationError) -> String {
  String(format: "max |err| %.4f  MSE %.2e  SQNR %5.1f dB", e.maxAbs, e.mse, e.sqnrDB)
}
// snippet.show

// 1. The affine scheme: real = scale · (q − zeroPoint), q an 8-bit integer.
// snippet.core
let values: [Float] = [-1.0, -0.3, 0, 0.2, 0.9, 2.0]
let symmetric = QuantParams.fitting(values, symmetric: true)  // zeroPoint 0, q in [-127, 127]
let asymmetric = QuantParams.fitting(values, symmetric: false)  // q in [-128, 127]
// snippet.end
print("Values:", values.map { String($0) }.joined(separator: ", "))
for (name, p) in [("symmetric ", symmetric), ("asymmetric", asymmetric)] {
  let q = values.map(p.quantize)
  let back = q.map(p.dequantize)
  print("  \(name) scale \(g(p.scale)) zeroPoint \(p.zeroPoint): q = \(q.map { Int($0) })")
  print("             back: \(back.map(g).joined(separator: ", "))")
}
print("  symmetric spends codes on [-2, -1) that never occur; asymmetric does not")

// 2. Activations after a ReLU are never negative: a symmetric grid wastes half its codes.
var rng = SplitMix64(seed: 42)
let activations = (0..<4096).map { _ in Float(max(0, rng.normal(mean: 0.5, sd: 1))) }
print("\nReLU activations (4096 values in [0, \(String(format: "%.2f", activations.max()!))]):")
for isSymmetric in [true, false] {
  let t = QuantizedTensor(perTensor: activations, symmetric: isSymmetric)
  let e = QuantizationError(original: activations, reconstructed: t.dequantized())
  print("  \(isSymmetric ? "symmetric " : "asymmetric") \(stats(e))")
}

// 3. Weights: 4 output channels whose magnitudes differ 100x. One scale for the whole tensor
//    rounds the small channels to a handful of codes; one scale per channel does not.
let channelScale: [Double] = [1.0, 0.3, 0.05, 0.01]
let weights = (0..<4).flatMap { c in
  (0..<288).map { _ in Float(rng.normal(mean: 0, sd: channelScale[c])) }  // 32 in x 3x3
}
let perTensor = QuantizedTensor(perTensor: weights, symmetric: true)
let perChannel = QuantizedTensor(perChannel: weights, channels: 4, symmetric: true)
print("\nConv weights, 4 channels with std 1, 0.3, 0.05, 0.01 (symmetric int8):")
let pt = perTensor.dequantized()
let pc = perChannel.dequantized()
for c in 0..<4 {
  let range = (c * 288)..<((c + 1) * 288)
  let original = Array(weights[range])
  let distinct = Set(perTensor.values[range]).count
  let a = QuantizationError(original: original, reconstructed: Array(pt[range]))
  let b = QuantizationError(original: original, reconstructed: Array(pc[range]))
  print(String(format: "  channel %d: per-tensor %3d codes, SQNR %5.1f dB | per-channel %5.1f dB",
    c, distinct, a.sqnrDB, b.sqnrDB))
}

// 4. One outlier stretches a min/max-calibrated grid for everybody.
var withOutlier = Array(activations[0..<1024])
let clean = QuantizationError(original: withOutlier,
  reconstructed: QuantizedTensor(perTensor: withOutlier, symmetric: false).dequantized())
withOutlier[0] = 40
let stretched = QuantizedTensor(perTensor: withOutlier, symmetric: false)
let hurt = QuantizationError(original: Array(withOutlier[1...]),
  reconstructed: Array(stretched.dequantized()[1...]))
print("\nOne outlier (40.0) among 1024 activations, min/max calibration:")
print(String(format: "  scale %.4f -> %.4f, SQNR of the other values %.1f dB -> %.1f dB",
  QuantParams.fitting(Array(activations[0..<1024]), symmetric: false).scale,
  stretched.params[0].scale, clean.sqnrDB, hurt.sqnrDB))
print("  (percentile or MSE-optimal calibration clips such outliers)")

// 5. An int8 convolution: int8 input and weights, int32 accumulation, and requantization by
//    a fixed-point multiplier, compared with the same convolution in float.
// snippet.conv
var image = Image(width: 16, height: 16, channels: 2)
for i in image.pixels.indices { image.pixels[i] = Float(rng.uniform(0, 1)) }
let convWeights = ConvWeights(outChannels: 3, inChannels: 2, kernelHeight: 3, kernelWidth: 3,
  values: (0..<54).map { _ in Float(rng.normal(mean: 0, sd: 0.3)) }, bias: [0.1, -0.2, 0])
let reference = conv2d(image, convWeights, padding: 1)

let inputParams = QuantParams.asymmetric(min: 0, max: 1)
let qInput = QuantizedImage(quantizing: image, params: inputParams)
let qWeights = QuantizedTensor(perChannel: convWeights.values, channels: 3, symmetric: true)
let outputParams = QuantParams.fitting(reference.pixels, symmetric: false)  // calibrated
let qOutput = conv2dInt8(qInput, weights: qWeights, bias: convWeights.bias, outChannels: 3,
  kernelHeight: 3, kernelWidth: 3, outputParams: outputParams, padding: 1)
let error = QuantizationError(original: reference.pixels,
  reconstructed: qOutput.dequantized().pixels)
// snippet.end
print("\nint8 conv, 16x16x2 -> 16x16x3, 3x3, padding 1, vs float:")
print("  \(stats(error))")
let m = FixedPointMultiplier(Double(inputParams.scale) * Double(qWeights.params[0].scale)
  / Double(outputParams.scale))
print(String(format: "  channel 0 requantization: M = %.8f = %d * 2^-31 * 2^-%d",
  m.realValue, m.multiplier, m.shift))
print("  weights: \(convWeights.values.count * 4) bytes as float32 -> "
  + "\(qWeights.values.count) bytes as int8 (+ a scale per channel)")

// snippet.hide
// MARK: - Figure
// Channel 2's weights (std 0.05): float, per-tensor int8 and per-channel int8, as histograms.
do {
  let c = 2
  let range = (c * 288)..<((c + 1) * 288)
  let lo = -0.16
  let width = 0.005
  let edges = (0...64).map { lo + Double($0) * width }
  func counts(_ values: ArraySlice<Float>) -> [Double] {
    var h = [Double](repeating: 0, count: 64)
    for v in values {
      let i = Int(((Double(v) - lo) / width).rounded(.down))
      if i >= 0 && i < 64 { h[i] += 1 }
    }
    return h
  }
  let tensorError = QuantizationError(original: Array(weights[range]), reconstructed: Array(pt[range]))
  let channelError = QuantizationError(original: Array(weights[range]), reconstructed: Array(pc[range]))
  let codes = Set(perTensor.values[range]).count
  var chart = Chart(
    title: "Per-tensor vs per-channel int8 on a small channel",
    desc: "Histograms of the 288 weights of a channel with standard deviation 0.05 inside a tensor whose "
      + "largest channel has standard deviation 1. In float the weights form a smooth bell. Per-tensor int8 "
      + "uses the big channel's scale, so this channel gets only \(codes) codes: the histogram collapses into "
      + "spikes, SQNR \(SVGText.fixed(Double(tensorError.sqnrDB), decimals: 1)) dB. Per-channel int8 has its "
      + "own scale and follows the float histogram, SQNR \(SVGText.fixed(Double(channelError.sqnrDB), decimals: 1)) dB.")
  chart.xLabel = "weight value"
  chart.yLabel = "weights per bin"
  chart.xDomain = -0.16...0.16
  chart.xTickCount = 8
  chart.xTickFormat = { SVGText.fixed($0, decimals: 2) }
  chart.add(.histogram(edges: edges, counts: counts(weights[range]), label: "float32",
    style: FigureStyle(color: .series(0), lineWidth: 1.5, fillOpacity: 0.25)))
  chart.add(.histogram(edges: edges, counts: counts(pt[range]),
    label: "per-tensor int8 (\(SVGText.fixed(Double(tensorError.sqnrDB), decimals: 1)) dB)",
    style: FigureStyle(color: .series(3), lineWidth: 1.5)))
  chart.add(.histogram(edges: edges, counts: counts(pc[range]),
    label: "per-channel int8 (\(SVGText.fixed(Double(channelError.sqnrDB), decimals: 1)) dB)",
    style: FigureStyle(color: .series(2), dash: .dashed, lineWidth: 1.5)))
  Figure.save(chart.svg(name: "int8-weight-histogram"), name: "int8-weight-histogram")
}
// snippet.show
