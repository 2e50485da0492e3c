// snippet.title: Camera to bird's-eye view with a flat-ground homography, and how its error grows
// snippet.uses: Benchmark.swift

// snippet.hide
import Foundation

func m(_ v: Double, _ decimals: Int = 2) -> String { fixed(v, decimals) + " m" }
func signedM(_ v: Double) -> String { (v >= 0 ? "+" : "") + fixed(v, 2) + " m" }
// snippet.show

// A forward camera 1.5 m above a flat road, 1920x1080, focal length 1000 px (about 88 degrees
// horizontal field of view). Camera axes: x right, y down, z forward. A ground point at lateral
// offset X and forward distance Z has camera coordinates (X, h, Z) before the camera is pitched.
// snippet.homography
typealias Mat3 = [[Double]]

func mul(_ a: Mat3, _ v: [Double]) -> [Double] {
  (0..<3).map { i in a[i][0] * v[0] + a[i][1] * v[1] + a[i][2] * v[2] }
}

func inverse(_ a: Mat3) -> Mat3 {
  let c00 = a[1][1] * a[2][2] - a[1][2] * a[2][1]
  let c01 = a[1][2] * a[2][0] - a[1][0] * a[2][2]
  let c02 = a[1][0] * a[2][1] - a[1][1] * a[2][0]
  let det = a[0][0] * c00 + a[0][1] * c01 + a[0][2] * c02
  return [
    [c00, a[0][2] * a[2][1] - a[0][1] * a[2][2], a[0][1] * a[1][2] - a[0][2] * a[1][1]],
    [c01, a[0][0] * a[2][2] - a[0][2] * a[2][0], a[0][2] * a[1][0] - a[0][0] * a[1][2]],
    [c02, a[0][1] * a[2][0] - a[0][0] * a[2][1], a[0][0] * a[1][1] - a[0][1] * a[1][0]],
  ].map { row in row.map { $0 / det } }
}

struct Camera {
  var f = 1000.0, cx = 960.0, cy = 540.0
  var height = 1.5  // metres above the road
  var pitchDegrees = 0.0  // positive = nose down

  /// Ground plane (X, Z, 1) -> image (u, v, 1) up to scale: H = K [r1 r3 h*r2], with r_i the
  /// columns of the pitch rotation, because a ground point is X*e_x + Z*e_z + h*e_y.
  var homography: Mat3 {
    let p = pitchDegrees * Double.pi / 180
    let r1 = [1.0, 0, 0]
    let r2 = [0.0, cos(p), sin(p)]
    let r3 = [0.0, -sin(p), cos(p)]
    let k: Mat3 = [[f, 0, cx], [0, f, cy], [0, 0, 1]]
    let columns = [r1, r3, r2.map { $0 * height }].map { mul(k, $0) }
    return (0..<3).map { i in columns.map { $0[i] } }
  }

  func project(x: Double, z: Double) -> (u: Double, v: Double) {
    let p = mul(homography, [x, z, 1])
    return (p[0] / p[2], p[1] / p[2])
  }

  /// Pixel -> metres on the ground, assuming the road is flat and the calibration is right.
  func groundPoint(u: Double, v: Double) -> (x: Double, z: Double) {
    let g = mul(inverse(homography), [u, v, 1])
    return (g[0] / g[2], g[1] / g[2])
  }
}
// snippet.end

let nominal = Camera()
print("Homography H (ground X, Z in metres -> pixels) for the nominal camera:")
for row in nominal.homography {
  print("  [" + row.map { padLeft(fixed($0, 1), 8) }.joined(separator: " ") + " ]")
}
let foot = nominal.project(x: 3.5, z: 20)
let back = nominal.groundPoint(u: foot.u, v: foot.v)
print(
  "A car's contact point 3.5 m right, 20 m ahead -> pixel (\(fixed(foot.u, 1)),"
    + " \(fixed(foot.v, 1))) -> back to (\(m(back.x)), \(m(back.z)))\n")

// snippet.errors
// Where the flat-ground assumption bites: the same pixel error, a small pitch change (braking,
// a bump) or a load change of the height costs more metres the farther the object is.
let pitched = Camera(pitchDegrees: 0.5)  // the truth: nose 0.5 degrees down
let lowered = Camera(height: 1.45)  // the truth: 5 cm lower (passengers, luggage)
print(
  "\(padRight("true Z", 7)) \(padLeft("row v", 7)) \(padLeft("rows/m", 7))"
    + " \(padLeft("+1 px row", 10)) \(padLeft("pitch 0.5", 10)) \(padLeft("h -5 cm", 9))")
for z in [5.0, 10, 20, 40, 60, 80, 100] {
  let p = nominal.project(x: 0, z: z)
  let rowsPerMetre = nominal.f * nominal.height / (z * z)  // |dv/dZ| = f h / Z^2
  let onePixel = nominal.groundPoint(u: p.u, v: p.v + 1).z - z
  let seenPitched = pitched.project(x: 0, z: z)
  let pitchError = nominal.groundPoint(u: seenPitched.u, v: seenPitched.v).z - z
  let seenLowered = lowered.project(x: 0, z: z)
  let heightError = nominal.groundPoint(u: seenLowered.u, v: seenLowered.v).z - z
  print(
    "\(padRight(fixed(z, 0) + " m", 7)) \(padLeft(fixed(p.v, 1), 7))"
      + " \(padLeft(fixed(rowsPerMetre, 2), 7)) \(padLeft(signedM(onePixel), 10))"
      + " \(padLeft(signedM(pitchError), 10)) \(padLeft(signedM(heightError), 9))")
}
// snippet.end
print("One pixel of row error costs about Z^2 / (f h) metres: 0.07 m at 10 m, 6-7 m at 100 m.")
print("A 0.5 degree pitch moves the horizon 8.7 px; at 100 m the road point is only 0.86")
print("degrees below the horizon, so the estimate more than doubles.")
print("A height error scales every distance by the same factor (here 1.5 / 1.45 = 3.4 %).")

// snippet.cells
// The resolution a bird's-eye-view grid gets from this camera: pixel rows per 0.5 m cell.
print("\nImage rows covering one 0.5 m BEV cell (road straight ahead):")
for z in [10.0, 30, 50, 70] {
  let near = nominal.project(x: 0, z: z).v
  let far = nominal.project(x: 0, z: z + 0.5).v
  print("  \(padLeft(fixed(z, 0), 3))-\(fixed(z + 0.5, 1)) m: \(fixed(near - far, 2)) rows")
}
// snippet.end
print("Beyond ~27 m (f h / Z^2 * 0.5 < 1) a cell is under one row tall: depth must come from")
print("elsewhere (learned depth distributions, lidar, radar, stereo or time), not from the")
print("row alone.")
