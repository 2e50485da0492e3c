// snippet.title: Active learning: uncertainty sampling (entropy, margin) against random labels
// snippet.uses: Random.swift Benchmark.swift

// snippet.hide
import Foundation

// snippet.show

// A synthetic unlabeled pool: three classes in 2-D, imbalanced (70 / 20 / 10 %) and
// overlapping, like "car / cyclist / scooter" embeddings. Labels cost money; the question is
// which points to send to the labelers.
// snippet.data
struct Point { var x: Double, y: Double, label: Int }

let centers = [(0.0, 0.0), (2.6, 1.0), (1.2, 2.6)]
let classShare = [0.70, 0.20, 0.10]

func makePool(count: Int, seed: UInt64) -> [Point] {
  var rng = SplitMix64(seed: seed)
  return (0..<count).map { _ in
    let r = rng.nextDouble()
    let label = r < classShare[0] ? 0 : r < classShare[0] + classShare[1] ? 1 : 2
    return Point(
      x: centers[label].0 + rng.normal() * 0.75,
      y: centers[label].1 + rng.normal() * 0.75, label: label)
  }
}
// snippet.end

// The model: softmax regression on (1, x, y, x*x, y*y, x*y), trained by gradient descent.
// snippet.hide
let classes = 3
let featureCount = 6
func features(_ p: Point) -> [Double] { [1, p.x, p.y, p.x * p.x, p.y * p.y, p.x * p.y] }

func probabilities(_ w: [[Double]], _ f: [Double]) -> [Double] {
  var logits = (0..<classes).map { c in (0..<featureCount).reduce(0.0) { $0 + w[c][$1] * f[$1] } }
  let top = logits.max()!
  logits = logits.map { Deterministic.exp($0 - top) }
  let sum = logits.reduce(0, +)
  return logits.map { $0 / sum }
}

func train(_ w: inout [[Double]], on points: [Point], steps: Int) {  // warm-started
  let fs = points.map(features)
  for _ in 0..<steps {
    var grad = Array(repeating: Array(repeating: 0.0, count: featureCount), count: classes)
    for (i, p) in points.enumerated() {
      let prob = probabilities(w, fs[i])
      for c in 0..<classes {
        let err = prob[c] - (p.label == c ? 1 : 0)
        for j in 0..<featureCount { grad[c][j] += err * fs[i][j] }
      }
    }
    for c in 0..<classes {
      for j in 0..<featureCount {
        w[c][j] -= 0.15 * (grad[c][j] / Double(points.count) + 0.01 * w[c][j])
      }
    }
  }
}

func accuracy(_ w: [[Double]], _ points: [Point]) -> Double {
  let right = points.filter { p in
    let prob = probabilities(w, features(p))
    return prob.indices.max { prob[$0] < prob[$1] }! == p.label
  }.count
  return Double(right) / Double(points.count)
}
// snippet.show

// snippet.scores
enum Strategy: String, CaseIterable { case random, entropy, margin }

/// Higher = more worth labeling.
func informativeness(_ prob: [Double], _ strategy: Strategy) -> Double {
  switch strategy {
  case .random: return 0
  case .entropy: return -prob.reduce(0) { $0 + ($1 > 0 ? $1 * Deterministic.log($1) : 0) }
  case .margin:
    let sorted = prob.sorted(by: >)
    return -(sorted[0] - sorted[1])  // a small gap between the top two classes = uncertain
  }
}
// snippet.end

// snippet.loop
let poolSize = 3000
let initialLabels = 10
let batchSize = 10
let budget = 200
let seeds: [UInt64] = [1, 2, 3, 4, 5]
let test = makePool(count: 1000, seed: 999)

func run(_ strategy: Strategy, seed: UInt64) -> [Double] {
  let pool = makePool(count: poolSize, seed: seed)
  var rng = SplitMix64(seed: seed &+ 100)
  var labeled = Array(rng.shuffled(Array(pool.indices)).prefix(initialLabels))
  var unlabeled = Set(pool.indices).subtracting(labeled)
  var w = Array(repeating: Array(repeating: 0.0, count: featureCount), count: classes)
  var curve: [Double] = []
  while true {
    train(&w, on: labeled.map { pool[$0] }, steps: 80)
    curve.append(accuracy(w, test))
    if labeled.count >= budget { return curve }
    let candidates = unlabeled.sorted()
    let picked: [Int]
    if strategy == .random {
      picked = Array(rng.shuffled(candidates).prefix(batchSize))
    } else {
      let scored = candidates.map {
        ($0, informativeness(probabilities(w, features(pool[$0])), strategy))
      }
      picked = scored.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(batchSize).map(\.0)
    }
    labeled += picked  // "send to the labelers"; the oracle reveals pool[i].label
    unlabeled.subtract(picked)
  }
}
// snippet.end

// The ceiling: the same model trained on every label of the pool.
var full = Array(repeating: Array(repeating: 0.0, count: featureCount), count: classes)
train(&full, on: makePool(count: poolSize, seed: 1), steps: 500)
let ceiling = accuracy(full, test)
let target = ceiling - 0.01
print(
  "Pool \(poolSize) images, test \(test.count); all \(poolSize) labels give accuracy"
    + " \(fixed(ceiling * 100, 1)) %. Target: \(fixed(target * 100, 1)) % (1 point below).\n")

var mean: [Strategy: [Double]] = [:]
for strategy in Strategy.allCases {
  let curves = seeds.map { run(strategy, seed: $0) }
  mean[strategy] = curves[0].indices.map { i in
    curves.reduce(0) { $0 + $1[i] } / Double(curves.count)
  }
}
print("Mean test accuracy over \(seeds.count) pools, by number of labels bought:")
print("  labels " + Strategy.allCases.map { padLeft($0.rawValue, 9) }.joined())
for (i, labels) in stride(from: initialLabels, through: budget, by: batchSize).enumerated()
where labels <= 30 || labels % 30 == 0 || labels == budget {
  print(
    "  \(padLeft(String(labels), 6)) "
      + Strategy.allCases.map { padLeft(fixed(mean[$0]![i] * 100, 1) + " %", 9) }.joined())
}

// snippet.saved
print("\nLabels needed to reach \(fixed(target * 100, 1)) % (mean curve):")
var needed: [Strategy: Int] = [:]
for strategy in Strategy.allCases {
  let i = mean[strategy]!.firstIndex { $0 >= target }
  needed[strategy] = i.map { initialLabels + $0 * batchSize }
  print(
    "  \(padRight(strategy.rawValue, 8)) \(i.map { String(initialLabels + $0 * batchSize) } ?? "> \(budget)")"
  )
}
// snippet.end
for strategy in [Strategy.entropy, .margin] {
  if let r = needed[.random] ?? nil, let e = needed[strategy] ?? nil {
    print(
      "\(strategy.rawValue) sampling saves \(r - e) of \(r) labels"
        + " (\(fixed(Double(r - e) / Double(r) * 100, 0)) %) to reach the target on this toy.")
  }
}
print("After ~60 labels entropy stalls while random keeps climbing: the most uncertain points")
print("sit in the class overlap, look alike, and their labels are partly irreducible noise.")
print("Batches need diversity too, and a fixed random test set, not the uncertainty, says when")
print("to stop buying labels.")
