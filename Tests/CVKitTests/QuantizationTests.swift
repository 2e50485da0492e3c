import Testing

@testable import CVKit

@Suite struct QuantizationTests {
  // max |x| = 1.27 → scale 0.01: 0.5 → 50, −1.27 → −127, 0.004 → 0, 0.006 → 1, 2 → clamps to 127.
  @Test func symmetricQuantizationByHand() {
    let p = QuantParams.symmetric(maxAbs: 1.27)
    #expect(abs(p.scale - 0.01) < 1e-7)
    #expect(p.zeroPoint == 0)
    #expect([0.5, -1.27, 0.004, 0.006, 2.0].map(p.quantize) == [50, -127, 0, 1, 127])
    #expect(abs(p.dequantize(50) - 0.5) < 1e-6)
  }

  // Range [−1, 1.55]: scale = 2.55/255 = 0.01, zeroPoint = −128 − round(−1/0.01) = −28.
  // 0 → −28 (zero is exact), −1 → −128, 1.55 → 127, 0.25 → 25 − 28 = −3, 5 → clamps to 127.
  @Test func asymmetricQuantizationByHand() {
    let p = QuantParams.asymmetric(min: -1, max: 1.55)
    #expect(abs(p.scale - 0.01) < 1e-7)
    #expect(p.zeroPoint == -28)
    #expect([0, -1, 1.55, 0.25, 5].map(p.quantize) == [-28, -128, 127, -3, 127])
    #expect(p.dequantize(-28) == 0)
    #expect(abs(p.dequantize(-3) - 0.25) < 1e-6)
  }

  // ReLU outputs in [0, 2.55]: the range is stretched to include 0, zeroPoint −128.
  @Test func asymmetricRangeAlwaysContainsZero() {
    let p = QuantParams.asymmetric(min: 0.5, max: 2.55)
    #expect(p.zeroPoint == -128)
    #expect(p.dequantize(p.quantize(0)) == 0)
  }

  @Test func roundingIsToNearestEven() {
    let p = QuantParams(scale: 1, zeroPoint: 0, qmin: -127, qmax: 127)
    #expect([0.5, 1.5, 2.5, -0.5, -1.5].map(p.quantize) == [0, 2, 2, 0, -2])
  }

  @Test func errorIsAtMostHalfAStepInsideTheRange() {
    var rng = SplitMix64(seed: 1)
    let values = (0..<1000).map { _ in Float(rng.uniform(-3, 3)) }
    for symmetric in [true, false] {
      let t = QuantizedTensor(perTensor: values, symmetric: symmetric)
      let e = QuantizationError(original: values, reconstructed: t.dequantized())
      #expect(e.maxAbs <= Double(t.params[0].scale) / 2 + 1e-6)
      // Uniform rounding noise: MSE ≈ scale²/12; 8 bits well used give ≥ 40 dB here.
      #expect(e.sqnrDB > 40)
    }
  }

  @Test func perChannelBeatsPerTensorWhenChannelScalesDiffer() {
    var rng = SplitMix64(seed: 2)
    let weights = (0..<2).flatMap { c in
      (0..<100).map { _ in Float(rng.normal(mean: 0, sd: c == 0 ? 1 : 0.01)) }
    }
    let small = Array(weights[100...])
    let perTensor = Array(QuantizedTensor(perTensor: weights, symmetric: true).dequantized()[100...])
    let perChannel = Array(
      QuantizedTensor(perChannel: weights, channels: 2, symmetric: true)
        .dequantized()[100...])
    let a = QuantizationError(original: small, reconstructed: perTensor)
    let b = QuantizationError(original: small, reconstructed: perChannel)
    #expect(b.sqnrDB > a.sqnrDB + 20)
  }

  @Test func exactReconstructionHasInfiniteSQNR() {
    let e = QuantizationError(original: [1, 2, 3], reconstructed: [1, 2, 3])
    #expect(e.mse == 0 && e.maxAbs == 0 && e.sqnrDB == .infinity)
  }

  // 0.5 = 2^30 · 2^−31: apply(x) = round(x / 2), halves away from zero.
  @Test func fixedPointMultiplierByHand() {
    let half = FixedPointMultiplier(0.5)
    #expect(half.multiplier == 1 << 30 && half.shift == 0)
    #expect([3, -3, 5, 4].map(half.apply) == [2, -2, 3, 2])
    // 0.1 = 0.8 · 2^−3: multiplier round(0.8 · 2^31) = 1717986918, right shift 3.
    let tenth = FixedPointMultiplier(0.1)
    #expect(tenth.multiplier == 1_717_986_918 && tenth.shift == 3)
    #expect(tenth.apply(100) == 10)
    #expect(tenth.apply(-14) == -1)
    // M ≥ 1 is a left shift.
    #expect(FixedPointMultiplier(3).apply(7) == 21)
  }

  @Test func fixedPointMultiplierRoundsLikeTheRealProduct() {
    var rng = SplitMix64(seed: 3)
    for _ in 0..<2000 {
      let m = rng.logUniform(1e-5, 0.99)
      let x = Int32(rng.int(in: -1_000_000...1_000_000))
      let fixed = FixedPointMultiplier(m)
      let exact = Double(x) * fixed.realValue
      #expect(abs(Double(fixed.apply(x)) - exact) <= 0.5 + 1e-6)
      #expect(abs(fixed.realValue - m) <= m * 1e-9)
    }
  }

  // (1 − 0)(4 − 1) + (−2 − 0)(5 − 1) + (3 − 0)(−6 − 1) = 3 − 8 − 21 = −26.
  @Test func int8DotProductWithZeroPointsByHand() {
    #expect(dotInt8([1, -2, 3], [4, 5, -6], bZeroPoint: 1) == -26)
    #expect(dotInt8([127, 127], [127, 127]) == 32_258)
  }

  @Test func int8ConvolutionTracksTheFloatConvolution() {
    var rng = SplitMix64(seed: 4)
    var image = Image(width: 8, height: 8, channels: 2)
    for i in image.pixels.indices { image.pixels[i] = Float(rng.uniform(0, 1)) }
    let w = ConvWeights(
      outChannels: 2, inChannels: 2, kernelHeight: 3, kernelWidth: 3,
      values: (0..<36).map { _ in Float(rng.normal(mean: 0, sd: 0.3)) }, bias: [0.2, -0.1])
    let reference = conv2d(image, w, padding: 1)
    let out = conv2dInt8(
      QuantizedImage(quantizing: image, params: .asymmetric(min: 0, max: 1)),
      weights: QuantizedTensor(perChannel: w.values, channels: 2, symmetric: true),
      bias: w.bias, outChannels: 2, kernelHeight: 3, kernelWidth: 3,
      outputParams: .fitting(reference.pixels, symmetric: false), padding: 1)
    let e = QuantizationError(original: reference.pixels, reconstructed: out.dequantized().pixels)
    #expect(out.width == 8 && out.height == 8 && out.channels == 2)
    #expect(e.sqnrDB > 30)
  }
}
