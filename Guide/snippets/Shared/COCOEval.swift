// snippet.uses: Box.swift IoU.swift Detection.swift AveragePrecision.swift
//
// COCO-style box evaluation, computed exactly as pycocotools' COCOeval (iouType "bbox") does:
// evaluate() per image and class, accumulate() over images, summarize() into 12 numbers.
//
// Per image, class and area range (evaluateImg):
// - ground truths that are crowd regions or whose area is outside the range are "ignored" and
//   sorted after the others (stable);
// - detections are sorted by descending score (stable) and cut to the largest maxDets;
// - at each IoU threshold t, each detection in turn takes the unmatched, non-ignored ground truth
//   with the highest IoU >= t (ties: the later one); only if it finds none may it match an ignored
//   one (a crowd region may be matched any number of times). A match to an ignored ground truth
//   makes the detection ignored too. IoU with a crowd region is intersection / detection area.
// - unmatched detections whose own area is outside the range are ignored.
// Over all images (accumulate), per IoU threshold, class, area range and maxDets:
// - detections of all images are ranked by score (stable), running TP and FP counts give
//   precision and recall, precision is made monotone from the right and read at the 101 recall
//   thresholds; the cell is -1 when the class has no non-ignored ground truth.
// summarize: AP = mean of those precisions over IoU thresholds, recall thresholds and classes
// (cells of -1 left out); AR = mean of the final recall over IoU thresholds and classes.

import Foundation

/// A named range of object areas, inclusive at both ends (as in pycocotools).
struct COCOAreaRange: Sendable, Equatable {
  var label: String
  var lower: Double
  var upper: Double

  func contains(_ area: Double) -> Bool { !(area < lower || area > upper) }
}

/// The evaluation settings; the defaults are pycocotools' `Params(iouType="bbox")`.
struct COCOEvalParams: Sendable {
  /// 0.50, 0.55, ..., 0.95, as `np.linspace(.5, 0.95, 10)`.
  var iouThresholds: [Double] = linspace(0.5, 0.95, count: 10)
  /// 0, 0.01, ..., 1, as `np.linspace(0, 1, 101)`; must ascend.
  var recallThresholds: [Double] = cocoRecallThresholds
  /// Detections kept per image and class (the highest-scoring ones); ascending.
  var maxDetections: [Int] = [1, 10, 100]
  /// all, small (< 32²), medium (32²–96²), large (> 96²), in pixels².
  var areaRanges: [COCOAreaRange] = [
    COCOAreaRange(label: "all", lower: 0, upper: 1e10),
    COCOAreaRange(label: "small", lower: 0, upper: 32 * 32),
    COCOAreaRange(label: "medium", lower: 32 * 32, upper: 96 * 96),
    COCOAreaRange(label: "large", lower: 96 * 96, upper: 1e10),
  ]

  init() {}
}

/// The 12 numbers of pycocotools' `summarize()`; -1 where pycocotools prints -1.000
/// (no ground truth in that setting).
struct COCOStats: Sendable, Equatable {
  var ap: Double, ap50: Double, ap75: Double
  var apSmall: Double, apMedium: Double, apLarge: Double
  var ar1: Double, ar10: Double, ar100: Double
  var arSmall: Double, arMedium: Double, arLarge: Double

  /// In pycocotools' order (`COCOeval.stats`).
  var values: [Double] {
    [ap, ap50, ap75, apSmall, apMedium, apLarge, ar1, ar10, ar100, arSmall, arMedium, arLarge]
  }
}

/// The result of `cocoEvaluate`: the accumulated arrays and the summary.
struct COCOEvaluation: Sendable {
  var params: COCOEvalParams
  /// The classes evaluated (every label seen in ground truth or detections), ascending;
  /// `labelIndex` in the accessors indexes this array.
  var labels: [Int]
  /// pycocotools' `eval["precision"]`, shape [T][R][K][A][M], flattened (-1: no ground truth).
  var precisionValues: [Double]
  /// pycocotools' `eval["recall"]`, shape [T][K][A][M], flattened (-1: no ground truth).
  var recallValues: [Double]
  var stats: COCOStats

  private var dims: (t: Int, r: Int, k: Int, a: Int, m: Int) {
    (params.iouThresholds.count, params.recallThresholds.count, labels.count,
     params.areaRanges.count, params.maxDetections.count)
  }

  /// Interpolated precision of one cell (pycocotools `precision[t, r, k, a, m]`).
  func precision(iouIndex t: Int, recallIndex r: Int, labelIndex k: Int, areaIndex a: Int, maxDetIndex m: Int) -> Double {
    let d = dims
    return precisionValues[(((t * d.r + r) * d.k + k) * d.a + a) * d.m + m]
  }

  /// Recall reached in one cell (pycocotools `recall[t, k, a, m]`).
  func recall(iouIndex t: Int, labelIndex k: Int, areaIndex a: Int, maxDetIndex m: Int) -> Double {
    let d = dims
    return recallValues[((t * d.k + k) * d.a + a) * d.m + m]
  }

  /// AP of one class over all areas at the largest maxDets: at one IoU threshold, or averaged
  /// over all of them when `iouThreshold` is nil (the per-class "AP" of COCO leaderboards).
  /// -1 when the class has no ground truth or the threshold is not one of the parameters.
  func ap(label: Int, iouThreshold: Double? = nil) -> Double {
    guard let k = labels.firstIndex(of: label) else { return -1 }
    return summarize(isAP: true, iouThreshold: iouThreshold, area: "all",
                     maxDets: params.maxDetections.last ?? 0, labelIndices: [k])
  }

  /// pycocotools' `_summarize`: the mean over the selected cells that are not -1, else -1.
  func summarize(isAP: Bool, iouThreshold: Double?, area: String, maxDets: Int,
                 labelIndices: [Int]? = nil) -> Double {
    let d = dims
    let ts = params.iouThresholds.indices.filter { t in
      iouThreshold.map { abs(params.iouThresholds[t] - $0) < 1e-12 } ?? true
    }
    let aind = params.areaRanges.indices.filter { params.areaRanges[$0].label == area }
    let mind = params.maxDetections.indices.filter { params.maxDetections[$0] == maxDets }
    let ks = labelIndices ?? Array(0..<d.k)
    var selected: [Double] = []
    // Same element order as numpy's s[s > -1] on the sliced array: t, (r,) k, a, m.
    for t in ts {
      if isAP {
        for r in 0..<d.r { for k in ks { for a in aind { for m in mind {
          let v = precision(iouIndex: t, recallIndex: r, labelIndex: k, areaIndex: a, maxDetIndex: m)
          if v > -1 { selected.append(v) }
        } } } }
      } else {
        for k in ks { for a in aind { for m in mind {
          let v = recall(iouIndex: t, labelIndex: k, areaIndex: a, maxDetIndex: m)
          if v > -1 { selected.append(v) }
        } } }
      }
    }
    return selected.isEmpty ? -1 : pairwiseSum(selected[...]) / Double(selected.count)
  }

  /// The 12 lines pycocotools' `summarize()` prints, e.g.
  /// ` Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.504`.
  func summaryLines() -> [String] {
    let m = params.maxDetections
    let first = params.iouThresholds.first ?? 0, last = params.iouThresholds.last ?? 0
    let all = fixed2(first) + ":" + fixed2(last)
    let rows: [(Bool, String, String, Int, Double)] = [
      (true, all, "all", m[m.count - 1], stats.ap),
      (true, "0.50", "all", m[m.count - 1], stats.ap50),
      (true, "0.75", "all", m[m.count - 1], stats.ap75),
      (true, all, "small", m[m.count - 1], stats.apSmall),
      (true, all, "medium", m[m.count - 1], stats.apMedium),
      (true, all, "large", m[m.count - 1], stats.apLarge),
      (false, all, "all", m[0], stats.ar1),
      (false, all, "all", m[min(1, m.count - 1)], stats.ar10),
      (false, all, "all", m[m.count - 1], stats.ar100),
      (false, all, "small", m[m.count - 1], stats.arSmall),
      (false, all, "medium", m[m.count - 1], stats.arMedium),
      (false, all, "large", m[m.count - 1], stats.arLarge),
    ]
    return rows.map { isAP, iouStr, area, maxDets, value in
      let title = isAP ? "Average Precision  (AP)" : "Average Recall     (AR)"
      return " \(title) @[ IoU=\(pad(iouStr, 9, left: true)) | area=\(pad(area, 6, left: false))"
        + " | maxDets=\(pad(String(maxDets), 3, left: false)) ] = \(fixed3(value))"
    }
  }
}

/// Evaluates detections against ground truth the way pycocotools' COCOeval does for boxes
/// (evaluate, accumulate, summarize). Classes are the labels present in either input; images
/// are the image IDs present in either input.
func cocoEvaluate(
  groundTruths: [GroundTruth], detections: [Detection], params: COCOEvalParams = .init()
) -> COCOEvaluation {
  let labels = Array(Set(groundTruths.map(\.label)).union(detections.map(\.label))).sorted()
  let images = Array(Set(groundTruths.map(\.imageID)).union(detections.map(\.imageID))).sorted()
  let T = params.iouThresholds.count, R = params.recallThresholds.count
  let K = labels.count, A = params.areaRanges.count, M = params.maxDetections.count
  let maxDet = params.maxDetections.max() ?? 0

  struct Key: Hashable { var image: Int; var label: Int }
  var gtsByKey: [Key: [GroundTruth]] = [:]
  var dtsByKey: [Key: [Detection]] = [:]
  for g in groundTruths { gtsByKey[Key(image: g.imageID, label: g.label), default: []].append(g) }
  for d in detections { dtsByKey[Key(image: d.imageID, label: d.label), default: []].append(d) }

  // evaluate(): evalImgs[k][a] lists the per-image results in ascending image order,
  // leaving out images with neither ground truth nor detections of the class.
  var evalImgs = [[[ImageEval]]](repeating: [[ImageEval]](repeating: [], count: A), count: K)
  for (k, label) in labels.enumerated() {
    for image in images {
      let key = Key(image: image, label: label)
      let gts = gtsByKey[key] ?? []
      let allDts = dtsByKey[key] ?? []
      if gts.isEmpty && allDts.isEmpty { continue }
      let order = stableOrderByDescendingScore(allDts.map(\.score))
      let dts = order.prefix(maxDet).map { allDts[$0] }
      // IoU of each detection with each ground truth, in input order of the ground truth.
      let ious = dts.map { d in
        gts.map { g in g.isCrowd ? iouCrowd(d.box, g.box) : iou(d.box, g.box) }
      }
      for (a, range) in params.areaRanges.enumerated() {
        evalImgs[k][a].append(
          evaluateImage(gts: gts, dts: dts, ious: ious, range: range, iouThresholds: params.iouThresholds))
      }
    }
  }

  // accumulate()
  var precision = [Double](repeating: -1, count: T * R * K * A * M)
  var recall = [Double](repeating: -1, count: T * K * A * M)
  for k in 0..<K {
    for a in 0..<A {
      let E = evalImgs[k][a]
      if E.isEmpty { continue }
      let npig = E.reduce(0) { $0 + $1.numPositives }
      if npig == 0 { continue }
      for (m, md) in params.maxDetections.enumerated() {
        // Concatenate the first `md` detections of every image, then rank them all by score.
        var refs: [(e: Int, d: Int)] = []
        var scores: [Double] = []
        for (e, img) in E.enumerated() {
          for d in 0..<min(md, img.scores.count) {
            refs.append((e, d))
            scores.append(img.scores[d])
          }
        }
        let order = stableOrderByDescendingScore(scores)
        let nd = order.count
        for t in 0..<T {
          var tps = [Int](repeating: 0, count: nd)
          var fps = [Int](repeating: 0, count: nd)
          var tp = 0, fp = 0
          for (i, o) in order.enumerated() {
            let (e, d) = refs[o]
            if !E[e].isIgnored[t][d] {
              if E[e].isMatched[t][d] { tp += 1 } else { fp += 1 }
            }
            tps[i] = tp
            fps[i] = fp
          }
          recall[((t * K + k) * A + a) * M + m] = nd > 0 ? Double(tp) / Double(npig) : 0
          let q = cocoInterpolatedPrecision(
            truePositives: tps, falsePositives: fps, numPositives: npig,
            recallThresholds: params.recallThresholds)
          for r in 0..<R { precision[(((t * R + r) * K + k) * A + a) * M + m] = q[r] }
        }
      }
    }
  }

  var result = COCOEvaluation(
    params: params, labels: labels, precisionValues: precision, recallValues: recall,
    stats: COCOStats(ap: -1, ap50: -1, ap75: -1, apSmall: -1, apMedium: -1, apLarge: -1,
                     ar1: -1, ar10: -1, ar100: -1, arSmall: -1, arMedium: -1, arLarge: -1))
  // summarize()
  let md = params.maxDetections
  let top = md.last ?? 0
  func s(_ isAP: Bool, _ iou: Double? = nil, _ area: String = "all", _ maxDets: Int) -> Double {
    result.summarize(isAP: isAP, iouThreshold: iou, area: area, maxDets: maxDets)
  }
  result.stats = COCOStats(
    ap: s(true, nil, "all", top), ap50: s(true, 0.5, "all", top), ap75: s(true, 0.75, "all", top),
    apSmall: s(true, nil, "small", top), apMedium: s(true, nil, "medium", top),
    apLarge: s(true, nil, "large", top),
    ar1: s(false, nil, "all", md.first ?? 0), ar10: s(false, nil, "all", md[min(1, md.count - 1)]),
    ar100: s(false, nil, "all", top),
    arSmall: s(false, nil, "small", top), arMedium: s(false, nil, "medium", top),
    arLarge: s(false, nil, "large", top))
  return result
}

/// pycocotools' evaluateImg result for one image, class and area range.
private struct ImageEval: Sendable {
  /// Detection scores, descending (already cut to the largest maxDets).
  var scores: [Double]
  /// [iouThreshold][detection]: matched a ground truth (regular or ignored).
  var isMatched: [[Bool]]
  /// [iouThreshold][detection]: ignored (matched an ignored gt, or unmatched and out of range).
  var isIgnored: [[Bool]]
  /// Ground truths that count: not crowd, area inside the range.
  var numPositives: Int
}

private func evaluateImage(
  gts: [GroundTruth], dts: [Detection], ious: [[Double]], range: COCOAreaRange,
  iouThresholds: [Double]
) -> ImageEval {
  let ignoreOf = gts.map { $0.isCrowd || !range.contains($0.effectiveArea) }
  // Sort ground truths with the ignored ones last (stable, like np.argsort kind="mergesort").
  let gtOrder = gts.indices.filter { !ignoreOf[$0] } + gts.indices.filter { ignoreOf[$0] }
  let gtIgnore = gtOrder.map { ignoreOf[$0] }
  let isCrowd = gtOrder.map { gts[$0].isCrowd }
  let G = gtOrder.count, D = dts.count
  var isMatched = [[Bool]](repeating: [Bool](repeating: false, count: D), count: iouThresholds.count)
  var isIgnored = isMatched
  if G > 0 && D > 0 {
    for (t, threshold) in iouThresholds.enumerated() {
      var gtMatched = [Bool](repeating: false, count: G)
      for d in 0..<D {
        var best = min(threshold, 1 - 1e-10)
        var m = -1
        for g in 0..<G {
          // A matched ground truth is taken, unless it is a crowd region.
          if gtMatched[g] && !isCrowd[g] { continue }
          // Already matched a regular one and reached the ignored ones: stop.
          if m > -1 && !gtIgnore[m] && gtIgnore[g] { break }
          let o = ious[d][gtOrder[g]]
          if o < best { continue }
          best = o
          m = g
        }
        if m == -1 { continue }
        isIgnored[t][d] = gtIgnore[m]
        isMatched[t][d] = true
        gtMatched[m] = true
      }
    }
  }
  // Unmatched detections outside the area range do not count against the model.
  for d in 0..<D where !range.contains(dts[d].box.width * dts[d].box.height) {
    for t in iouThresholds.indices where !isMatched[t][d] { isIgnored[t][d] = true }
  }
  return ImageEval(
    scores: dts.map(\.score), isMatched: isMatched, isIgnored: isIgnored,
    numPositives: gtIgnore.count { !$0 })
}

/// Indices by descending score, equal scores in input order (`np.argsort(-s, kind="mergesort")`).
private func stableOrderByDescendingScore(_ scores: [Double]) -> [Int] {
  scores.indices.sorted { i, j in scores[i] != scores[j] ? scores[i] > scores[j] : i < j }
}

/// numpy's pairwise summation (`np.add.reduce` on a contiguous float64 array), so that means
/// agree with `np.mean` to the last bit.
private func pairwiseSum(_ a: ArraySlice<Double>) -> Double {
  let n = a.count
  let s = a.startIndex
  if n < 8 {
    var res = 0.0
    for v in a { res += v }
    return res
  } else if n <= 128 {
    var r = (0..<8).map { a[s + $0] }
    var i = 8
    while i < n - (n % 8) {
      for j in 0..<8 { r[j] += a[s + i + j] }
      i += 8
    }
    var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
    while i < n {
      res += a[s + i]
      i += 1
    }
    return res
  } else {
    var n2 = n / 2
    n2 -= n2 % 8
    return pairwiseSum(a[s..<(s + n2)]) + pairwiseSum(a[(s + n2)...])
  }
}

// printf-style rounding of the exact binary value, as Python's '{:0.3f}' does
// (e.g. 0.0625 prints as 0.062, not 0.063).
private func fixed2(_ v: Double) -> String { String(format: "%.2f", v) }
private func fixed3(_ v: Double) -> String { String(format: "%.3f", v) }

private func pad(_ s: String, _ width: Int, left: Bool) -> String {
  let fill = String(repeating: " ", count: max(0, width - s.count))
  return left ? s + fill : fill + s
}
