// snippet.title: Focal loss vs cross-entropy on easy and hard examples
// snippet.uses: Figure.swift

// snippet.hide
import Foundation
// snippet.show

// For a binary classifier, let p_t be the probability the model gives to the TRUE class
// (p if the label is 1, 1 - p if it is 0). Then
//   cross-entropy  CE(p_t) = -log(p_t)
//   focal loss     FL(p_t) = -(1 - p_t)^gamma * log(p_t)      (Lin et al., RetinaNet, 2017)
// The factor (1 - p_t)^gamma is ~0 for examples the model already gets right (p_t near 1),
// so thousands of easy background anchors stop drowning out the few hard ones.
// gamma = 0 is plain cross-entropy. (RetinaNet also weights classes with alpha = 0.25,
// left out here to isolate the effect of gamma.)
// snippet.core
func crossEntropy(_ pt: Double) -> Double { -log(pt) }

func focalLoss(_ pt: Double, gamma: Double) -> Double {
  -pow(1 - pt, gamma) * log(pt)
}
// snippet.end

let gammas = [0.0, 1, 2, 5]
print("Loss of one example (gamma 0 is cross-entropy):")
print("   p_t  example    " + gammas.map { String(format: "   gamma=%g", $0) }.joined())
let examples = [
  (0.99, "very easy"), (0.9, "easy"), (0.6, "unsure"), (0.3, "hard"), (0.1, "very hard"),
  (0.05, "extreme"),
]
for (pt, kind) in examples {
  let cells = gammas.map { String(format: "  %9.2e", focalLoss(pt, gamma: $0)) }.joined()
  let name = kind.padding(toLength: 10, withPad: " ", startingAt: 0)
  print(String(format: "  %.2f  ", pt) + name + cells)
}
print(String(format: "gamma 2 keeps %.0f%% of the CE loss at p_t = 0.9, %.0f%% at p_t = 0.3"
             + " and %.0f%% at p_t = 0.1.",
             100 * focalLoss(0.9, gamma: 2) / crossEntropy(0.9),
             100 * focalLoss(0.3, gamma: 2) / crossEntropy(0.3),
             100 * focalLoss(0.1, gamma: 2) / crossEntropy(0.1)))

// In training the network outputs a logit x, not a probability. Computing p = sigmoid(x)
// first and then log(p_t) breaks for confident logits: sigmoid(40) rounds to exactly 1 in
// Double (sigmoid(17) already in Float), so log(1 - p) = log(0) = -inf. The stable form stays
// in log space. With z = x for a positive label and z = -x for a negative one, p_t = sigmoid(z):
//   log p_t       = log sigmoid(z)  = -softplus(-z)
//   (1 - p_t)^g   = sigmoid(-z)^g   = exp(-g * softplus(z))
//   FL            = exp(-g * softplus(z)) * softplus(-z)
// with softplus(u) = log(1 + e^u) = max(u, 0) + log1p(e^-|u|), which never overflows.
// (PyTorch's torchvision.ops.sigmoid_focal_loss uses BCE-with-logits for the same reason.)
// snippet.logits
func softplus(_ u: Double) -> Double { max(u, 0) + log1p(exp(-abs(u))) }

func focalLossFromLogit(_ x: Double, label: Int, gamma: Double) -> Double {
  let z = label == 1 ? x : -x
  return exp(-gamma * softplus(z)) * softplus(-z)
}

/// The naive route: probability first, then the formula above.
func focalLossNaive(_ x: Double, label: Int, gamma: Double) -> Double {
  let p = 1 / (1 + exp(-x))
  return focalLoss(label == 1 ? p : 1 - p, gamma: gamma)
}
// snippet.end

print("\nFocal loss (gamma = 2) from a logit, naive vs stable:")
print("   logit  label   naive (via p)   stable (log space)")
for (x, label) in [(2.0, 1), (-2.0, 1), (15.0, 0), (40.0, 0), (-40.0, 1), (-40.0, 0)] {
  let naive = focalLossNaive(x, label: label, gamma: 2) + 0  // + 0 turns -0 into 0
  let stable = focalLossFromLogit(x, label: label, gamma: 2)
  print(String(format: "  %6.1f  %5d   %13.6g   %18.6g", x, label, naive, stable))
}
print("At gamma = 0 the stable form is binary cross-entropy with logits: "
  + String(format: "%.6f", focalLossFromLogit(-2, label: 1, gamma: 0))
  + String(format: " = -log(sigmoid(-2)) = %.6f.", -log(1 / (1 + exp(2.0)))))

// A detector's anchors: 1 positive per 1000 negatives, most negatives easy background.
// 100 positives and 100,000 negatives; p_t values spread evenly within each group.
// snippet.imbalance
func spread(_ count: Int, from lo: Double, to hi: Double) -> [Double] {
  (0..<count).map { lo + (hi - lo) * (Double($0) + 0.5) / Double(count) }
}
let groups: [(name: String, pt: [Double])] = [
  ("positives (p_t 0.1-0.9)", spread(100, from: 0.1, to: 0.9)),
  ("hard negatives (0.2-0.9)", spread(1_000, from: 0.2, to: 0.9)),
  ("easy negatives (0.9-0.999)", spread(99_000, from: 0.9, to: 0.999)),
]
print("\nShare of the total loss, 100 positives : 100,000 negatives:")
print("  group" + String(repeating: " ", count: 21)
  + gammas.map { String(format: "gamma=%g", $0) }.joined(separator: "  "))
// totals[group][gamma]: the summed loss of a group at one gamma.
let totals = groups.map { g in
  gammas.map { gamma in g.pt.reduce(0) { $0 + focalLoss($1, gamma: gamma) } }
}
for (i, g) in groups.enumerated() {
  let shares = gammas.indices.map { j in
    String(format: "%6.1f%%", 100 * totals[i][j] / totals.reduce(0) { $0 + $1[j] })
  }
  let name = g.name.padding(toLength: 26, withPad: " ", startingAt: 0)
  print("  " + name + shares.joined(separator: "  "))
}
// snippet.end
print("""

With cross-entropy the easy negatives, each nearly correct, still supply most
of the loss and the gradient. With gamma = 2 the positives and hard negatives
dominate, so training spends its effort where the model is wrong.
""")

// snippet.hide
// MARK: - Figure
// The loss of one example against p_t, for each gamma.
do {
  var chart = Chart(
    title: "Focal loss against cross-entropy",
    desc: "Loss of one example against p_t, the probability the model gives to the true class, for gamma 0 "
      + "(cross-entropy) and focal loss with gamma 1, 2 and 5. All curves are large for hard examples on the "
      + "left. On the right, where examples are easy (p_t above 0.9, shaded), cross-entropy still gives "
      + "\(SVGText.fixed(crossEntropy(0.9), decimals: 3)) at p_t 0.9 while focal loss with gamma 2 gives "
      + "\(SVGText.fixed(focalLoss(0.9, gamma: 2), decimals: 4)), a hundred times less.")
  chart.xDomain = 0...1
  chart.yDomain = 0...4
  chart.xLabel = "p_t (probability of the true class)"
  chart.yLabel = "loss"
  chart.add(.rect(x1: 0.9, y1: 0, x2: 1, y2: 4, label: "easy",
    style: FigureStyle(color: .grid, lineWidth: 0, fillOpacity: 0.35)))
  let pts = (2...200).map { Double($0) / 200 }
  for (i, gamma) in gammas.enumerated() {
    let label = gamma == 0 ? "cross-entropy (γ = 0)" : "focal, γ = \(Int(gamma))"
    chart.add(.line(pts.map { ($0, focalLoss($0, gamma: gamma)) }, label: label, style: .series(i)))
  }
  Figure.save(chart.svg(name: "focal-vs-ce"), name: "focal-vs-ce")
}
// snippet.show
