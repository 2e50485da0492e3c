// snippet.title: The cost of self-attention against image size (ViT-B/16)

// snippet.hide
import Foundation

func human(_ x: Double) -> String {
  if x >= 1e12 { return String(format: "%6.1f T", x / 1e12) }
  if x >= 1e9 { return String(format: "%6.1f G", x / 1e9) }
  if x >= 1e6 { return String(format: "%6.1f M", x / 1e6) }
  return String(format: "%6.1f k", x / 1e3)
}
// snippet.show

// ViT-B/16 (Dosovitskiy et al. 2021): 16x16 patches, width d = 768, 12 heads, 12 layers,
// MLP hidden size 4d. Counts are multiply-accumulates (MACs); the GFLOPs in DeiT and timm
// tables are these MAC counts (1 MAC = 2 floating-point operations).
// snippet.core
let d = 768.0, heads = 12.0, layers = 12.0, patch = 16

struct Cost { var tokens: Double; var linear: Double; var attention: Double; var scoresBytes: Double }

func vitCost(imageSize: Int) -> Cost {
  let n = Double((imageSize / patch) * (imageSize / patch) + 1)  // patches + the class token
  // Per layer: Q, K, V and output projections 4·n·d², MLP 2·n·d·4d = 8·n·d²  →  12·n·d²,
  // linear in the number of tokens. Attention: scores QKᵀ n²·d, weighted sum of V n²·d.
  let linear = layers * 12 * n * d * d
  let attention = layers * 2 * n * n * d
  // The n×n score matrix of every head, fp16, for one layer and one image (what a naive
  // implementation stores for the softmax backward; FlashAttention never materialises it).
  let scoresBytes = heads * n * n * 2
  return Cost(tokens: n, linear: linear, attention: attention, scoresBytes: scoresBytes)
}
// snippet.end

// The patch embedding (a 16x16 stride-16 conv, 3·16·16 → 768) and the classifier head are small.
func embedMACs(_ size: Int) -> Double { Double((size / patch) * (size / patch)) * 3 * 256 * d }

print(" image  tokens  linear MACs  attention MACs  attention share  total GMACs  scores/layer (fp16)")
for size in [224, 384, 512, 1024] {
  let c = vitCost(imageSize: size)
  let total = c.linear + c.attention + embedMACs(size) + d * 1000
  print(
    String(format: "  %4d  %6.0f   ", size, c.tokens) + human(c.linear) + "      " + human(c.attention)
      + String(format: "           %5.1f%%       %7.1f         ", 100 * c.attention / total, total / 1e9)
      + human(c.scoresBytes) + "B")
}

// snippet.window
// Swin-style local attention: tokens attend only inside 7x7 windows, so the n² term becomes
// n·49: linear in the image area (Liu et al. 2021). Same width, for comparison only.
func windowedAttention(imageSize: Int, window: Double = 49) -> Double {
  let n = Double((imageSize / patch) * (imageSize / patch))
  return layers * 2 * n * window * d
}
// snippet.end
print("\nAttention MACs, global vs 7x7 windows (same width and depth):")
for size in [224, 1024] {
  let global = vitCost(imageSize: size).attention
  let local = windowedAttention(imageSize: size)
  print(
    String(format: "  %4d px: ", size) + human(global) + " vs " + human(local)
      + String(format: "   (%.0fx fewer)", global / local))
}

let small = vitCost(imageSize: 224), large = vitCost(imageSize: 1024)
print(
  String(
    format: """

      From 224 to 1024 px the image has %.1fx more pixels and %.1fx more tokens; the linear
      layers cost %.1fx more, the attention scores %.0fx more. Smaller patches hurt the same way:
      ViT-B/8 at 224 px has 785 tokens, so about 16x the score memory of ViT-B/16.
      """, 1024.0 * 1024 / (224 * 224), large.tokens / small.tokens, large.linear / small.linear,
    large.attention / small.attention))
