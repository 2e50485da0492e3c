// snippet.title: SGD, momentum, Adam and AdamW on an ill-conditioned quadratic
// snippet.uses: Random.swift

// snippet.hide
import Foundation

// snippet.show

// The loss f(w) = ½ (100·w₀² + 1·w₁²): a long narrow valley, curvatures 100 and 1
// (condition number κ = 100), minimum 0 at w = (0, 0). Start at w = (1, 1).
let curvature = [100.0, 1.0]
func loss(_ w: [Double]) -> Double { 0.5 * zip(curvature, w).reduce(0) { $0 + $1.0 * $1.1 * $1.1 } }
func gradient(_ w: [Double]) -> [Double] { zip(curvature, w).map { $0 * $1 } }

// snippet.core
protocol Optimizer { mutating func step(_ w: inout [Double], _ g: [Double]) }

struct SGD: Optimizer {  // w ← w − lr·g, or heavy-ball momentum: v ← μv + g, w ← w − lr·v
  var lr: Double
  var momentum = 0.0
  var velocity = [0.0, 0.0]
  mutating func step(_ w: inout [Double], _ g: [Double]) {
    for i in w.indices {
      velocity[i] = momentum * velocity[i] + g[i]
      w[i] -= lr * velocity[i]
    }
  }
}

struct Adam: Optimizer {  // Kingma & Ba 2015; decoupled weight decay: Loshchilov & Hutter 2019
  var lr: Double
  var beta1 = 0.9, beta2 = 0.999, eps = 1e-8
  var l2 = 0.0  // "Adam + L2": λ·w added to the gradient, then normalised with it
  var decoupledDecay = 0.0  // AdamW: w ← w − lr·λ·w, outside the normalisation
  var m = [0.0, 0.0], v = [0.0, 0.0]
  var b1t = 1.0, b2t = 1.0  // β₁ᵗ and β₂ᵗ for the bias correction
  mutating func step(_ w: inout [Double], _ grad: [Double]) {
    b1t *= beta1
    b2t *= beta2
    for i in w.indices {
      let g = grad[i] + l2 * w[i]
      m[i] = beta1 * m[i] + (1 - beta1) * g
      v[i] = beta2 * v[i] + (1 - beta2) * g * g
      let mHat = m[i] / (1 - b1t)
      let vHat = v[i] / (1 - b2t)
      w[i] -= lr * mHat / (vHat.squareRoot() + eps) + lr * decoupledDecay * w[i]
    }
  }
}
// snippet.end

func run(_ name: String, _ optimizer: some Optimizer, steps: [Int]) {
  var opt = optimizer
  var w = [1.0, 1.0]
  var cells: [String] = []
  for t in 1...steps.last! {
    opt.step(&w, gradient(w))
    if steps.contains(t) {
      let f = loss(w)
      cells.append(f.isFinite ? String(format: "%9.1e", f) : "      inf")
    }
  }
  print(name.padding(toLength: 34, withPad: " ", startingAt: 0) + cells.joined())
}

let checkpoints = [10, 50, 100, 200, 500]
print("Loss after t steps (start 50.5, minimum 0):")
print(
  String(repeating: " ", count: 34)
    + checkpoints.map { String(repeating: " ", count: 7 - "\($0)".count) + "t=\($0)" }.joined())
// Plain gradient descent is stable only for lr < 2/λ_max = 0.02.
run("SGD lr 0.021 (above 2/100)", SGD(lr: 0.021), steps: checkpoints)
run("SGD lr 0.019", SGD(lr: 0.019), steps: checkpoints)
run("SGD lr 0.019 + momentum 0.9", SGD(lr: 0.019, momentum: 0.9), steps: checkpoints)
// Heavy-ball's best setting for curvatures in [1, 100] (Polyak 1964):
// lr = 4/(√100 + √1)² ≈ 0.033, μ = ((√κ − 1)/(√κ + 1))² ≈ 0.669.
run("SGD lr 0.033 + momentum 0.669", SGD(lr: 4.0 / 121, momentum: 81.0 / 121), steps: checkpoints)
run("Adam lr 0.1", Adam(lr: 0.1), steps: checkpoints)
run("Adam lr 0.01", Adam(lr: 0.01), steps: checkpoints)

// Why Adam shrugs off the bad conditioning: its first steps are about lr on EVERY
// coordinate, whatever the gradient's scale (here 100 vs 1).
var adam = Adam(lr: 0.01)
var w = [1.0, 1.0]
adam.step(&w, gradient(w))
print(String(format: "\nAdam's first step: Δw₀ = %.4f, Δw₁ = %.4f (gradients 100 and 1)", w[0] - 1, w[1] - 1))
var sgd = SGD(lr: 0.01)
w = [1.0, 1.0]
sgd.step(&w, gradient(w))
print(String(format: "SGD's first step:  Δw₀ = %.4f, Δw₁ = %.4f", w[0] - 1, w[1] - 1))

// snippet.decay
// L2 in Adam is not weight decay (Loshchilov & Hutter 2019). 100 weights whose loss gradient
// is pure noise (nothing to learn, so only the decay should move them on average): 50 get
// noisy gradients with sd 10, 50 with sd 0.01. All start at 1; lr 0.001, λ = 0.1, 5000 steps.
func decayRun(l2: Double, decoupled: Double) -> (loud: Double, quiet: Double) {
  var rng = SplitMix64(seed: 7)
  var loud = 0.0, quiet = 0.0
  for _ in 0..<50 {
    var opt = Adam(lr: 0.001, l2: l2, decoupledDecay: decoupled)
    var w = [1.0, 1.0]
    for _ in 0..<5000 {
      opt.step(&w, [10 * rng.normal(), 0.01 * rng.normal()])
    }
    loud += w[0] / 50
    quiet += w[1] / 50
  }
  return (loud, quiet)
}
let coupled = decayRun(l2: 0.1, decoupled: 0)
let adamW = decayRun(l2: 0, decoupled: 0.1)
// snippet.end
print("\nMean weight after 5000 noisy steps (start 1; the decay alone gives (1 − 0.0001)^5000 = 0.607):")
print(
  String(
    format: "  Adam + L2 (λ·w in the gradient):  gradient sd 10: %.3f   gradient sd 0.01: %.3f",
    coupled.loud, coupled.quiet))
print(
  String(
    format: "  AdamW (decoupled decay):          gradient sd 10: %.3f   gradient sd 0.01: %.3f",
    adamW.loud, adamW.quiet))
print(
  """

  With L2, the decay term is divided by √v like the rest of the gradient: weights with
  large gradients are barely regularised, and quiet ones are driven to zero at a speed set
  by lr, not λ. AdamW shrinks every weight by the same factor (1 − lr·λ) per step.
  """)
