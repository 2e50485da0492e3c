// A seeded, platform-independent random number generator for snippets and tests.
//
// Every number a snippet prints must be the same on every machine and every Swift version, so
// nothing here touches `SystemRandomNumberGenerator`, and nothing calls the stdlib's
// `random(in:using:)` (whose algorithm is an implementation detail that may change). The integer
// stream is SplitMix64 (Steele, Lea & Flood 2014; the seeder of java.util.SplittableRandom and
// of xoshiro). The floating-point helpers use only +, −, ×, ÷ and sqrt, which IEEE 754 rounds
// exactly the same way everywhere; `log` from the platform's libm is not guaranteed to, so the
// normal distribution uses its own logarithm (`Deterministic.log`).

// MARK: - SplitMix64

/// SplitMix64: 64 bits of state, one addition and a mixing function per output.
/// Passes BigCrush; plenty for synthetic data. Not for cryptography.
struct SplitMix64: RandomNumberGenerator, Sendable {
  private(set) var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  /// The next 64 random bits.
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A generator for a sub-stream (e.g. frame `index` of a data set): independent of the
  /// parent's later draws, so frame 7 is the same whether or not frames 0…6 were generated.
  static func derived(seed: UInt64, stream: UInt64) -> SplitMix64 {
    var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
    return SplitMix64(seed: mixer.next())
  }

  // MARK: Uniform

  /// Uniform in [0, 1) with 53 random bits (every representable multiple of 2⁻⁵³).
  mutating func nextDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// Uniform in [lower, upper).
  mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
    lower + (upper - lower) * nextDouble()
  }

  /// Uniform integer in `range`, without modulo bias (Lemire's multiply-and-reject).
  mutating func int(in range: Range<Int>) -> Int {
    precondition(!range.isEmpty, "empty range")
    let span = UInt64(range.upperBound - range.lowerBound)
    var product = next().multipliedFullWidth(by: span)
    if product.low < span {
      let threshold = (0 &- span) % span
      while product.low < threshold {
        product = next().multipliedFullWidth(by: span)
      }
    }
    return range.lowerBound + Int(product.high)
  }

  /// Uniform integer in `range`.
  mutating func int(in range: ClosedRange<Int>) -> Int {
    int(in: range.lowerBound..<(range.upperBound + 1))
  }

  /// `true` with probability `p`.
  mutating func bernoulli(_ p: Double) -> Bool {
    nextDouble() < p
  }

  /// Log-uniform in [lower, upper): uniform in log-space, so every octave is equally likely.
  /// Implemented with `Deterministic.log`/`exp` so it is bit-identical on every platform.
  mutating func logUniform(_ lower: Double, _ upper: Double) -> Double {
    let a = Deterministic.log(lower)
    let b = Deterministic.log(upper)
    return Deterministic.exp(uniform(a, b))
  }

  // MARK: Normal

  /// Standard normal N(0, 1) by Marsaglia's polar method (exact, not an approximation).
  mutating func normal() -> Double {
    while true {
      let u = 2 * nextDouble() - 1
      let v = 2 * nextDouble() - 1
      let s = u * u + v * v
      if s > 0 && s < 1 {
        // The method yields two independent normals; returning one keeps the state simple.
        return u * (-2 * Deterministic.log(s) / s).squareRoot()
      }
    }
  }

  /// N(mean, sd²).
  mutating func normal(mean: Double, sd: Double) -> Double {
    mean + sd * normal()
  }

  /// A cheap approximately normal value with mean 0 and standard deviation 1: the sum of four
  /// 16-bit uniforms from one 64-bit draw (Irwin–Hall, n = 4), rescaled. Its tails stop at ±3.46;
  /// good enough for sensor noise and about ten times faster than `normal()`.
  mutating func fastNormal() -> Float {
    let bits = next()
    let sum =
      Float(bits & 0xFFFF) + Float((bits >> 16) & 0xFFFF)
      + Float((bits >> 32) & 0xFFFF) + Float(bits >> 48)
    // Each term is uniform on [0, 65535]: mean 32767.5, variance ≈ 65536²/12.
    // Sum: mean 131070, sd = 65536·√(4/12) = 37837.23.
    return (sum - 131_070) * (1 / 37_837.23)
  }

  /// A random permutation of `array` (Fisher–Yates with `int(in:)`).
  mutating func shuffled<T>(_ array: [T]) -> [T] {
    var result = array
    var i = result.count - 1
    while i > 0 {
      let j = int(in: 0...i)
      result.swapAt(i, j)
      i -= 1
    }
    return result
  }
}

// MARK: - Deterministic elementary functions

/// `log` and `exp` built from +, −, ×, ÷ only, so results are bit-identical on every platform
/// (libm implementations may differ in the last bit). Accurate to a few ulp; not fast.
enum Deterministic {
  static let ln2 = 0.693_147_180_559_945_309_417_232_121_458
  static let ln2Hi = 6.931_471_803_691_238_164_90e-01  // 0x3FE62E42FEE00000
  static let ln2Lo = 1.908_214_929_270_587_700_02e-10  // 0x3DEA39EF35793C76

  /// Natural logarithm for x > 0 (returns −∞ for 0 and NaN for negatives).
  static func log(_ x: Double) -> Double {
    if x.isNaN || x < 0 { return .nan }
    if x == 0 { return -.infinity }
    if x.isInfinite { return x }
    // x = m · 2^e with m in [1, 2); move m into [√½, √2) so the series below converges fast.
    var m = x.significand
    var e = Double(x.exponent)
    if m > 1.414_213_562_373_095 {
      m /= 2
      e += 1
    }
    // ln m = 2 atanh(z) = 2 (z + z³/3 + z⁵/5 + …) with z = (m − 1)/(m + 1), |z| < 0.172.
    let z = (m - 1) / (m + 1)
    let z2 = z * z
    var term = z
    var sum = 0.0
    var k = 1.0
    while k < 40 {
      sum += term / k
      term *= z2
      k += 2
    }
    return e * ln2Hi + (2 * sum + e * ln2Lo)
  }

  /// eˣ (overflows to +∞ above ~709.78, underflows to 0 below ~−745).
  static func exp(_ x: Double) -> Double {
    if x.isNaN { return x }
    if x > 709.78 { return .infinity }
    if x < -745.2 { return 0 }
    // x = n·ln2 + r with |r| ≤ ln2/2; eˣ = 2ⁿ · eʳ, eʳ by its Taylor series. ln2 is split in
    // two (Cody–Waite, the constants of fdlibm) so that n·ln2Hi is exact and r keeps its digits.
    let n = (x / ln2).rounded()
    let r = (x - n * ln2Hi) - n * ln2Lo
    var term = 1.0
    var sum = 1.0
    var k = 1.0
    while k < 15 {  // |r| ≤ ln2/2, so the next term r¹⁵/15! < 10⁻¹⁸
      term *= r / k
      sum += term
      k += 1
    }
    // Scale by 2ⁿ in two steps so intermediate values stay finite near the limits.
    let half = (n / 2).rounded(.towardZero)
    return sum * Double(sign: .plus, exponent: Int(half), significand: 1)
      * Double(sign: .plus, exponent: Int(n - half), significand: 1)
  }
}
