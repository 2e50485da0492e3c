// snippet.title: A roofline estimate: which layers are compute-bound and which memory-bound
// snippet.uses: Benchmark.swift

// snippet.hide
import Foundation

func sci(_ v: Double) -> String {
  v >= 1e9
    ? fixed(v / 1e9, 2) + " G" : v >= 1e6 ? fixed(v / 1e6, 2) + " M" : fixed(v / 1e3, 1) + " k"
}
// snippet.show

// The roofline model (Williams, Waterman & Patterson 2009): a kernel that performs `ops`
// operations and moves `bytes` to and from DRAM can never run faster than
//   time >= max(ops / peakOps, bytes / bandwidth),
// so its attainable rate is min(peakOps, intensity * bandwidth), intensity = ops / bytes.
// The "ridge point" peakOps / bandwidth is the intensity a kernel needs to be compute-bound.
// snippet.device
struct Device {
  var name: String
  var peakOps: Double  // dense operations per second at this precision
  var bandwidth: Double  // DRAM bytes per second
  var ridge: Double { peakOps / bandwidth }
}
// Jetson AGX Orin 64GB GPU at MAXN: 171 sparse INT8 TOPS, i.e. about 85 dense; 204.8 GB/s
// LPDDR5 shared with the CPU. (Datasheet peaks: real kernels reach perhaps 60-80 % of both.)
let orin = Device(name: "Orin-class GPU, INT8", peakOps: 85e12, bandwidth: 204.8e9)
// snippet.end

// snippet.layers
struct Layer {
  var name: String
  var ops: Double  // 2 operations (multiply + add) per multiply-accumulate
  var bytes: Double  // input + weights + output, each read or written once (ideal caching)
}

/// A k x k convolution, stride 1, "same" padding, `groups` groups; int8 tensors (1 byte each).
func conv(
  _ name: String, h: Int, w: Int, cin: Int, cout: Int, k: Int, groups: Int = 1,
  batch: Int = 1
) -> Layer {
  let macs = Double(batch * h * w * cout * (cin / groups) * k * k)
  let input = Double(batch * h * w * cin)
  let output = Double(batch * h * w * cout)
  let weights = Double(cout * (cin / groups) * k * k)
  return Layer(name: name, ops: 2 * macs, bytes: input + weights + output)
}

/// A matrix product (m x k) * (k x n): a fully connected layer with batch m, or a token projection.
func gemm(_ name: String, m: Int, k: Int, n: Int) -> Layer {
  Layer(name: name, ops: 2 * Double(m * k * n), bytes: Double(m * k + k * n + m * n))
}

let layers = [
  conv("3x3 conv 256->256 @ 56x56", h: 56, w: 56, cin: 256, cout: 256, k: 3),
  conv("3x3 conv 64->64 @ 160x160", h: 160, w: 160, cin: 64, cout: 64, k: 3),
  gemm("ViT-B/16 QKV proj, 197 tokens", m: 197, k: 768, n: 3 * 768),
  conv("1x1 conv 32->32 @ 320x320", h: 320, w: 320, cin: 32, cout: 32, k: 1),
  conv("depthwise 3x3, 384 ch @ 28x28", h: 28, w: 28, cin: 384, cout: 384, k: 3, groups: 384),
  gemm("fully connected 2048->1000, batch 1", m: 1, k: 2048, n: 1000),
  Layer(name: "ReLU alone, 256 ch @ 56x56", ops: 56 * 56 * 256, bytes: 2 * 56 * 56 * 256),
]
// snippet.end

print(
  "\(orin.name): peak \(fixed(orin.peakOps / 1e12, 0)) TOPS,"
    + " \(fixed(orin.bandwidth / 1e9, 1)) GB/s, ridge point \(fixed(orin.ridge, 0)) ops/byte\n")
print(
  "\(padRight("layer", 36)) \(padLeft("ops", 9)) \(padLeft("bytes", 9)) \(padLeft("ops/B", 7))"
    + "  bound    \(padLeft("min time", 9)) \(padLeft("% of peak", 9))")
// snippet.table
for layer in layers {
  let intensity = layer.ops / layer.bytes
  let computeTime = layer.ops / orin.peakOps
  let memoryTime = layer.bytes / orin.bandwidth
  let time = max(computeTime, memoryTime)
  let bound = computeTime >= memoryTime ? "compute" : "memory "
  let attained = layer.ops / time / orin.peakOps * 100
  print(
    "\(padRight(layer.name, 36)) \(padLeft(sci(layer.ops), 9)) \(padLeft(sci(layer.bytes), 9))"
      + " \(padLeft(fixed(intensity, 1), 7))  \(bound)  \(padLeft(fixed(time * 1e6, 1) + " us", 9))"
      + " \(padLeft(fixed(attained, 1), 8))%")
}
// snippet.end

// Batching raises the intensity of weight-heavy layers: the weights are read once per batch.
// snippet.batching
print("\nFully connected 2048->1000 as the batch grows (weights read once per batch):")
for batch in [1, 8, 64, 256, 1024] {
  let fc = gemm("fc", m: batch, k: 2048, n: 1000)
  let intensity = fc.ops / fc.bytes
  let time = max(fc.ops / orin.peakOps, fc.bytes / orin.bandwidth)
  print(
    "  batch \(padLeft(String(batch), 4)): \(padLeft(fixed(intensity, 1), 6)) ops/byte,"
      + " \(padLeft(fixed(time * 1e6, 1), 6)) us per batch,"
      + " \(padLeft(fixed(time * 1e6 / Double(batch), 2), 6)) us per image,"
      + " \(intensity >= orin.ridge ? "compute-bound" : "memory-bound")")
}
// snippet.end

// Fusing an element-wise op into the preceding convolution removes its DRAM round trip.
// snippet.fusion
let convLayer = layers[0]
let epilogue = layers[6]
let unfused =
  max(convLayer.ops / orin.peakOps, convLayer.bytes / orin.bandwidth)
  + epilogue.bytes / orin.bandwidth
let fused = max((convLayer.ops + epilogue.ops) / orin.peakOps, convLayer.bytes / orin.bandwidth)
print(
  "\nconv 256->256 then ReLU: \(fixed(unfused * 1e6, 1)) us as two kernels,"
    + " \(fixed(fused * 1e6, 1)) us fused")
print("  (fused, the ReLU runs on the conv's output while it is still on chip)")
// snippet.end
print("FP16 instead of INT8 halves the peak and doubles the bytes: every row gets about 2x")
print("slower, and as the ridge point and every intensity both halve, the same rows stay")
print("memory-bound.")
