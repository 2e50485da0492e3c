// snippet.title: LoRA and adapter parameter counts for a ViT-B/16, and merging LoRA back
// snippet.uses: Random.swift

// snippet.hide
import Foundation

func grouped(_ n: Int) -> String {
  let s = String(n)
  var out = ""
  for (i, ch) in s.enumerated() {
    if i > 0 && (s.count - i) % 3 == 0 { out += "," }
    out.append(ch)
  }
  return out
}
func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: n, withPad: " ", startingAt: 0) }
func lpad(_ s: String, _ n: Int) -> String {
  String(repeating: " ", count: max(0, n - s.count)) + s
}
// snippet.show

// ViT-B/16 (Dosovitskiy et al. 2021): 12 blocks, width d = 768, MLP width 3072, 16x16 patches,
// 224x224 input -> 196 patch tokens + 1 class token, 1000-class head.
// snippet.vit
let d = 768, mlp = 3072, depth = 12, tokens = 197, classes = 1000
func linear(_ inputs: Int, _ outputs: Int) -> Int { inputs * outputs + outputs }  // W and bias
let patchEmbedding = linear(16 * 16 * 3, d)
let block =
  2 * d + linear(d, 3 * d) + linear(d, d)  // LayerNorm, fused q/k/v, attention output projection
  + 2 * d + linear(d, mlp) + linear(mlp, d)  // LayerNorm, MLP up, MLP down
let backbone = patchEmbedding + d + tokens * d + depth * block + 2 * d  // + cls, positions, final LN
let vitB = backbone + linear(d, classes)
print("ViT-B/16: \(grouped(block)) parameters per block, \(grouped(vitB)) in all")
// snippet.end

// LoRA (Hu et al. 2021) freezes a d_out x d_in weight W and learns W + (alpha / r) * B A with
// B: d_out x r (initialised to zero) and A: r x d_in, i.e. r * (d_in + d_out) new parameters.
// snippet.lora
func lora(_ dIn: Int, _ dOut: Int, rank r: Int) -> Int { r * (dIn + dOut) }
let newHead = linear(d, 10)  // a 10-class task still needs its own (fully trained) head
print("\nTrainable parameters for a 10-class task (head: \(grouped(newHead))):")
print("  " + pad("method", 42) + lpad("trainable", 11) + lpad("% of model", 12))
func report(_ name: String, _ trainable: Int) {
  let share = String(format: "%.3f%%", 100 * Double(trainable) / Double(backbone + newHead))
  print("  " + pad(name, 42) + lpad(grouped(trainable), 11) + lpad(share, 12))
}
report("full fine-tuning", backbone + newHead)
report("linear probe (head only)", newHead)
for r in [4, 8, 16] {
  report("LoRA r=\(r) on W_q, W_v", depth * 2 * lora(d, d, rank: r) + newHead)
}
for r in [4, 8, 16] {
  // q, k, v and the output projection as separate d x d matrices (as in Hugging Face's ViT)
  let perBlock = 4 * lora(d, d, rank: r) + lora(d, mlp, rank: r) + lora(mlp, d, rank: r)
  report("LoRA r=\(r) on every linear layer", depth * perBlock + newHead)
}
// Houlsby et al. 2019 adapters: two bottlenecks per block, d -> m -> d, with biases.
let adapter = linear(d, 64) + linear(64, d)
report("bottleneck adapters m=64, 2 per block", depth * 2 * adapter + newHead)
// snippet.end

// What it saves in training memory: fp32 weights (4 bytes) are always there; every trainable
// parameter also needs a gradient (4) and two AdamW moments (8). Activations come on top.
// snippet.memory
func megabytes(_ bytes: Int) -> String { String(format: "%.0f MB", Double(bytes) / 1e6) }
let loraQV8 = depth * 2 * lora(d, d, rank: 8) + newHead
print("\nweights + gradients + AdamW state:")
print("  full fine-tuning: \(megabytes(16 * (backbone + newHead)))")
print("  LoRA r=8 (q, v):  \(megabytes(4 * (backbone + newHead) + 12 * loraQV8))")
print(
  "  per-task file: full model \(megabytes(4 * (backbone + newHead))),"
    + " LoRA r=8 weights + head \(String(format: "%.2f MB", Double(4 * loraQV8) / 1e6))")
// snippet.end

// Merging: after training, W' = W + (alpha / r) B A gives the same outputs with no extra
// latency. Check on one 768 x 768 layer with random values.
// snippet.merge
var rng = SplitMix64(seed: 8)
let r = 8
let alpha = 16.0
let w = (0..<d).map { _ in (0..<d).map { _ in rng.normal() * 0.02 } }
let a = (0..<r).map { _ in (0..<d).map { _ in rng.normal() * 0.02 } }
let b = (0..<d).map { _ in (0..<r).map { _ in rng.normal() * 0.02 } }  // as if trained
let x = (0..<d).map { _ in rng.normal() }
func matVec(_ m: [[Double]], _ v: [Double]) -> [Double] {
  m.map { row in zip(row, v).reduce(0) { $0 + $1.0 * $1.1 } }
}
let ax = matVec(a, x)
let unmerged = zip(matVec(w, x), matVec(b, ax)).map { $0 + alpha / Double(r) * $1 }
let merged = (0..<d).map { i in
  (0..<d).map { j in w[i][j] + alpha / Double(r) * (0..<r).reduce(0) { $0 + b[i][$1] * a[$1][j] } }
}
let maxDifference = zip(unmerged, matVec(merged, x)).map { abs($0 - $1) }.max()!
print("\nmerged vs unmerged output, largest difference: \(maxDifference < 1e-12 ? "< 1e-12" : "\(maxDifference)")")
print("rank of the update B A: at most \(r) of \(d)")
// snippet.end
