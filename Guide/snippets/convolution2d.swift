// snippet.title: 2-D convolution with padding and stride: Sobel edges
// snippet.uses: Convolution.swift Image.swift

// snippet.hide
import Foundation

func show(_ title: String, _ image: Image, channel: Int = 0) {
  print(title)
  for y in 0..<image.height {
    let row = (0..<image.width).map { x in
      String(format: "%4.0f", image[x, y, channel] + 0)  // + 0 turns -0 into 0
    }
    print("  " + row.joined())
  }
}
// snippet.show

// A 7x7 image: dark background (0) with a bright 3x3 square (9) in the middle.
var image = Image(width: 7, height: 7, fill: 0)
for y in 2...4 { for x in 2...4 { image[x, y] = 9 } }
show("Input (7x7):", image)

// snippet.core
// Deep-learning "convolution" is cross-correlation: the kernel slides over the input
// without being flipped. Sobel-x responds to brightness increasing to the right.
let sobelX = ConvWeights(kernel: Sobel.x)
let sobelY = ConvWeights(kernel: Sobel.y)
let gx = conv2d(image, sobelX, stride: 1, padding: 1)  // 7x7 -> 7x7 ("same")
let gy = conv2d(image, sobelY, stride: 1, padding: 1)
let strided = conv2d(image, sobelX, stride: 2, padding: 1)  // 7x7 -> 4x4
// snippet.end

print("\nSobel-x kernel [[-1 0 1] [-2 0 2] [-1 0 1]], padding 1, stride 1 -> "
  + "\(gx.width)x\(gx.height):")
show("  Gx: + on the left edge (dark to bright), - on the right edge", gx)
show("\n  Gy: + on the top edge, - on the bottom edge", gy)

// Edge magnitude: the square's outline; flat regions, inside or outside, give 0.
let magnitude = Image(width: 7, height: 7, pixels: zip(gx.pixels, gy.pixels).map {
  ($0 * $0 + $1 * $1).squareRoot()
})
show("\n  |G| = sqrt(Gx^2 + Gy^2)", magnitude)

show("\nStride 2 (same kernel, padding 1): \(strided.width)x\(strided.height), "
  + "every other position", strided)

// True convolution flips the kernel; for an antisymmetric kernel like Sobel that flips the sign.
let flippedGx = convolve2d(image, sobelX, stride: 1, padding: 1)
print("\nTrue convolution (kernel rotated 180 deg) gives -Gx:",
  zip(flippedGx.pixels, gx.pixels).allSatisfy { $0 == -$1 })

// Several channels: each output channel sums a k x k filter over *all* input channels.
let rgb = Image(width: 7, height: 7, channels: 3,
  pixels: image.pixels.flatMap { [$0, $0 / 3, 0] })
let weights = ConvWeights(outChannels: 8, inChannels: 3, kernelHeight: 3, kernelWidth: 3,
  values: [Float](repeating: 0.1, count: 8 * 3 * 3 * 3))
let features = conv2d(rgb, weights, stride: 1, padding: 1)
print("3-channel 7x7 input, 8 filters of 3x3x3 -> output \(features.width)x\(features.height)x"
  + "\(features.channels)")
print("  \(weights.values.count) weights + 8 biases, "
  + "\(convMACs(outHeight: 7, outWidth: 7, weights: weights)) multiply-adds (7*7*8*3*3*3)")
