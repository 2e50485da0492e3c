// snippet.uses: Box.swift IoU.swift Detection.swift
//
// Precision, recall and F1 for a detector, and the precision-recall curve.
//
// A detection is a true positive (TP) when it overlaps a not-yet-matched ground-truth object of
// the same class with IoU >= the threshold; otherwise it is a false positive (FP). Objects that
// no detection matched are false negatives (FN).
//   precision = TP / (TP + FP)   how many of the boxes we output are right
//   recall    = TP / (TP + FN)   how many of the objects we found
//   F1        = 2PR / (P + R)    their harmonic mean
// Raising the confidence threshold trades recall for precision; sweeping it gives the PR curve.

/// A detection after matching: its confidence and whether it hit an object.
struct RankedDetection: Sendable, Equatable {
  var score: Double
  var isTruePositive: Bool
}

/// The outcome of matching detections to ground truth at one IoU threshold.
struct MatchResult: Sendable {
  /// The detections that count (not ignored), sorted by descending score, ties in input order.
  var ranked: [RankedDetection]
  /// For each input detection, the index of the ground truth it matched (nil: no match).
  var matchedGroundTruth: [Int?]
  /// For each input detection, whether it is ignored: it only matched a crowd region.
  var isIgnored: [Bool]
  /// The number of objects that can be found: ground truths that are not crowd regions.
  var numPositives: Int

  var truePositives: Int { ranked.count { $0.isTruePositive } }
  var falsePositives: Int { ranked.count { !$0.isTruePositive } }
  var falseNegatives: Int { numPositives - truePositives }
}

/// Matches detections to ground truth greedily, the way COCO and VOC evaluation do: within each
/// image and class, detections are visited from the highest score down (ties: input order); each
/// takes the unmatched object it overlaps most, if that IoU is >= `iouThreshold` (ties: the
/// first object). A detection that finds no object but overlaps a crowd region (intersection over
/// the detection's own area >= the threshold) is ignored rather than counted as a false positive.
func matchDetections(
  _ detections: [Detection], to groundTruths: [GroundTruth], iouThreshold: Double
) -> MatchResult {
  struct Key: Hashable { var image: Int; var label: Int }
  var gtByKey: [Key: [Int]] = [:]
  for (g, gt) in groundTruths.enumerated() {
    gtByKey[Key(image: gt.imageID, label: gt.label), default: []].append(g)
  }
  let order = detections.indices.sorted { i, j in
    detections[i].score != detections[j].score ? detections[i].score > detections[j].score : i < j
  }
  var gtMatched = [Bool](repeating: false, count: groundTruths.count)
  var matched = [Int?](repeating: nil, count: detections.count)
  var ignored = [Bool](repeating: false, count: detections.count)
  var ranked: [RankedDetection] = []
  for d in order {
    let det = detections[d]
    let candidates = gtByKey[Key(image: det.imageID, label: det.label)] ?? []
    var best = -1
    var bestIoU = iouThreshold
    for g in candidates where !groundTruths[g].isCrowd && !gtMatched[g] {
      let o = iou(det.box, groundTruths[g].box)
      if o >= bestIoU && (best < 0 || o > bestIoU) {
        best = g
        bestIoU = o
      }
    }
    if best >= 0 {
      gtMatched[best] = true
      matched[d] = best
      ranked.append(RankedDetection(score: det.score, isTruePositive: true))
    } else if candidates.contains(where: {
      groundTruths[$0].isCrowd && iouCrowd(det.box, groundTruths[$0].box) >= iouThreshold
    }) {
      ignored[d] = true
    } else {
      ranked.append(RankedDetection(score: det.score, isTruePositive: false))
    }
  }
  return MatchResult(
    ranked: ranked, matchedGroundTruth: matched, isIgnored: ignored,
    numPositives: groundTruths.count { !$0.isCrowd })
}

/// TP / (TP + FP); 1 when nothing was predicted (no prediction was wrong).
func precision(truePositives tp: Int, falsePositives fp: Int) -> Double {
  tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp)
}

/// TP / (TP + FN); 1 when there was nothing to find.
func recall(truePositives tp: Int, falseNegatives fn: Int) -> Double {
  tp + fn == 0 ? 1 : Double(tp) / Double(tp + fn)
}

/// The harmonic mean 2PR / (P + R); 0 when both are 0.
func f1Score(precision p: Double, recall r: Double) -> Double {
  p + r == 0 ? 0 : 2 * p * r / (p + r)
}

/// The counts and rates obtained by keeping the detections with score >= `threshold`.
struct OperatingPoint: Sendable, Equatable {
  var threshold: Double
  var truePositives: Int
  var falsePositives: Int
  var falseNegatives: Int
  // (Written out: inside this type the properties would shadow the free functions.)
  var precision: Double {
    truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
  }
  var recall: Double {
    truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
  }
  var f1: Double { f1Score(precision: precision, recall: recall) }
}

/// Precision, recall and F1 when only detections with score >= `threshold` are kept.
/// `ranked` need not be sorted.
func operatingPoint(_ ranked: [RankedDetection], numPositives: Int, threshold: Double) -> OperatingPoint {
  let kept = ranked.filter { $0.score >= threshold }
  let tp = kept.count { $0.isTruePositive }
  return OperatingPoint(
    threshold: threshold, truePositives: tp, falsePositives: kept.count - tp,
    falseNegatives: numPositives - tp)
}

/// The precision-recall curve: one operating point per distinct score, from the highest
/// threshold (few detections, high precision) to the lowest (all detections, highest recall).
func precisionRecallCurve(_ ranked: [RankedDetection], numPositives: Int) -> [OperatingPoint] {
  let sorted = ranked.sorted { $0.score > $1.score }
  var points: [OperatingPoint] = []
  var tp = 0
  var fp = 0
  for (i, d) in sorted.enumerated() {
    if d.isTruePositive { tp += 1 } else { fp += 1 }
    // Emit a point only after the last detection with this score: a threshold keeps all or none.
    if i + 1 == sorted.count || sorted[i + 1].score != d.score {
      points.append(OperatingPoint(
        threshold: d.score, truePositives: tp, falsePositives: fp, falseNegatives: numPositives - tp))
    }
  }
  return points
}

/// The operating point with the highest F1 (ties: the higher threshold); nil for no detections.
func bestF1(_ ranked: [RankedDetection], numPositives: Int) -> OperatingPoint? {
  var best: OperatingPoint?
  for p in precisionRecallCurve(ranked, numPositives: numPositives) where p.f1 > (best?.f1 ?? -1) {
    best = p
  }
  return best
}
