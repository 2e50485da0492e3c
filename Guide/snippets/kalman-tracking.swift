// snippet.title: SORT- and ByteTrack-style trackers (Kalman + IoU association) scored with MOTA and IDF1
// snippet.uses: Box.swift IoU.swift Random.swift

// snippet.hide
import Foundation

func f3(_ v: Double) -> String { String(format: "%.3f", v) }
func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: n, withPad: " ", startingAt: 0) }
// snippet.show

// Ground truth: 4 objects, 40 x 40 px, moving at constant velocity for 40 frames.
// A and B cross each other; C is fast (25 px per frame, more than half its width).
struct Mover { var name: String; var x, y, vx, vy: Double }
let movers = [
  Mover(name: "A", x: 60, y: 100, vx: 12, vy: 0),
  Mover(name: "B", x: 500, y: 110, vx: -6, vy: 0),
  Mover(name: "C", x: 40, y: 300, vx: 25, vy: 3),
  Mover(name: "D", x: 320, y: 460, vx: 0, vy: -8),
]
let frames = 40
func truthBox(_ m: Mover, _ t: Int) -> Box {
  Box(cxcywh: m.x + m.vx * Double(t), m.y + m.vy * Double(t), 40, 40)
}
// Detections with scores: centre noise (sd 2 px), 10% misses, scores 0.6-0.95. While A passes in
// front of B, B is partly hidden and its score drops to 0.15-0.45 (what detectors do with
// occlusion). A poster at (500, 400) looks a little like an object: a 0.15-0.4 false detection in
// 70% of frames. And a random false alarm (score 0.1-0.6) in 20% of frames.
struct Detection2D { var box: Box; var score: Double }
let detections: [[Detection2D]] = {
  var rng = SplitMix64(seed: 2026)
  var all: [[Detection2D]] = []
  for t in 0..<frames {
    var frame: [Detection2D] = []
    let occluded = iou(truthBox(movers[0], t), truthBox(movers[1], t)) > 0
    for (k, m) in movers.enumerated() where !rng.bernoulli(0.10) {
      let box = truthBox(m, t).translated(dx: rng.normal() * 2, dy: rng.normal() * 2)
      let score = k == 1 && occluded ? rng.uniform(0.15, 0.45) : rng.uniform(0.6, 0.95)
      frame.append(Detection2D(box: box, score: score))
    }
    if rng.bernoulli(0.7) {
      let poster = Box(cxcywh: 500, 400, 40, 40).translated(dx: rng.normal() * 2, dy: rng.normal() * 2)
      frame.append(Detection2D(box: poster, score: rng.uniform(0.15, 0.4)))
    }
    if rng.bernoulli(0.2) {
      let box = Box(xywh: rng.uniform(0, 600), rng.uniform(0, 440), 40, 40)
      frame.append(Detection2D(box: box, score: rng.uniform(0.1, 0.6)))
    }
    all.append(frame)
  }
  return all
}()

// A constant-velocity Kalman filter for one axis: state (position, velocity), position measured.
// x and y use independent copies (exact here because the noise matrices are diagonal).
// snippet.kalman
struct Kalman1D {
  var pos: Double
  var vel = 0.0
  var p = [[10.0, 0], [0, 100]]  // unsure of the velocity at birth
  let q = 1.0  // process noise (acceleration), per frame
  let r = 4.0  // measurement noise variance (sd 2 px)

  mutating func predict() {  // x <- F x, P <- F P F^T + Q, with F = [[1, 1], [0, 1]]
    pos += vel
    let (a, b, c) = (p[0][0], p[0][1], p[1][1])
    p = [[a + 2 * b + c + q / 4, b + c + q / 2], [b + c + q / 2, c + q]]
  }
  mutating func update(_ z: Double) {  // H = [1, 0]
    let s = p[0][0] + r  // innovation variance
    let k0 = p[0][0] / s
    let k1 = p[1][0] / s  // Kalman gain
    let innovation = z - pos
    pos += k0 * innovation
    vel += k1 * innovation
    p = [[(1 - k0) * p[0][0], (1 - k0) * p[0][1]], [p[1][0] - k1 * p[0][0], p[1][1] - k1 * p[0][1]]]
  }
}
// snippet.end

struct Track {
  var id: Int
  var kx: Kalman1D
  var ky: Kalman1D
  var size: (w: Double, h: Double)
  var hits = 1
  var missed = 0
  var box: Box { Box(cxcywh: kx.pos, ky.pos, size.w, size.h) }
}

// SORT's loop (Bewley et al. 2016): predict every track, associate by IoU, update matched
// tracks, start tracks from unmatched detections, delete tracks unmatched for maxAge frames.
// Only detections scoring >= `threshold` are used. With `byteLow` set, ByteTrack's second round
// (Zhang et al. 2022): boxes scoring in [byteLow, threshold) are matched to the tracks still
// unmatched after the first round, and never start tracks.
// Association here is greedy by highest IoU (SORT and ByteTrack use the Hungarian algorithm).
// snippet.sort
func runTracker(
  useKalman: Bool, iouGate: Double, threshold: Double = 0.5, byteLow: Double? = nil,
  maxAge: Int = 3, minHits: Int = 2
) -> [[(id: Int, box: Box)]] {
  var tracks: [Track] = []
  var nextID = 1
  var output: [[(id: Int, box: Box)]] = []
  for frame in detections {
    if useKalman {
      for i in tracks.indices {
        tracks[i].kx.predict()
        tracks[i].ky.predict()
      }
    }
    var usedTracks = Set<Int>()
    var usedDetections = Set<Int>()
    func associate(_ candidates: [Int]) {
      var pairs: [(Double, Int, Int)] = []
      for (i, tr) in tracks.enumerated() where !usedTracks.contains(i) {
        for j in candidates {
          let v = iou(tr.box, frame[j].box)
          if v >= iouGate { pairs.append((v, i, j)) }
        }
      }
      pairs.sort { $0.0 > $1.0 }
      for (_, i, j) in pairs where !usedTracks.contains(i) && !usedDetections.contains(j) {
        usedTracks.insert(i)
        usedDetections.insert(j)
        let c = frame[j].box.center
        if useKalman {
          tracks[i].kx.update(c.x)
          tracks[i].ky.update(c.y)
        } else {  // no motion model: the track is simply the last box it matched
          tracks[i].kx.pos = c.x
          tracks[i].ky.pos = c.y
        }
        tracks[i].hits += 1
        tracks[i].missed = 0
      }
    }
    let high = frame.indices.filter { frame[$0].score >= threshold }
    associate(high)
    if let low = byteLow {
      associate(frame.indices.filter { frame[$0].score >= low && frame[$0].score < threshold })
    }
    for i in tracks.indices where !usedTracks.contains(i) { tracks[i].missed += 1 }
    tracks.removeAll { $0.missed > maxAge }
    for j in high where !usedDetections.contains(j) {
      let det = frame[j].box
      tracks.append(
        Track(
          id: nextID, kx: Kalman1D(pos: det.center.x), ky: Kalman1D(pos: det.center.y),
          size: (det.width, det.height)))
      nextID += 1
    }
    output.append(tracks.filter { $0.missed == 0 && $0.hits >= minHits }.map { ($0.id, $0.box) })
  }
  return output
}
// snippet.end

// CLEAR MOT (Bernardin & Stiefelhagen 2008): per frame, keep last frame's object->track pairs
// that still overlap (IoU >= 0.5), match the rest greedily; a switch is an object matched to a
// different track than last time. MOTA = 1 - (FN + FP + IDSW) / GT.
// IDF1 (Ristani et al. 2016): one global one-to-one map object <-> track maximising the frames
// they share (IDTP); IDF1 = 2 IDTP / (2 IDTP + IDFP + IDFN) = 2 IDTP / (GT + predictions).
// snippet.metrics
func evaluate(_ output: [[(id: Int, box: Box)]]) -> (
  mota: Double, idf1: Double, fn: Int,
  fp: Int, idsw: Int
) {
  var fn = 0, fp = 0, idsw = 0, gtCount = 0, predCount = 0
  var lastTrack: [Int: Int] = [:]  // object -> track it was last matched to
  var shared: [Int: [Int: Int]] = [:]  // object -> track -> frames with IoU >= 0.5
  for t in 0..<frames {
    let gts = movers.map { truthBox($0, t) }
    let preds = output[t]
    gtCount += gts.count
    predCount += preds.count
    for (g, gt) in gts.enumerated() {
      for p in preds where iou(gt, p.box) >= 0.5 { shared[g, default: [:]][p.id, default: 0] += 1 }
    }
    var match: [Int: Int] = [:]  // object -> index in preds
    var usedPreds = Set<Int>()
    for (g, gt) in gts.enumerated() {  // keep last frame's pairs that still hold
      if let id = lastTrack[g], let k = preds.firstIndex(where: { $0.id == id }),
        iou(gt, preds[k].box) >= 0.5
      {
        match[g] = k
        usedPreds.insert(k)
      }
    }
    var pairs: [(Double, Int, Int)] = []
    for (g, gt) in gts.enumerated() where match[g] == nil {
      for (k, p) in preds.enumerated() where !usedPreds.contains(k) {
        let v = iou(gt, p.box)
        if v >= 0.5 { pairs.append((v, g, k)) }
      }
    }
    pairs.sort { $0.0 > $1.0 }
    for (_, g, k) in pairs where match[g] == nil && !usedPreds.contains(k) {
      match[g] = k
      usedPreds.insert(k)
    }
    for g in gts.indices {
      guard let k = match[g] else {
        fn += 1
        continue
      }
      if let previous = lastTrack[g], previous != preds[k].id { idsw += 1 }
      lastTrack[g] = preds[k].id
    }
    fp += preds.count - usedPreds.count
  }
  // Best one-to-one object -> track map (4 objects: exhaustive search is enough).
  let trackIDs = Array(Set(shared.values.flatMap { $0.keys })).sorted()
  func best(_ g: Int, _ used: Set<Int>) -> Int {
    if g == movers.count { return 0 }
    var result = best(g + 1, used)  // object g mapped to no track
    for id in trackIDs where !used.contains(id) {
      result = max(result, (shared[g]?[id] ?? 0) + best(g + 1, used.union([id])))
    }
    return result
  }
  let idtp = best(0, [])
  let mota = 1 - Double(fn + fp + idsw) / Double(gtCount)
  return (mota, Double(2 * idtp) / Double(gtCount + predCount), fn, fp, idsw)
}
// snippet.end

let totalDetections = detections.reduce(0) { $0 + $1.count }
let lowDetections = detections.reduce(0) { $0 + $1.count { $0.score < 0.5 } }
print(
  "\(movers.count) objects x \(frames) frames = \(movers.count * frames) object-frames;"
    + " \(totalDetections) detections, \(lowDetections) of them scoring below 0.5")
print("\n" + pad("tracker", 34) + "tracks   MOTA   IDF1   FN   FP  IDSW   C    B")
let configurations: [(String, Bool, Double, Double, Double?)] = [
  ("IoU with the last box", false, 0.3, 0.5, nil),
  ("SORT (Kalman), gate 0.3", true, 0.3, 0.5, nil),
  ("SORT (Kalman), gate 0.1", true, 0.1, 0.5, nil),
  ("SORT, gate 0.1, every box >= 0.1", true, 0.1, 0.1, nil),
  ("ByteTrack-style, gate 0.1", true, 0.1, 0.5, 0.1),
]
for (name, kalman, gate, threshold, low) in configurations {
  let out = runTracker(useKalman: kalman, iouGate: gate, threshold: threshold, byteLow: low)
  let ids = Set(out.flatMap { $0.map(\.id) }).count
  let e = evaluate(out)
  func covered(_ k: Int) -> Int {
    (0..<frames).count { t in out[t].contains { iou($0.box, truthBox(movers[k], t)) >= 0.5 } }
  }
  print(
    pad(name, 34)
      + String(
        format: "%6d  %5.3f  %5.3f %4d %4d %5d  %2d   %2d", ids, e.mota, e.idf1, e.fn, e.fp,
        e.idsw, covered(2), covered(1)))
}
print("(C, B: frames, of \(frames), in which the fast object C and the occluded object B are tracked)")
