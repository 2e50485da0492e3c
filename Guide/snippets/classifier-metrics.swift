// snippet.title: ROC-AUC vs average precision under imbalance, and calibration with temperature scaling
// snippet.uses: Random.swift

// snippet.hide
import Foundation

func sigmoid(_ z: Double) -> Double { 1 / (1 + Deterministic.exp(-z)) }
// snippet.show

// A scorer whose logits are N(0, 1) for negatives and N(2.5, 1) for positives: the same
// model, evaluated on a balanced set and on a set with 1 positive per 100 negatives.
func scores(positives: Int, negatives: Int, seed: UInt64) -> [(score: Double, label: Bool)] {
  var rng = SplitMix64(seed: seed)
  return (0..<positives).map { _ in (rng.normal(mean: 2.5, sd: 1), true) }
    + (0..<negatives).map { _ in (rng.normal(), false) }
}

// snippet.core
// ROC-AUC: the probability that a random positive outscores a random negative (ranks).
func rocAUC(_ data: [(score: Double, label: Bool)]) -> Double {
  let sorted = data.sorted { $0.score < $1.score }
  var rankSum = 0.0
  for (rank, item) in sorted.enumerated() where item.label { rankSum += Double(rank + 1) }
  let p = Double(data.filter(\.label).count)
  let n = Double(data.count) - p
  return (rankSum - p * (p + 1) / 2) / (p * n)  // Mann–Whitney U / (P·N)
}

// Average precision: mean of the precision at the rank of each positive.
func averagePrecision(_ data: [(score: Double, label: Bool)]) -> Double {
  var truePositives = 0.0
  var sum = 0.0
  for (rank, item) in data.sorted(by: { $0.score > $1.score }).enumerated() where item.label {
    truePositives += 1
    sum += truePositives / Double(rank + 1)
  }
  return sum / truePositives
}
// snippet.end

print("Same scorer, two class balances:")
print("  test set                        ROC-AUC   average precision   precision at recall ≈ 0.8")
for (name, pos, neg) in [("balanced, 1,000 : 1,000", 1_000, 1_000), ("imbalanced, 100 : 10,000", 100, 10_000)] {
  let data = scores(positives: pos, negatives: neg, seed: 3)
  // Threshold that keeps 80% of the positives, and the precision there.
  let positiveScores = data.filter(\.label).map(\.score).sorted()
  let threshold = positiveScores[Int(0.2 * Double(positiveScores.count))]
  let flagged = data.filter { $0.score >= threshold }
  let precision = Double(flagged.filter(\.label).count) / Double(flagged.count)
  print(
    "  " + name.padding(toLength: 30, withPad: " ", startingAt: 0)
      + String(format: "  %6.3f   %17.3f   %25.3f", rocAUC(data), averagePrecision(data), precision))
}

// snippet.calibration
// Calibration. True model: P(y = 1 | s) = sigmoid(s), s ~ N(0, 1.5²). An over-confident
// network reports the logit z = 2.5·s. Temperature scaling divides z by T, fitted on a
// validation set by minimising the negative log-likelihood (here a simple grid search).
func sample(_ count: Int, seed: UInt64) -> [(logit: Double, label: Bool)] {
  var rng = SplitMix64(seed: seed)
  return (0..<count).map { _ in
    let s = rng.normal(mean: 0, sd: 1.5)
    return (2.5 * s, rng.bernoulli(sigmoid(s)))
  }
}
func nll(_ data: [(logit: Double, label: Bool)], temperature t: Double) -> Double {
  data.reduce(0) { sum, d in
    let p = min(max(sigmoid(d.logit / t), 1e-12), 1 - 1e-12)
    return sum - Deterministic.log(d.label ? p : 1 - p)
  } / Double(data.count)
}
// Expected calibration error over 10 equal-width confidence bins (confidence = max(p, 1 − p)).
func ece(_ data: [(logit: Double, label: Bool)], temperature t: Double) -> (ece: Double, accuracy: Double) {
  var count = [Double](repeating: 0, count: 10)
  var correct = [Double](repeating: 0, count: 10)
  var confidence = [Double](repeating: 0, count: 10)
  for d in data {
    let p = sigmoid(d.logit / t)
    let c = max(p, 1 - p)
    let bin = min(9, Int(c * 10))
    count[bin] += 1
    confidence[bin] += c
    if (p >= 0.5) == d.label { correct[bin] += 1 }
  }
  var total = 0.0
  for b in 0..<10 where count[b] > 0 { total += abs(correct[b] - confidence[b]) }
  return (total / Double(data.count), correct.reduce(0, +) / Double(data.count))
}
let validation = sample(5_000, seed: 11)
let test = sample(5_000, seed: 12)
let grid = stride(from: 0.5, through: 5.0, by: 0.05).map { $0 }
let bestT = grid.min { nll(validation, temperature: $0) < nll(validation, temperature: $1) }!
// snippet.end

print(String(format: "\nTemperature fitted on validation: T = %.2f (the true over-confidence factor is 2.5)", bestT))
for (name, t) in [("before (T = 1)", 1.0), (String(format: "after (T = %.2f)", bestT), bestT)] {
  let (e, accuracy) = ece(test, temperature: t)
  print(
    "  " + name.padding(toLength: 17, withPad: " ", startingAt: 0)
      + String(format: "  test NLL %.3f   ECE %.3f   accuracy %.3f", nll(test, temperature: t), e, accuracy))
}
print(
  """

  ROC-AUC barely moves (the small difference is sampling noise from only 100 positives):
  it never looks at the class balance. Average precision, and the precision at 80% recall,
  collapse when positives are rare, which is what a user of the flagged items experiences.
  Temperature scaling removes most of the calibration error and leaves accuracy unchanged,
  since dividing the logits by T changes no decision.
  """)
