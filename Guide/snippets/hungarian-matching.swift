// snippet.title: Hungarian matching, checked against brute force, and DETR's matching cost
// snippet.uses: Box.swift IoU.swift Random.swift

// snippet.hide
import Foundation

func f3(_ v: Double) -> String { String(format: "%.3f", v) }
func row(_ values: [Double]) -> String {
  values.map { String(format: "%7.3f", $0) }.joined()
}
// snippet.show

// The assignment problem: given an n x m cost matrix (n <= m), pick one column for every row,
// no column twice, so that the total cost is minimal. The Hungarian (Kuhn-Munkres) algorithm
// solves it in O(n^2 m) with row and column potentials u, v: it keeps u[i] + v[j] <= cost[i][j]
// for every cell and grows the matching one row at a time along shortest augmenting paths
// (the Jonker-Volgenant style of the algorithm). This is what scipy's
// linear_sum_assignment does inside DETR's matcher.
// snippet.core
func hungarian(_ cost: [[Double]]) -> [Int] {
  let n = cost.count
  let m = cost.first?.count ?? 0
  precondition(n <= m, "transpose the matrix so that rows <= columns")
  // 1-based arrays; column 0 is a virtual column holding the row being inserted.
  var u = [Double](repeating: 0, count: n + 1)
  var v = [Double](repeating: 0, count: m + 1)
  var rowOfColumn = [Int](repeating: 0, count: m + 1)  // 0 = column free
  var way = [Int](repeating: 0, count: m + 1)
  for i in stride(from: 1, through: n, by: 1) {
    rowOfColumn[0] = i
    var j0 = 0
    var minSlack = [Double](repeating: .infinity, count: m + 1)
    var used = [Bool](repeating: false, count: m + 1)
    repeat {
      used[j0] = true
      let i0 = rowOfColumn[j0]
      var delta = Double.infinity
      var j1 = 0
      for j in 1...m where !used[j] {
        let reduced = cost[i0 - 1][j - 1] - u[i0] - v[j]
        if reduced < minSlack[j] {
          minSlack[j] = reduced
          way[j] = j0
        }
        if minSlack[j] < delta {
          delta = minSlack[j]
          j1 = j
        }
      }
      for j in 0...m {
        if used[j] {
          u[rowOfColumn[j]] += delta
          v[j] -= delta
        } else {
          minSlack[j] -= delta
        }
      }
      j0 = j1
    } while rowOfColumn[j0] != 0
    // Flip the augmenting path back to the virtual column.
    repeat {
      let j1 = way[j0]
      rowOfColumn[j0] = rowOfColumn[j1]
      j0 = j1
    } while j0 != 0
  }
  var columnOfRow = [Int](repeating: -1, count: n)
  for j in 1...m where rowOfColumn[j] > 0 { columnOfRow[rowOfColumn[j] - 1] = j - 1 }
  return columnOfRow
}
// snippet.end

func totalCost(_ cost: [[Double]], _ assignment: [Int]) -> Double {
  assignment.enumerated().reduce(0) { $0 + cost[$1.offset][$1.element] }
}

// Brute force: try every injective assignment of rows to columns (m! / (m - n)! of them).
func bruteForce(_ cost: [[Double]]) -> (best: Double, tried: Int) {
  let n = cost.count
  let m = cost[0].count
  var best = Double.infinity
  var tried = 0
  var used = [Bool](repeating: false, count: m)
  func search(_ i: Int, _ sum: Double) {
    if i == n {
      tried += 1
      best = min(best, sum)
      return
    }
    for j in 0..<m where !used[j] {
      used[j] = true
      search(i + 1, sum + cost[i][j])
      used[j] = false
    }
  }
  search(0, 0)
  return (best, tried)
}

// 1. A 3 x 3 example where the greedy choice (each row takes its cheapest free column) loses.
// snippet.greedy
let small: [[Double]] = [
  [1, 2, 9],
  [2, 9, 9],
  [9, 3, 4],
]
var taken = Set<Int>()
var greedy: [Int] = []
for r in small {
  let j = r.indices.filter { !taken.contains($0) }.min { r[$0] < r[$1] }!
  taken.insert(j)
  greedy.append(j)
}
let optimal = hungarian(small)
print("3 x 3 cost matrix:")
for r in small { print("  " + row(r)) }
print("greedy row by row: columns \(greedy)  total \(totalCost(small, greedy))")
print("Hungarian:         columns \(optimal)  total \(totalCost(small, optimal))")
// snippet.end

// 2. Check against brute force on 300 random matrices, square and rectangular.
var rng = SplitMix64(seed: 15)
var agree = 0
var checked = 0
var enumerated = 0
for trial in 0..<300 {
  let n = 1 + trial % 6
  let m = n + (trial / 6) % 3
  var cost = (0..<n).map { _ in (0..<m).map { _ in rng.uniform(0, 10) } }
  if trial % 5 == 0 {  // integer costs make ties, the case where bugs hide
    cost = cost.map { $0.map { $0.rounded(.down) } }
  }
  let a = hungarian(cost)
  let valid = Set(a).count == n && a.allSatisfy { $0 >= 0 && $0 < m }
  let (best, tried) = bruteForce(cost)
  enumerated += tried
  checked += 1
  if valid && abs(totalCost(cost, a) - best) < 1e-9 { agree += 1 }
}
print(
  "\nrandom matrices up to 6 x 8: Hungarian optimal in \(agree) of \(checked)"
    + " (brute force enumerated \(enumerated) assignments)")

// 3. DETR's matching cost. N = 6 predictions (object queries), 3 ground-truth objects.
//    cost = -1 * p(class of the object) + 5 * L1(boxes, cxcywh normalised) + 2 * (-GIoU)
//    (the weights of the DETR paper's matcher). "No object" is never matched here: the queries
//    left over are trained to predict the empty class.
// snippet.detr
func giou(_ a: Box, _ b: Box) -> Double {
  let inter = intersectionArea(a, b)
  let union = a.area + b.area - inter
  let hull = Box(x1: min(a.x1, b.x1), y1: min(a.y1, b.y1), x2: max(a.x2, b.x2), y2: max(a.y2, b.y2))
  return inter / union - (hull.area - union) / hull.area
}
func l1(_ a: Box, _ b: Box) -> Double {
  let p = a.cxcywh
  let q = b.cxcywh
  return abs(p.cx - q.cx) + abs(p.cy - q.cy) + abs(p.w - q.w) + abs(p.h - q.h)
}
let classes = ["car", "person", "bike"]
let truth: [(label: Int, box: Box)] = [
  (0, Box(x1: 0.10, y1: 0.50, x2: 0.40, y2: 0.80)),
  (1, Box(x1: 0.60, y1: 0.30, x2: 0.70, y2: 0.70)),
  (2, Box(x1: 0.55, y1: 0.45, x2: 0.80, y2: 0.75)),
]
// Each query: class probabilities (car, person, bike, no-object) and a box.
let queries: [(probs: [Double], box: Box)] = [
  ([0.70, 0.05, 0.05, 0.20], Box(x1: 0.12, y1: 0.52, x2: 0.41, y2: 0.79)),
  ([0.60, 0.05, 0.05, 0.30], Box(x1: 0.05, y1: 0.45, x2: 0.35, y2: 0.85)),  // a near-duplicate
  ([0.05, 0.40, 0.35, 0.20], Box(x1: 0.60, y1: 0.32, x2: 0.72, y2: 0.68)),
  ([0.05, 0.30, 0.45, 0.20], Box(x1: 0.57, y1: 0.44, x2: 0.79, y2: 0.74)),
  ([0.02, 0.02, 0.01, 0.95], Box(x1: 0.80, y1: 0.05, x2: 0.95, y2: 0.20)),
  ([0.10, 0.10, 0.10, 0.70], Box(x1: 0.30, y1: 0.10, x2: 0.50, y2: 0.30)),
]
// cost[object][query]: objects are the rows (3 <= 6 columns).
let cost = truth.map { t in
  queries.map { q in -1 * q.probs[t.label] + 5 * l1(q.box, t.box) + 2 * -giou(q.box, t.box) }
}
print("\nDETR matching cost, rows = objects, columns = queries 0-5:")
for (t, r) in zip(truth, cost) {
  print("  " + classes[t.label].padding(toLength: 7, withPad: " ", startingAt: 0) + row(r))
}
let match = hungarian(cost)
for (k, q) in match.enumerated() {
  print(
    "  \(classes[truth[k].label]) <- query \(q)  (cost \(f3(cost[k][q])),"
      + " GIoU \(f3(giou(queries[q].box, truth[k].box))))")
}
let unmatched = queries.indices.filter { !match.contains($0) }
print(
  "  queries \(unmatched) get the target \"no object\"; query 1, the duplicate car,"
    + " is pushed down")
// snippet.end
