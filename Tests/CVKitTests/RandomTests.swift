import Foundation
import Testing

@testable import CVKit

@Suite struct RandomTests {
  @Test func splitMix64MatchesTheReferenceSequenceForSeedZero() {
    // The first outputs of Vigna's splitmix64.c (and java.util.SplittableRandom) from state 0.
    var rng = SplitMix64(seed: 0)
    #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
    #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    #expect(rng.next() == 0x06C4_5D18_8009_454F)
  }

  @Test func sameSeedGivesTheSameStreamAndDifferentSeedsDiffer() {
    var a = SplitMix64(seed: 42)
    var b = SplitMix64(seed: 42)
    var c = SplitMix64(seed: 43)
    let sa = (0..<100).map { _ in a.next() }
    let sb = (0..<100).map { _ in b.next() }
    let sc = (0..<100).map { _ in c.next() }
    #expect(sa == sb)
    #expect(sa != sc)
  }

  @Test func derivedStreamsDependOnlyOnSeedAndIndex() {
    var first = SplitMix64.derived(seed: 9, stream: 7)
    var again = SplitMix64.derived(seed: 9, stream: 7)
    var other = SplitMix64.derived(seed: 9, stream: 8)
    let x = first.next()
    #expect(x == again.next())
    #expect(x != other.next())
  }

  @Test func uniformDoublesStayInTheHalfOpenUnitInterval() {
    var rng = SplitMix64(seed: 1)
    var sum = 0.0
    for _ in 0..<10_000 {
      let u = rng.nextDouble()
      #expect(u >= 0 && u < 1)
      sum += u
    }
    // The standard error of the mean is 0.289/√10000 ≈ 0.003; allow 5 of them.
    #expect(abs(sum / 10_000 - 0.5) < 0.015)
  }

  @Test(arguments: [0..<1, 0..<2, -5..<5, 3..<1000])
  func integersStayInRangeAndCoverIt(range: Range<Int>) {
    var rng = SplitMix64(seed: UInt64(range.count))
    var seen = Set<Int>()
    for _ in 0..<5000 {
      let v = rng.int(in: range)
      #expect(range.contains(v))
      seen.insert(v)
    }
    if range.count <= 10 { #expect(seen.count == range.count) }
  }

  @Test func normalSamplesHaveMeanZeroAndUnitVariance() {
    var rng = SplitMix64(seed: 3)
    let xs = (0..<20_000).map { _ in rng.normal() }
    let mean = xs.reduce(0, +) / Double(xs.count)
    let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)
    #expect(abs(mean) < 0.03)
    #expect(abs(variance - 1) < 0.04)
  }

  @Test func fastNormalHasUnitVarianceAndBoundedTails() {
    var rng = SplitMix64(seed: 4)
    let xs = (0..<20_000).map { _ in Double(rng.fastNormal()) }
    let mean = xs.reduce(0, +) / Double(xs.count)
    let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)
    #expect(abs(mean) < 0.03)
    #expect(abs(variance - 1) < 0.04)
    #expect(xs.allSatisfy { abs($0) < 3.47 })
  }

  @Test func logUniformStaysInRange() {
    var rng = SplitMix64(seed: 5)
    for _ in 0..<1000 {
      let v = rng.logUniform(8, 80)
      #expect(v >= 8 - 1e-9 && v < 80 + 1e-9)
    }
  }

  @Test func shuffleIsAPermutation() {
    var rng = SplitMix64(seed: 6)
    let shuffled = rng.shuffled(Array(0..<50))
    #expect(shuffled.sorted() == Array(0..<50))
    #expect(shuffled != Array(0..<50))
  }

  @Test(arguments: [1e-300, 1e-10, 0.001, 0.5, 0.70710678, 1, 1.41421357, 2, 10, 12345.678, 1e300])
  func deterministicLogAgreesWithLibm(x: Double) {
    #expect(abs(Deterministic.log(x) - Foundation.log(x)) <= 4e-16 * max(1, abs(Foundation.log(x))))
  }

  @Test(arguments: [-700.0, -20, -1, -1e-8, 0, 0.5, 1, 2.302585, 20, 700])
  func deterministicExpAgreesWithLibm(x: Double) {
    #expect(abs(Deterministic.exp(x) - Foundation.exp(x)) <= 1e-14 * Foundation.exp(x))
  }

  @Test func deterministicFunctionsHandleEdgeCases() {
    #expect(Deterministic.log(0) == -.infinity)
    #expect(Deterministic.log(-1).isNaN)
    #expect(Deterministic.log(1) == 0)
    #expect(Deterministic.exp(0) == 1)
    #expect(Deterministic.exp(1000) == .infinity)
    #expect(Deterministic.exp(-1000) == 0)
  }
}
