// snippet.title: The nuScenes detection score (NDS), and why nuScenes matches by centre distance
// snippet.uses: Benchmark.swift

// snippet.hide
import Foundation

// snippet.show

// NDS = (5 * mAP + sum over five true-positive errors of max(1 - error, 0)) / 10
// (nuScenes devkit). Translation (m) and velocity (m/s) errors are unbounded, so the clip matters.
// snippet.nds
struct DetectionMetrics {
  var mAP: Double
  var ate: Double  // mean translation error, metres
  var ase: Double  // mean scale error, 1 - IoU after aligning centre and yaw
  var aoe: Double  // mean orientation error, radians
  var ave: Double  // mean velocity error, m/s
  var aae: Double  // mean attribute error, 1 - accuracy

  var tpScores: [Double] { [ate, ase, aoe, ave, aae].map { max(1 - $0, 0) } }
  var nds: Double { (5 * mAP + tpScores.reduce(0, +)) / 10 }
}
// snippet.end

let models: [(String, DetectionMetrics)] = [
  (
    "lidar, 10 sweeps",
    DetectionMetrics(mAP: 0.60, ate: 0.30, ase: 0.25, aoe: 0.30, ave: 0.25, aae: 0.20)
  ),
  (
    "camera, 1 frame",
    DetectionMetrics(mAP: 0.60, ate: 0.30, ase: 0.25, aoe: 0.30, ave: 1.20, aae: 0.20)
  ),
  (
    "camera, 1 frame, worse",
    DetectionMetrics(mAP: 0.40, ate: 0.70, ase: 0.27, aoe: 0.50, ave: 1.20, aae: 0.20)
  ),
]
print("TP scores are max(1 - error, 0):")
print(
  "\(padRight("model", 24)) \(padLeft("mAP", 5))  "
    + ["ATE", "ASE", "AOE", "AVE", "AAE"].map { padLeft($0, 5) }.joined() + "    NDS")
for (name, m) in models {
  print(
    "\(padRight(name, 24)) \(padLeft(fixed(m.mAP, 2), 5))  "
      + m.tpScores.map { padLeft(fixed($0, 2), 5) }.joined() + "    \(fixed(m.nds, 3))")
}
print("Same mAP, velocity error 1.2 m/s: the AVE score clips to 0 and NDS drops 0.075.")

// snippet.sensitivity
// Where is NDS cheapest to gain? +0.01 mAP is worth 0.005 NDS; -0.1 in any error below 1 is 0.01.
let base = models[0].1
var moreAP = base
moreAP.mAP += 0.05
var lessVelocityError = base
lessVelocityError.ave -= 0.05
print(
  "\nFrom the lidar model: +0.05 mAP -> NDS \(fixed(moreAP.nds, 3));"
    + " -0.05 m/s velocity error instead -> NDS \(fixed(lessVelocityError.nds, 3))")
// snippet.end

// snippet.matching
// Why centre distance: the same 0.3 m position error in bird's-eye view costs a pedestrian most
// of its IoU, a car almost none. (Axis-aligned footprints, shift along the length.)
func bevIoU(length: Double, width: Double, shift: Double) -> Double {
  let overlap = max(length - shift, 0) * width
  return overlap / (2 * length * width - overlap)
}
print("\nA 0.3 m centre error (nuScenes still matches it at the 0.5 m threshold):")
for (name, l, w) in [("pedestrian", 0.7, 0.7), ("cyclist", 1.8, 0.7), ("car", 4.5, 1.9)] {
  print(
    "  \(padRight(name, 11)) \(fixed(l, 1)) x \(fixed(w, 1)) m: BEV IoU \(fixed(bevIoU(length: l, width: w, shift: 0.3), 2))"
  )
}
// snippet.end
print("At an IoU threshold of 0.5 the pedestrian would be a false positive and a miss.")
