// snippet.uses: Box.swift IoU.swift
//
// Non-maximum suppression: a detector fires many overlapping boxes around each object;
// NMS keeps the highest-scoring one and removes the others that overlap it too much.
//
// Semantics follow torchvision.ops.nms exactly:
// - boxes are visited in descending score order, ties broken by the lower index (a stable sort);
// - a box is suppressed when its IoU with an already kept box is strictly greater than the
//   threshold (`>`, not `>=`): at IoU == threshold both boxes survive;
// - the result is the indices of the kept boxes, in descending score order.

import Foundation

/// The visiting order of NMS: indices sorted by descending score, ties by ascending index.
func indicesByDescendingScore(_ scores: [Double]) -> [Int] {
  scores.indices.sorted { i, j in
    scores[i] != scores[j] ? scores[i] > scores[j] : i < j
  }
}

/// Greedy NMS (torchvision semantics). Returns the indices of the kept boxes, highest score first.
func nms(boxes: [Box], scores: [Double], iouThreshold: Double) -> [Int] {
  precondition(boxes.count == scores.count, "one score per box")
  return greedyNMS(boxes: boxes, scores: scores, labels: nil, iouThreshold: iouThreshold)
}

/// Class-aware NMS (torchvision.ops.batched_nms): boxes only suppress boxes with the same label.
/// Returns the kept indices of all classes together, sorted by descending score (ties: lower index).
func batchedNMS(boxes: [Box], scores: [Double], labels: [Int], iouThreshold: Double) -> [Int] {
  precondition(boxes.count == scores.count && boxes.count == labels.count, "one score and label per box")
  return greedyNMS(boxes: boxes, scores: scores, labels: labels, iouThreshold: iouThreshold)
}

// One pass over the boxes in score order. With labels, a kept box only suppresses boxes of its
// own class; this gives exactly the kept set and the order of per-class NMS followed by a merge
// sorted by score, and of torchvision's "offset the boxes by class" trick.
private func greedyNMS(boxes: [Box], scores: [Double], labels: [Int]?, iouThreshold: Double) -> [Int] {
  let order = indicesByDescendingScore(scores)
  var suppressed = [Bool](repeating: false, count: boxes.count)
  var keep: [Int] = []
  for (rank, i) in order.enumerated() where !suppressed[i] {
    keep.append(i)
    for j in order[(rank + 1)...] where !suppressed[j] {
      if let labels, labels[j] != labels[i] { continue }
      if iou(boxes[i], boxes[j]) > iouThreshold { suppressed[j] = true }
    }
  }
  return keep
}

/// How Soft-NMS decays the score of a box that overlaps a selected one.
enum SoftNMSMethod: Sendable, Equatable {
  /// `s *= 1 - IoU` when IoU >= the threshold, unchanged below it.
  case linear
  /// `s *= exp(-IoU² / sigma)` for every overlapping box (the threshold is not used);
  /// the paper and its reference code use sigma = 0.5.
  case gaussian(sigma: Double)
}

/// Soft-NMS (Bodla et al., "Soft-NMS — Improving Object Detection With One Line of Code", 2017).
/// Instead of deleting the boxes that overlap a selected box, it lowers their scores, so a
/// second object hidden behind the first can still be found. Repeatedly selects the box with
/// the highest current score (ties: lower index), decays the scores of the remaining boxes, and
/// drops every box whose score falls below `scoreThreshold`.
/// Returns the selected boxes with their decayed scores, in selection order (scores non-increasing).
func softNMS(
  boxes: [Box], scores: [Double], method: SoftNMSMethod,
  iouThreshold: Double, scoreThreshold: Double
) -> [(index: Int, score: Double)] {
  precondition(boxes.count == scores.count, "one score per box")
  var current = scores
  var remaining = Array(boxes.indices).filter { scores[$0] >= scoreThreshold }
  var result: [(index: Int, score: Double)] = []
  while !remaining.isEmpty {
    // The best remaining box; `remaining` stays in ascending index order, so `>` keeps the
    // lowest index among equal scores.
    var bestPos = 0
    for p in remaining.indices.dropFirst() where current[remaining[p]] > current[remaining[bestPos]] {
      bestPos = p
    }
    let m = remaining.remove(at: bestPos)
    result.append((m, current[m]))
    for i in remaining {
      let overlap = iou(boxes[m], boxes[i])
      switch method {
      case .linear:
        if overlap >= iouThreshold { current[i] *= 1 - overlap }
      case .gaussian(let sigma):
        current[i] *= exp(-(overlap * overlap) / sigma)
      }
    }
    remaining.removeAll { current[$0] < scoreThreshold }
  }
  return result
}
