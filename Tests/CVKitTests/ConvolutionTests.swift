import Testing

@testable import CVKit

@Suite struct ConvolutionTests {
  // floor((n + 2p − d(k − 1) − 1) / s) + 1, worked out by hand.
  @Test(arguments: [
    (n: 224, k: 3, p: 1, s: 1, d: 1, out: 224),  // (224 + 2 − 2 − 1)/1 + 1
    (n: 224, k: 3, p: 0, s: 1, d: 1, out: 222),  // (224 − 3)/1 + 1
    (n: 224, k: 7, p: 3, s: 2, d: 1, out: 112),  // (224 + 6 − 6 − 1)/2 + 1 = 111 + 1
    (n: 112, k: 3, p: 1, s: 2, d: 1, out: 56),  // (112 + 2 − 2 − 1)/2 + 1 = 55 + 1
    (n: 225, k: 3, p: 1, s: 2, d: 1, out: 113),  // 224/2 + 1
    (n: 7, k: 2, p: 0, s: 2, d: 1, out: 3),  // floor(5/2) + 1
    (n: 224, k: 3, p: 2, s: 1, d: 2, out: 224),  // (224 + 4 − 4 − 1) + 1
    (n: 5, k: 7, p: 0, s: 1, d: 1, out: 0),  // the kernel does not fit
  ])
  func outputSizeMatchesTheFormula(c: (n: Int, k: Int, p: Int, s: Int, d: Int, out: Int)) {
    #expect(convOutputSize(n: c.n, k: c.k, p: c.p, s: c.s, d: c.d) == c.out)
  }

  @Test func samePaddingKeepsTheSizeAtStrideOne() {
    for k in [1, 3, 5, 7] {
      for d in [1, 2, 3] {
        #expect(convOutputSize(n: 50, k: k, p: samePadding(k: k, d: d), s: 1, d: d) == 50)
      }
    }
  }

  // Two 3×3 convs: r = 1 + 2 + 2 = 5. A 2×2 stride-2 pool then a 3×3 conv: r = 2 + 2·2 = 6.
  @Test func receptiveFieldOfSmallStacksByHand() {
    let twoConvs = receptiveFields(of: [
      ConvLayerSpec(name: "a", kernel: 3, padding: 1), ConvLayerSpec(name: "b", kernel: 3, padding: 1),
    ])
    #expect(twoConvs.map(\.size) == [3, 5])
    let poolThenConv = receptiveFields(of: [
      ConvLayerSpec(name: "pool", kernel: 2, stride: 2), ConvLayerSpec(name: "c", kernel: 3, padding: 1),
    ])
    #expect(poolThenConv.map(\.size) == [2, 6])
    #expect(poolThenConv.map(\.jump) == [2, 2])
    #expect(poolThenConv[0].start == 0.5)  // the first pooled unit is centred between pixels 0 and 1
  }

  @Test func resNet18HasAReceptiveFieldOf435Pixels() {
    var layers = [
      ConvLayerSpec(name: "conv1", kernel: 7, stride: 2, padding: 3),
      ConvLayerSpec(name: "pool", kernel: 3, stride: 2, padding: 1),
    ]
    for stage in 0..<4 {
      for i in 0..<4 {
        layers.append(
          ConvLayerSpec(
            name: "s\(stage)c\(i)", kernel: 3,
            stride: stage > 0 && i == 0 ? 2 : 1, padding: 1))
      }
    }
    let last = receptiveFields(of: layers).last!
    #expect(last.size == 435)
    #expect(last.jump == 32)
  }

  @Test func dilationGrowsTheReceptiveFieldExponentially() {
    let fields = receptiveFields(
      of: [1, 2, 4].map {
        ConvLayerSpec(name: "d", kernel: 3, padding: $0, dilation: $0)
      })
    #expect(fields.map(\.size) == [3, 7, 15])
  }

  @Test func identityKernelReturnsTheInput() {
    let image = Image(rows: [[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    let identity = ConvWeights(kernel: [[0, 0, 0], [0, 1, 0], [0, 0, 0]])
    #expect(conv2d(image, identity, padding: 1) == image)
  }

  // Cross-correlation of a 3×3 image with a 2×2 kernel [[1, 0], [0, −1]], no padding:
  // out(0,0) = 1·1 − 1·5 = −4, out(1,0) = 2 − 6 = −4, out(0,1) = 4 − 8, out(1,1) = 5 − 9.
  @Test func crossCorrelationByHand() {
    let image = Image(rows: [[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    let kernel = ConvWeights(kernel: [[1, 0], [0, -1]])
    #expect(conv2d(image, kernel).rows == [[-4, -4], [-4, -4]])
    // True convolution rotates the kernel: [[−1, 0], [0, 1]] gives +4 everywhere.
    #expect(convolve2d(image, kernel).rows == [[4, 4], [4, 4]])
  }

  @Test func sobelRespondsToAVerticalStep() {
    let image = Image(rows: [[0, 0, 1, 1], [0, 0, 1, 1], [0, 0, 1, 1]])
    let gx = conv2d(image, ConvWeights(kernel: Sobel.x))
    #expect(gx.rows == [[4, 4]])
    let gy = conv2d(image, ConvWeights(kernel: Sobel.y))
    #expect(gy.rows == [[0, 0]])
  }

  @Test func strideAndPaddingGiveTheFormulaSize() {
    let image = Image(width: 9, height: 7, fill: 1)
    let k = ConvWeights(kernel: [[1, 1, 1], [1, 1, 1], [1, 1, 1]])
    let out = conv2d(image, k, stride: 2, padding: 1)
    #expect(out.width == convOutputSize(n: 9, k: 3, p: 1, s: 2))
    #expect(out.height == convOutputSize(n: 7, k: 3, p: 1, s: 2))
    // Corner: 4 of the 9 taps are inside the image (zero padding elsewhere).
    #expect(out[0, 0] == 4)
    #expect(out[1, 1] == 9)
  }

  @Test func multiChannelFiltersSumOverInputChannelsAndAddBias() {
    let image = Image(width: 1, height: 1, channels: 2, pixels: [3, 5])
    let w = ConvWeights(
      outChannels: 2, inChannels: 2, kernelHeight: 1, kernelWidth: 1,
      values: [1, 1, 2, -1], bias: [0.5, 0])
    let out = conv2d(image, w)
    #expect(out.pixel(x: 0, y: 0) == [8.5, 1])
    #expect(convMACs(outHeight: 1, outWidth: 1, weights: w) == 4)
  }
}
