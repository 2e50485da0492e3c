// snippet.title: Histogram equalisation and Sobel edges on a dark synthetic frame
// snippet.uses: Scenes.swift Convolution.swift

// snippet.hide
import Foundation

func percentile(_ values: [Float], _ p: Double) -> Float {
  let sorted = values.sorted()
  return sorted[min(sorted.count - 1, Int(p * Double(sorted.count)))]
}
// snippet.show

// An under-exposed camera frame: a synthetic road scene (seed 1, frame 3) squeezed into the
// bottom of the range, v' = 0.2·v + 0.02, and quantised to 8 bits like a real sensor.
let scene = SceneGenerator(seed: 1).scene(3)
let dark = scene.image.map { (($0 * 0.2 + 0.02) * 255).rounded() }  // integer levels 0…255

// snippet.equalise
// Histogram equalisation: map each level through the normalised cumulative histogram,
// out = round((cdf(v) − cdf_min) / (N − cdf_min) · 255), as OpenCV's equalizeHist does.
func equalise(_ image: Image) -> Image {
  var histogram = [Int](repeating: 0, count: 256)
  for v in image.pixels { histogram[Int(v)] += 1 }
  var cdf = [Int](repeating: 0, count: 256)
  var running = 0
  for level in 0..<256 {
    running += histogram[level]
    cdf[level] = running
  }
  let cdfMin = cdf.first { $0 > 0 }!
  let n = image.pixels.count
  let lookup = cdf.map { Float((Double($0 - cdfMin) / Double(n - cdfMin) * 255).rounded()) }
  return image.map { lookup[Int($0)] }
}
// snippet.end
let equalised = equalise(dark)

func describe(_ name: String, _ image: Image) {
  let levels = Set(image.pixels).count
  print(
    name
      + String(
        format: "levels used %3d, 1st-99th percentile %3.0f-%3.0f, mean %5.1f",
        levels, percentile(image.pixels, 0.01), percentile(image.pixels, 0.99),
        image.pixels.reduce(0, +) / Float(image.pixels.count)))
}
print("Grey levels of the 320x240 frame (0-255):")
describe("  dark frame:     ", dark)
describe("  after equalise: ", equalised)

// snippet.sobel
// Borders: repeat the outermost pixels (OpenCV's BORDER_REPLICATE) instead of padding with
// zeros, which would draw a false edge around the whole frame.
func replicatePadded(_ image: Image, _ r: Int) -> Image {
  var out = Image(width: image.width + 2 * r, height: image.height + 2 * r)
  for y in 0..<out.height {
    for x in 0..<out.width {
      out[x, y] = image[min(max(x - r, 0), image.width - 1), min(max(y - r, 0), image.height - 1)]
    }
  }
  return out
}
// Sobel gradients (cross-correlation with the 3x3 kernels), magnitude √(Gx² + Gy²).
// Canny starts the same way, after a Gaussian blur that removes the noise first.
func sobelMagnitude(_ image: Image) -> Image {
  let padded = replicatePadded(image, 1)
  let gx = conv2d(padded, ConvWeights(kernel: Sobel.x))
  let gy = conv2d(padded, ConvWeights(kernel: Sobel.y))
  return Image(
    width: image.width, height: image.height,
    pixels: zip(gx.pixels, gy.pixels).map { ($0 * $0 + $1 * $1).squareRoot() })
}
// 5x5 Gaussian, σ = 1, built from the separable 1-D kernel [1 4 6 4 1]/16.
let g1 = [Float(1), 4, 6, 4, 1].map { $0 / 16 }
let gaussian = ConvWeights(kernel: g1.map { a in g1.map { b in a * b } })
// snippet.end

// The sky (top 40 rows, outside every object) is flat: any gradient there is sensor noise.
func insideObject(_ x: Int, _ y: Int) -> Bool {
  let px = Double(x)
  let py = Double(y)
  return scene.objects.contains { o in
    px >= o.fullBox.x1 && px < o.fullBox.x2 && py >= o.fullBox.y1 && py < o.fullBox.y2
  }
}
var skyIndices: [Int] = []
for y in 0..<40 {
  for x in 0..<320 where !insideObject(x, y) { skyIndices.append(y * 320 + x) }
}

print(
  "\nSobel magnitude (grey levels per pixel): noise = median in the flat sky,"
    + " edges = 99th percentile of the frame")
print("                               noise   edges   edges/noise   pixels > 60")
let blurredEqualised = equalise(conv2d(replicatePadded(dark, 2), gaussian).map { $0.rounded() })
let variants: [(String, Image)] = [
  ("dark frame", dark), ("equalised", equalised), ("Gaussian blur, then equalise", blurredEqualised),
]
for (name, image) in variants {
  let magnitude = sobelMagnitude(image)
  let noise = percentile(skyIndices.map { magnitude.pixels[$0] }, 0.5)
  let edges = percentile(magnitude.pixels, 0.99)
  let strong = magnitude.pixels.filter { $0 > 60 }.count
  print(
    "  " + name.padding(toLength: 28, withPad: " ", startingAt: 0)
      + String(format: "%6.1f  %6.1f  %10.1f  %12d", noise, edges, edges / max(noise, 0.5), strong))
}

print("\nSobel magnitude of the blurred, equalised frame (56 columns, dark = no edge):")
let blurredEdges = sobelMagnitude(blurredEqualised)
for line in blurredEdges.map({ min(1, $0 / 200) }).ascii(columns: 56) { print("  |" + line + "|") }
print(
  """

  Equalisation spreads the 37 levels of the dark frame over 0-255, so a fixed threshold now
  fires. But it gives most output levels to the most frequent input levels, here the large,
  flat sky, so the sky's noise is stretched most: the edge-to-noise ratio FALLS (the reason
  CLAHE clips the histogram). A point operation adds no information; smoothing before
  differentiating, as Canny does, is what separates edges from noise.
  """)
