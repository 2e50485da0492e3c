// snippet.title: Pinhole projection with radial distortion (k1, k2), and undoing it

// snippet.hide
import Foundation

// snippet.show

// A 1920x1080 camera: 4.8 mm lens, 3.0 µm pixels, so f = 4.8 mm / 3.0 µm = 1600 px.
// snippet.intrinsics
let focalMM = 4.8, pixelPitchMM = 0.003
let fx = focalMM / pixelPitchMM, fy = fx  // square pixels
let cx = 960.0, cy = 540.0  // principal point (here the image centre)
// K = [[fx, 0, cx], [0, fy, cy], [0, 0, 1]]
let horizontalFOV = 2 * atan(1920 / 2 / fx) * 180 / .pi
// snippet.end
print(
  String(
    format: "fx = fy = %.0f px, principal point (%.0f, %.0f), horizontal field of view %.1f°",
    fx, cx, cy, horizontalFOV))

// Extrinsics: world → camera, X_c = R·X_w + t. World: x right, y forward, z up (metres);
// camera: x right, y down, z forward (the OpenCV convention), mounted 1.5 m above the ground.
// snippet.project
let R = [[1.0, 0, 0], [0, 0, -1], [0, 1, 0]]  // world y (forward) → camera z; world z (up) → −y
let cameraHeight = 1.5
func worldToCamera(_ p: [Double]) -> [Double] {
  let rotated = R.map { row in zip(row, p).reduce(0) { $0 + $1.0 * $1.1 } }
  return [rotated[0], rotated[1] + cameraHeight, rotated[2]]  // t = (0, 1.5, 0): camera at z = 1.5 m
}

// Brown–Conrady radial distortion on normalised coordinates (x, y) = (X/Z, Y/Z):
// x_d = x · (1 + k1·r² + k2·r⁴), r² = x² + y² (OpenCV's model without k3 and tangential terms).
let k1 = -0.28, k2 = 0.07  // barrel distortion, typical of a wide lens
func distort(_ x: Double, _ y: Double) -> (Double, Double) {
  let r2 = x * x + y * y
  let s = 1 + k1 * r2 + k2 * r2 * r2
  return (x * s, y * s)
}
func project(_ world: [Double], distorted: Bool = true) -> (u: Double, v: Double)? {
  let c = worldToCamera(world)
  guard c[2] > 0 else { return nil }  // behind the camera
  var (x, y) = (c[0] / c[2], c[1] / c[2])  // perspective division
  if distorted { (x, y) = distort(x, y) }
  return (fx * x + cx, fy * y + cy)  // to pixels with K
}
// snippet.end

print("\nPoints on the road (world metres) → pixels, ideal pinhole vs with distortion:")
print("   world (x, y, z)        ideal (u, v)          distorted (u, v)     shift px")
let points: [[Double]] = [[0, 5, 0], [0, 20, 0], [-1.75, 10, 0], [3.5, 8, 0], [-5, 10, 0], [5, 10, 2.5]]
for p in points {
  let ideal = project(p, distorted: false)!
  let real = project(p)!
  let shift = ((real.u - ideal.u) * (real.u - ideal.u) + (real.v - ideal.v) * (real.v - ideal.v)).squareRoot()
  print(
    String(
      format: "  (%5.2f, %5.1f, %3.1f)   (%7.1f, %6.1f)   (%7.1f, %6.1f)   %7.1f",
      p[0], p[1], p[2], ideal.u, ideal.v, real.u, real.v, shift))
}
print(
  "Doubling the distance halves the height below the horizon: 5 m →",
  String(
    format: "%.0f px, 10 m → %.0f px, 20 m → %.0f px below row %.0f.",
    project([0, 5, 0], distorted: false)!.v - cy, project([0, 10, 0], distorted: false)!.v - cy,
    project([0, 20, 0], distorted: false)!.v - cy, cy))

// snippet.undistort
// Undistortion has no closed form: solve x·s(r²) = x_d by fixed-point iteration,
// x ← x_d / s(r²(x)), starting at x = x_d (what OpenCV's undistortPoints does).
func undistort(_ xd: Double, _ yd: Double, iterations: Int) -> (Double, Double) {
  var (x, y) = (xd, yd)
  for _ in 0..<iterations {
    let r2 = x * x + y * y
    let s = 1 + k1 * r2 + k2 * r2 * r2
    (x, y) = (xd / s, yd / s)
  }
  return (x, y)
}
// snippet.end

print("\nUndistorting the corner pixel (1900, 1060): error of the recovered pixel after n iterations")
let (xd, yd) = ((1900 - cx) / fx, (1060 - cy) / fy)
let (xTrue, yTrue) = undistort(xd, yd, iterations: 200)  // converged reference
for n in [0, 1, 2, 3, 5, 10, 20] {
  let (x, y) = undistort(xd, yd, iterations: n)
  let (u, v) = (fx * x + cx, fy * y + cy)
  let (ut, vt) = (fx * xTrue + cx, fy * yTrue + cy)
  print(
    String(
      format: "  n = %2d: (%7.2f, %7.2f)   error %8.4f px", n, u, v,
      ((u - ut) * (u - ut) + (v - vt) * (v - vt)).squareRoot()))
}
let (rx, ry) = distort(xTrue, yTrue)
print(
  String(
    format: "Round trip: distort(undistort(corner)) = (%.4f, %.4f) px",
    fx * rx + cx, fy * ry + cy))

// Back-projection: an undistorted pixel is a ray; the ground plane (world z = 0, camera
// y = +1.5 m) fixes the depth: Z = 1.5 / y_normalised.
let ground = project([3, 6, 0])!
let (gx, gy) = undistort((ground.u - cx) / fx, (ground.v - cy) / fy, iterations: 20)
let depth = cameraHeight / gy
print(
  String(
    format: "\nPixel (%.1f, %.1f) back-projected onto the road: %.2f m ahead, %.2f m to the side",
    ground.u, ground.v, depth, gx * depth))
print(
  String(
    format: "Without undistorting first: %.2f m ahead, %.2f m to the side",
    cameraHeight / ((ground.v - cy) / fy), (ground.u - cx) / fx * cameraHeight / ((ground.v - cy) / fy)))
