// snippet.title: Calibration (ECE, temperature scaling) and OOD scores (max softmax vs energy)
// snippet.uses: Random.swift

// snippet.hide
import Foundation

func f3(_ v: Double) -> String { String(format: "%.3f", v) }
// snippet.show

// A synthetic 10-class problem where the truth is known. For every sample, "true" logits z are
// drawn (the first class boosted, the others noise) and the label is SAMPLED from softmax(z), so
// a model that outputs exactly z is perfectly calibrated. Our model outputs 2.5 * z: same
// ranking (same accuracy), but overconfident, the typical state of a modern network
// (Guo et al. 2017). Temperature scaling should find T close to 2.5.
let classes = 10
let overconfidence = 2.5
func softmax(_ logits: [Double], temperature t: Double = 1) -> [Double] {
  let m = logits.max()! / t
  let e = logits.map { exp($0 / t - m) }
  let s = e.reduce(0, +)
  return e.map { $0 / s }
}
func sample(_ n: Int, seed: UInt64, inDistribution: Bool) -> [(logits: [Double], label: Int)] {
  var rng = SplitMix64(seed: seed)
  return (0..<n).map { _ in
    var z = (0..<classes).map { _ in rng.normal() }
    let target = rng.int(in: 0..<classes)
    if inDistribution { z[target] += rng.normal(mean: 2.5, sd: 1) }
    let p = softmax(z)
    var u = rng.nextDouble()
    var label = classes - 1
    for k in 0..<classes {
      u -= p[k]
      if u < 0 {
        label = k
        break
      }
    }
    return (z.map { $0 * overconfidence }, label)
  }
}
let validation = sample(5_000, seed: 1, inDistribution: true)
let test = sample(5_000, seed: 2, inDistribution: true)

// Expected calibration error (Naeini et al. 2015): 15 equal-width confidence bins;
// ECE = sum over bins of (bin size / n) * |accuracy in bin - mean confidence in bin|.
// snippet.ece
func metrics(_ data: [(logits: [Double], label: Int)], temperature t: Double)
  -> (accuracy: Double, nll: Double, ece: Double)
{
  var correct = 0
  var nll = 0.0
  var binCount = [Int](repeating: 0, count: 15)
  var binCorrect = [Int](repeating: 0, count: 15)
  var binConfidence = [Double](repeating: 0, count: 15)
  for (logits, label) in data {
    let p = softmax(logits, temperature: t)
    let predicted = p.indices.max { p[$0] < p[$1] }!
    let confidence = p[predicted]
    nll -= log(max(p[label], 1e-300))
    let bin = min(Int(confidence * 15), 14)
    binCount[bin] += 1
    binConfidence[bin] += confidence
    if predicted == label {
      correct += 1
      binCorrect[bin] += 1
    }
  }
  let n = Double(data.count)
  var ece = 0.0
  for b in 0..<15 where binCount[b] > 0 {
    let size = Double(binCount[b])
    ece += size / n * abs(Double(binCorrect[b]) / size - binConfidence[b] / size)
  }
  return (Double(correct) / n, nll / n, ece)
}
// snippet.end

// Temperature scaling: one scalar T > 0 that minimises the NLL on the validation set
// (golden-section search on log T; the NLL is smooth and unimodal in T).
// snippet.temperature
var lo = log(0.25)
var hi = log(10.0)
let golden = (sqrt(5.0) - 1) / 2
for _ in 0..<40 {
  let a = hi - golden * (hi - lo)
  let b = lo + golden * (hi - lo)
  if metrics(validation, temperature: exp(a)).nll < metrics(validation, temperature: exp(b)).nll {
    hi = b
  } else {
    lo = a
  }
}
let fittedT = exp((lo + hi) / 2)
print(
  "fitted temperature on validation: T = \(String(format: "%.2f", fittedT))"
    + " (the model's logits were inflated x\(overconfidence))")
print("\ntest set         accuracy    NLL     ECE")
for (name, t) in [("raw (T = 1)", 1.0), ("temperature-scaled", fittedT)] {
  let m = metrics(test, temperature: t)
  print(
    name.padding(toLength: 18, withPad: " ", startingAt: 0)
      + "  \(f3(m.accuracy))    \(f3(m.nll))   \(f3(m.ece))")
}
// snippet.end

// OOD detection: 5,000 inputs from no known class (no boosted logit). Score each input so that
// HIGH = in-distribution: max softmax probability (Hendrycks & Gimpel 2017) or negative energy
// -E(x) = T log sum_k exp(f_k / T) (Liu et al. 2020). Report AUROC and the false-positive rate on
// OOD inputs at the threshold that keeps 95% of in-distribution inputs.
// snippet.ood
let ood = sample(5_000, seed: 3, inDistribution: false)
func maxSoftmax(_ logits: [Double]) -> Double { softmax(logits).max()! }
func negativeEnergy(_ logits: [Double]) -> Double {
  let m = logits.max()!
  return m + log(logits.reduce(0) { $0 + exp($1 - m) })
}
func auroc(_ inScores: [Double], _ outScores: [Double]) -> Double {
  // Probability that a random in-distribution input scores above a random OOD input.
  let all = (inScores.map { ($0, 1) } + outScores.map { ($0, 0) }).sorted { $0.0 < $1.0 }
  var rankSum = 0.0
  for (rank, item) in all.enumerated() where item.1 == 1 { rankSum += Double(rank + 1) }
  let nIn = Double(inScores.count)
  let nOut = Double(outScores.count)
  return (rankSum - nIn * (nIn + 1) / 2) / (nIn * nOut)
}
func fprAt95(_ inScores: [Double], _ outScores: [Double]) -> Double {
  let threshold = inScores.sorted()[Int(0.05 * Double(inScores.count))]
  return Double(outScores.count { $0 >= threshold }) / Double(outScores.count)
}
print("\nOOD score            AUROC   FPR at 95% TPR")
for (name, score) in [("max softmax", maxSoftmax), ("negative energy", negativeEnergy)] {
  let s = test.map { score($0.logits) }
  let o = ood.map { score($0.logits) }
  print(
    name.padding(toLength: 19, withPad: " ", startingAt: 0)
      + "  \(f3(auroc(s, o)))   \(f3(fprAt95(s, o)))")
}
// snippet.end
