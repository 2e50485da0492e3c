// snippet.uses: Metrics.swift
//
// Average precision (AP): one number for a whole precision-recall curve of one class.
//
// Walk down the detections from the highest score; after each one, precision and recall so far
// give one point of the curve. AP is the area under that curve, but benchmarks disagree on
// how to interpolate it, and the choice changes the number:
// - VOC 11-point (VOC2007 devkit): mean over recall r in {0, 0.1, ..., 1} of the best precision
//   at recall >= r.
// - VOC all-point (VOC2010+ devkit): make precision monotone decreasing from the right (the
//   "envelope"), then sum the exact area under that step function.
// - COCO 101-point (pycocotools): the same envelope, sampled at recall 0, 0.01, ..., 1 (the first
//   point at or past each recall), 0 past the last recall reached, then averaged.
// All three give exactly 1 for a perfect ranking and agree closely on long lists; on short lists
// they can differ by several points, so always say which one a number used.

/// The AP interpolation rule of a benchmark.
enum APInterpolation: Sendable, CaseIterable {
  case voc11Point
  case vocAllPoint
  case coco101Point

  var name: String {
    switch self {
    case .voc11Point: "VOC 11-point"
    case .vocAllPoint: "VOC all-point"
    case .coco101Point: "COCO 101-point"
    }
  }
}

/// `count` evenly spaced values from `start` to `stop`, computed exactly as `numpy.linspace`
/// does (`start + i * step`, the last value set to `stop`), so thresholds match numpy and
/// pycocotools to the last bit (e.g. the COCO recall threshold 0.57 is 0.5700000000000001
/// and the IoU threshold 0.9 is 0.8999999999999999).
func linspace(_ start: Double, _ stop: Double, count: Int) -> [Double] {
  guard count > 1 else { return count == 1 ? [start] : [] }
  let step = (stop - start) / Double(count - 1)
  var values = (0..<count).map { Double($0) * step + start }
  values[count - 1] = stop
  return values
}

/// COCO's 101 recall thresholds 0, 0.01, ..., 1 (as `np.linspace(0, 1, 101)`).
let cocoRecallThresholds: [Double] = linspace(0, 1, count: 101)

/// Precision and recall after each detection of a list ranked by descending score.
func cumulativePrecisionRecall(
  isTruePositive: [Bool], numPositives: Int
) -> (precision: [Double], recall: [Double]) {
  var precision: [Double] = []
  var recall: [Double] = []
  var tp = 0
  for (i, hit) in isTruePositive.enumerated() {
    if hit { tp += 1 }
    precision.append(Double(tp) / Double(i + 1))
    recall.append(numPositives > 0 ? Double(tp) / Double(numPositives) : 0)
  }
  return (precision, recall)
}

/// AP of one ranked list: `isTruePositive[i]` tells whether the i-th highest-scoring detection
/// matched an object; `numPositives` is the number of objects (found or not).
/// Returns -1 when `numPositives` is 0 (AP is undefined; pycocotools' convention).
func averagePrecision(
  isTruePositive: [Bool], numPositives: Int, interpolation: APInterpolation
) -> Double {
  guard numPositives > 0 else { return -1 }
  let (prec, rec) = cumulativePrecisionRecall(isTruePositive: isTruePositive, numPositives: numPositives)
  switch interpolation {
  case .voc11Point:
    // VOCevaldet.m (VOC2007): ap += max(prec(rec >= t)) / 11 for t = 0:0.1:1.
    // t = k / 10 exactly, so that a recall of exactly 6/10 counts as reaching 0.6 (ports that
    // use np.arange(0, 1.1, 0.1) compare against 0.6000000000000001 and disagree on such ties).
    // The devkit adds p / 11 eleven times, which can give 1.0000000000000002 for a perfect
    // list; summing first and dividing once keeps a perfect score exactly 1.
    var sum = 0.0
    for k in 0...10 {
      let t = Double(k) / 10
      var p = 0.0
      for i in rec.indices where rec[i] >= t { p = max(p, prec[i]) }
      sum += p
    }
    return sum / 11
  case .vocAllPoint:
    // VOCevaldet.m (VOC2010+): pad, take the envelope, sum rectangles where recall changes.
    let mrec = [0] + rec + [1]
    var mpre = [0] + prec + [0]
    for i in stride(from: mpre.count - 2, through: 0, by: -1) { mpre[i] = max(mpre[i], mpre[i + 1]) }
    var ap = 0.0
    for i in 1..<mrec.count where mrec[i] != mrec[i - 1] { ap += (mrec[i] - mrec[i - 1]) * mpre[i] }
    return ap
  case .coco101Point:
    var tp = 0
    var fp = 0
    var tps: [Int] = []
    var fps: [Int] = []
    for hit in isTruePositive {
      if hit { tp += 1 } else { fp += 1 }
      tps.append(tp)
      fps.append(fp)
    }
    let q = cocoInterpolatedPrecision(
      truePositives: tps, falsePositives: fps, numPositives: numPositives,
      recallThresholds: cocoRecallThresholds)
    return q.reduce(0, +) / Double(q.count)
  }
}

/// AP of detections that need not be sorted: they are ranked by descending score
/// (ties keep their order), then scored as above.
func averagePrecision(
  _ detections: [RankedDetection], numPositives: Int, interpolation: APInterpolation
) -> Double {
  let ranked = detections.indices.sorted { i, j in
    detections[i].score != detections[j].score ? detections[i].score > detections[j].score : i < j
  }
  return averagePrecision(
    isTruePositive: ranked.map { detections[$0].isTruePositive }, numPositives: numPositives,
    interpolation: interpolation)
}

/// The interpolated precision at each recall threshold, exactly as pycocotools'
/// `COCOeval.accumulate` computes it for one (IoU, class, area, maxDets) cell.
/// `truePositives[i]` and `falsePositives[i]` are the running counts after the i-th ranked
/// detection (ignored detections repeat the previous counts).
/// - precision = tp / (tp + fp + eps) with eps = 2.22e-16 (`np.spacing(1)`)
/// - made monotone from the right
/// - at each threshold r: the precision at the first index whose recall is >= r
///   (`np.searchsorted(rc, r, side="left")`), 0 if recall never reaches r.
func cocoInterpolatedPrecision(
  truePositives: [Int], falsePositives: [Int], numPositives: Int, recallThresholds: [Double]
) -> [Double] {
  let n = truePositives.count
  let npig = Double(numPositives)
  var rc = [Double](repeating: 0, count: n)
  var pr = [Double](repeating: 0, count: n)
  for i in 0..<n {
    let tp = Double(truePositives[i])
    let fp = Double(falsePositives[i])
    rc[i] = tp / npig
    pr[i] = tp / (fp + tp + Double.ulpOfOne)
  }
  if n > 1 {
    for i in stride(from: n - 1, to: 0, by: -1) where pr[i] > pr[i - 1] { pr[i - 1] = pr[i] }
  }
  var q = [Double](repeating: 0, count: recallThresholds.count)
  var idx = 0
  for (ri, r) in recallThresholds.enumerated() {
    // Thresholds ascend, so the search can resume where the previous one stopped.
    while idx < n && rc[idx] < r { idx += 1 }
    if idx >= n { break }
    q[ri] = pr[idx]
  }
  return q
}
