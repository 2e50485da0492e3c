// snippet.title: Epipolar geometry: the eight-point algorithm with and without normalisation, and stereo depth error
// snippet.uses: Random.swift

// snippet.hide
import Foundation

typealias Matrix = [[Double]]
func mul(_ a: Matrix, _ b: Matrix) -> Matrix {
  a.map { row in (0..<b[0].count).map { j in zip(row, b).reduce(0) { $0 + $1.0 * $1.1[j] } } }
}
func transpose(_ a: Matrix) -> Matrix { (0..<a[0].count).map { j in a.map { $0[j] } } }
func apply(_ m: Matrix, _ v: [Double]) -> [Double] {
  m.map { zip($0, v).reduce(0) { $0 + $1.0 * $1.1 } }
}
func f3(_ v: Double) -> String { String(format: "%.3f", v) }

/// Eigenvalues and eigenvectors (columns of the returned matrix) of a symmetric matrix, by
/// cyclic Jacobi rotations: slow but simple and accurate for 9 x 9.
func symmetricEigen(_ input: Matrix) -> (values: [Double], vectors: Matrix) {
  var a = input
  let n = a.count
  var v = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
  for _ in 0..<100 {
    var off = 0.0
    for p in 0..<n { for q in (p + 1)..<n { off += a[p][q] * a[p][q] } }
    if off < 1e-30 { break }
    for p in 0..<n {
      for q in (p + 1)..<n where abs(a[p][q]) > 1e-300 {
        let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
        let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
        let c = 1 / (t * t + 1).squareRoot()
        let s = t * c
        for k in 0..<n {
          let akp = a[k][p]
          let akq = a[k][q]
          a[k][p] = c * akp - s * akq
          a[k][q] = s * akp + c * akq
        }
        for k in 0..<n {
          let apk = a[p][k]
          let aqk = a[q][k]
          a[p][k] = c * apk - s * aqk
          a[q][k] = s * apk + c * aqk
        }
        for k in 0..<n {
          let vkp = v[k][p]
          let vkq = v[k][q]
          v[k][p] = c * vkp - s * vkq
          v[k][q] = s * vkp + c * vkq
        }
      }
    }
  }
  return ((0..<n).map { a[$0][$0] }, v)
}
// snippet.show

// Two cameras: the same intrinsics K (f = 800 px, 640 x 480 image), the second one 0.5 m to the
// right and turned 5 degrees. 60 random points 4-20 m in front; the images get 0.5 px noise.
let f = 800.0
let k: Matrix = [[f, 0, 320], [0, f, 240], [0, 0, 1]]
let kInverse: Matrix = [[1 / f, 0, -320 / f], [0, 1 / f, -240 / f], [0, 0, 1]]
let angle = 5 * Double.pi / 180
let r: Matrix = [[cos(angle), 0, sin(angle)], [0, 1, 0], [-sin(angle), 0, cos(angle)]]
let t = [-0.5, 0.0, 0.02]
func project(_ x: [Double], rotation: Matrix, translation: [Double]) -> [Double] {
  let c = zip(apply(rotation, x), translation).map { $0 + $1 }
  let p = apply(k, c)
  return [p[0] / p[2], p[1] / p[2]]
}
let identity: Matrix = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
var rng = SplitMix64(seed: 42)
var clean1: [[Double]] = []
var clean2: [[Double]] = []
for _ in 0..<60 {
  let z = rng.uniform(4, 20)
  let x = [rng.uniform(-0.35, 0.35) * z, rng.uniform(-0.25, 0.25) * z, z]
  clean1.append(project(x, rotation: identity, translation: [0, 0, 0]))
  clean2.append(project(x, rotation: r, translation: t))
}
let noisy1 = clean1.map { [$0[0] + 0.5 * rng.normal(), $0[1] + 0.5 * rng.normal()] }
let noisy2 = clean2.map { [$0[0] + 0.5 * rng.normal(), $0[1] + 0.5 * rng.normal()] }

// The true matrices: E = [t]x R on normalised coordinates, F = K^-T E K^-1 on pixels.
// snippet.truth
let tx: Matrix = [[0, -t[2], t[1]], [t[2], 0, -t[0]], [-t[1], t[0], 0]]
let essential = mul(tx, r)
let fundamental = mul(mul(transpose(kInverse), essential), kInverse)
/// Distance in pixels from x2 to the epipolar line F x1, averaged with the reverse direction.
func epipolarError(_ fm: Matrix, _ p1: [Double], _ p2: [Double]) -> Double {
  let x1 = [p1[0], p1[1], 1.0]
  let x2 = [p2[0], p2[1], 1.0]
  let l2 = apply(fm, x1)
  let l1 = apply(transpose(fm), x2)
  let residual = abs(zip(x2, l2).reduce(0) { $0 + $1.0 * $1.1 })
  return
    (residual / (l2[0] * l2[0] + l2[1] * l2[1]).squareRoot()
    + residual / (l1[0] * l1[0] + l1[1] * l1[1]).squareRoot()) / 2
}
func meanError(_ fm: Matrix, _ clean1: [[Double]], _ clean2: [[Double]]) -> Double {
  zip(clean1, clean2).reduce(0) { $0 + epipolarError(fm, $1.0, $1.1) } / Double(clean1.count)
}
let trueError = meanError(fundamental, clean1, clean2)
print(
  "true F on noise-free points: mean epipolar distance "
    + (trueError < 1e-9 ? "< 1e-9 px (zero up to rounding)" : "\(trueError) px"))
// snippet.end

// The eight-point algorithm: each match gives one linear equation x2^T F x1 = 0 in the 9
// entries of F; the least-squares solution is the eigenvector of A^T A with the smallest
// eigenvalue. Then force rank 2 (F must have a null vector, the epipole). Hartley (1997): first
// move each image's points to zero mean and average distance sqrt(2), estimate, then undo.
// snippet.eightpoint
func normalisingTransform(_ points: [[Double]]) -> Matrix {
  let n = Double(points.count)
  let mx = points.reduce(0) { $0 + $1[0] } / n
  let my = points.reduce(0) { $0 + $1[1] } / n
  let meanDistance = points.reduce(0) { $0 + (($1[0] - mx) * ($1[0] - mx) + ($1[1] - my) * ($1[1] - my)).squareRoot() } / n
  let s = 2.0.squareRoot() / meanDistance
  return [[s, 0, -s * mx], [0, s, -s * my], [0, 0, 1]]
}
func eightPoint(_ p1: [[Double]], _ p2: [[Double]], normalise: Bool) -> Matrix {
  let t1 = normalise ? normalisingTransform(p1) : identity
  let t2 = normalise ? normalisingTransform(p2) : identity
  var ata = [[Double]](repeating: [Double](repeating: 0, count: 9), count: 9)
  for (a, b) in zip(p1, p2) {
    let x = apply(t1, [a[0], a[1], 1])
    let y = apply(t2, [b[0], b[1], 1])
    let row = [y[0] * x[0], y[0] * x[1], y[0], y[1] * x[0], y[1] * x[1], y[1], x[0], x[1], 1]
    for i in 0..<9 { for j in 0..<9 { ata[i][j] += row[i] * row[j] } }
  }
  let (values, vectors) = symmetricEigen(ata)
  let smallest = values.indices.min { values[$0] < values[$1] }!
  let fv = (0..<9).map { vectors[$0][smallest] }
  let f0: Matrix = [Array(fv[0..<3]), Array(fv[3..<6]), Array(fv[6..<9])]
  // Rank 2: F = sum of sigma_i u_i v_i^T over the two largest singular values.
  let (lambda, v) = symmetricEigen(mul(transpose(f0), f0))
  let order = lambda.indices.sorted { lambda[$0] > lambda[$1] }
  var rank2 = [[Double]](repeating: [0, 0, 0], count: 3)
  for idx in order.prefix(2) {
    let vi = (0..<3).map { v[$0][idx] }
    let ui = apply(f0, vi)  // = sigma_i u_i
    for a in 0..<3 { for b in 0..<3 { rank2[a][b] += ui[a] * vi[b] } }
  }
  return mul(mul(transpose(t2), rank2), t1)  // undo the normalisation
}
for normalise in [false, true] {
  let estimated = eightPoint(noisy1, noisy2, normalise: normalise)
  print(
    (normalise ? "eight-point, normalised:  " : "eight-point, raw pixels:  ")
      + "mean epipolar distance \(f3(meanError(estimated, clean1, clean2))) px on the noise-free points")
}
// snippet.end

// Stereo after rectification: Z = f B / d, and a disparity error delta_d gives
// delta_Z = Z^2 / (f B) * delta_d. f = 1000 px, B = 0.3 m, delta_d = 0.25 px.
// snippet.stereo
print("\ndepth   disparity   depth error for 0.25 px")
for z in [5.0, 10, 20, 30, 60, 100] {
  let d = 1000 * 0.3 / z
  let dz = z * z / (1000 * 0.3) * 0.25
  print(String(format: "%4.0f m  %7.2f px   %8.2f m (%4.1f%%)", z, d, dz, 100 * dz / z))
}
// snippet.end
