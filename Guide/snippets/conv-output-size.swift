// snippet.title: Convolution output size and receptive field
// snippet.uses: Convolution.swift

// snippet.hide
import Foundation

func col(_ s: String, _ n: Int) -> String { s.padding(toLength: n, withPad: " ", startingAt: 0) }
func right(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
// snippet.show

// 1. Output size along one axis: floor((n + 2p - d(k - 1) - 1) / s) + 1.
// snippet.core
let cases: [(String, n: Int, k: Int, p: Int, s: Int, d: Int)] = [
  ("3x3, pad 1 ('same')", 224, 3, 1, 1, 1),
  ("3x3, no padding ('valid')", 224, 3, 0, 1, 1),
  ("3x3, pad 1, stride 2", 224, 3, 1, 2, 1),
  ("7x7, pad 3, stride 2 (ResNet stem)", 224, 7, 3, 2, 1),
  ("max-pool 3x3, pad 1, stride 2", 112, 3, 1, 2, 1),
  ("3x3, pad 2, dilation 2", 224, 3, 2, 1, 2),
  ("1x1, stride 1", 56, 1, 0, 1, 1),
  ("3x3, pad 1, stride 2, odd input", 225, 3, 1, 2, 1),
  ("2x2 pool, stride 2, odd input", 7, 2, 0, 2, 1),
]
print("Output size = floor((n + 2p - d(k-1) - 1) / s) + 1")
for c in cases {
  let out = convOutputSize(n: c.n, k: c.k, p: c.p, s: c.s, d: c.d)
  print("  \(col(c.0, 36)) n = \(right(String(c.n), 3)) -> \(right(String(out), 3))")
}
// snippet.end
print("  (the floor drops the last row/column when the stride does not divide evenly)")

// 2. Receptive field of a stack: r grows by (k-1)·d·j at every layer, where j (the "jump")
//    is the product of the strides so far. Early strides make later kernels see far.
// snippet.receptive
func resNetStage(_ name: String, firstStride: Int) -> [ConvLayerSpec] {
  (0..<4).map { i in
    ConvLayerSpec(name: "\(name).conv\(i + 1)", kernel: 3, stride: i == 0 ? firstStride : 1,
      padding: 1)
  }
}
let resnet18 =
  [ConvLayerSpec(name: "conv1 7x7/2", kernel: 7, stride: 2, padding: 3),
   ConvLayerSpec(name: "maxpool 3x3/2", kernel: 3, stride: 2, padding: 1)]
  + resNetStage("layer1", firstStride: 1) + resNetStage("layer2", firstStride: 2)
  + resNetStage("layer3", firstStride: 2) + resNetStage("layer4", firstStride: 2)
let fields = receptiveFields(of: resnet18)
// snippet.end
print("\nResNet-18 (3x3 convs of the residual branches, input 224x224):")
print("  \(col("after", 16)) \(right("size", 5)) \(right("jump", 5)) \(right("RF", 5))")
var size = 224
for (layer, field) in zip(resnet18, fields) {
  size = convOutputSize(n: size, k: layer.kernel, p: layer.padding, s: layer.stride,
    d: layer.dilation)
  if layer.name.hasPrefix("conv1") || layer.name.hasPrefix("maxpool")
    || layer.name.hasSuffix("conv4")
  {
    let name = layer.name.hasSuffix("conv4") ? String(layer.name.prefix(6)) : layer.name
    print("  \(col(name, 16)) \(right(String(size), 5)) \(right(String(field.jump), 5))"
      + " \(right(String(field.size), 5))")
  }
}
print("  a final 7x7 feature sees \(fields.last!.size) px: more than the 224 px image")
print("  (the effective receptive field, where gradients are large, is much smaller)")

// 3. Dilation grows the receptive field without striding (no loss of resolution).
let plain = receptiveFields(of: (1...3).map { ConvLayerSpec(name: "c\($0)", kernel: 3, padding: 1) })
let dilated = receptiveFields(of: [1, 2, 4].map {
  ConvLayerSpec(name: "d\($0)", kernel: 3, padding: $0, dilation: $0)
})
print("\nThree 3x3 convs, stride 1: RF \(plain.last!.size); with dilations 1, 2, 4: RF"
  + " \(dilated.last!.size)")
