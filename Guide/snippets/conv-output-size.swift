// snippet.title: Convolution output size and receptive field
// snippet.uses: Convolution.swift Figure.swift

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

// snippet.hide
// MARK: - Figure
// Receptive field after each layer of ResNet-18, and of the same stack without any stride.
do {
  let unstrided = receptiveFields(of: resnet18.map {
    ConvLayerSpec(name: $0.name, kernel: $0.kernel, stride: 1, padding: $0.padding, dilation: $0.dilation)
  })
  var chart = Chart(
    title: "Receptive field growth through ResNet-18",
    desc: "Receptive field in input pixels after each of the \(resnet18.count) layers of ResNet-18 (the stem, "
      + "the max-pool and the 3 by 3 convolutions of the four stages). With the real strides the field grows "
      + "faster at every stage, because each later kernel's step is multiplied by the strides so far: it ends "
      + "at \(fields.last!.size) pixels, more than the 224 pixel input. The same layers with stride 1 reach "
      + "only \(unstrided.last!.size) pixels.")
  chart.xLabel = "layer (stem, max-pool, then stages 1-4)"
  chart.yLabel = "receptive field (px)"
  chart.xDomain = 0...Double(resnet18.count)
  chart.yDomain = 0...500
  chart.add(.line(fields.enumerated().map { (Double($0.offset + 1), Double($0.element.size)) },
    label: "ResNet-18 strides", style: .series(0, marker: true)))
  chart.add(.line(unstrided.enumerated().map { (Double($0.offset + 1), Double($0.element.size)) },
    label: "all strides 1", style: .series(1, marker: true)))
  chart.add(.hline(y: 224, label: "input 224 px", style: FigureStyle(color: .text, dash: .dashed, lineWidth: 1.5)))
  for (i, layer) in resnet18.enumerated() where layer.stride > 1 {
    chart.add(.note(x: Double(i + 1), y: Double(fields[i].size) + 28, text: "/2", anchor: "middle"))
  }
  Figure.save(chart.svg(name: "receptive-field-growth"), name: "receptive-field-growth")
}
// snippet.show
