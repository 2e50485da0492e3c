// snippet.title: An end-to-end camera-to-decision latency budget
// snippet.uses: Benchmark.swift Figure.swift

// snippet.hide
import Foundation

func ms(_ v: Double) -> String { padLeft(fixed(v, 1), 6) }
// snippet.show

// What matters to the car is not "model FPS" but the time from a photon leaving an obstacle
// to the planner acting on it. Every stage adds latency; budgets are set per stage, checked at
// the tail (p99), and the sum must leave headroom under the system budget.
// snippet.core
struct Stage {
  var name: String
  var typical: Double  // ms, median
  var p99: Double  // ms, 99th percentile
}

let cameraFPS = 30.0
let framePeriod = 1000 / cameraFPS
let budget = 100.0
let stages = [
  // An event happens at a random moment: on average half a frame passes before the next
  // exposure starts (a whole frame in the worst case).
  Stage(name: "wait for next exposure (1/2 frame)", typical: framePeriod / 2, p99: framePeriod),
  Stage(name: "exposure (to mid-exposure)", typical: 5, p99: 5),
  Stage(name: "sensor readout (rolling shutter)", typical: 10, p99: 10),
  Stage(name: "ISP: debayer, denoise, tone map", typical: 6, p99: 8),
  Stage(name: "resize + normalise", typical: 1.5, p99: 2),
  Stage(name: "detector inference", typical: 20, p99: 28),
  Stage(name: "NMS + decode", typical: 1, p99: 2),
  Stage(name: "tracking + sensor fusion", typical: 4, p99: 6),
  Stage(name: "planning handoff (IPC, queueing)", typical: 5, p99: 10),
]
let typicalTotal = stages.reduce(0) { $0 + $1.typical }
let p99Total = stages.reduce(0) { $0 + $1.p99 }  // pessimistic: tails rarely all coincide
// snippet.end

print("Camera-to-decision latency budget (\(Int(cameraFPS)) FPS camera, budget \(Int(budget)) ms)")
print("  \(padRight("stage", 36)) \(padLeft("typical", 7)) \(padLeft("p99", 6))")
for s in stages {
  print("  \(padRight(s.name, 36))  \(ms(s.typical)) \(ms(s.p99))")
}
print("  \(padRight("total", 36))  \(ms(typicalTotal)) \(ms(p99Total))")
print("  \(padRight("headroom to \(Int(budget)) ms", 36))  \(ms(budget - typicalTotal))"
  + " \(ms(budget - p99Total))")
if p99Total > budget {
  print("  -> the sum of p99s breaks the budget: the tail, not the median, needs work")
}

// Distance the car travels before it can even start to react.
// snippet.distance
print("\nDistance travelled during the latency:")
print("  \(padRight("speed", 10)) \(padLeft("typical", 9)) \(padLeft("p99", 9))"
  + " \(padLeft("100 ms", 9))")
for kmh in [50.0, 100.0, 130.0] {
  let metersPerMs = kmh / 3.6 / 1000
  print("  \(padRight("\(Int(kmh)) km/h", 10))"
    + " \(padLeft(fixed(metersPerMs * typicalTotal, 2) + " m", 9))"
    + " \(padLeft(fixed(metersPerMs * p99Total, 2) + " m", 9))"
    + " \(padLeft(fixed(metersPerMs * budget, 2) + " m", 9))")
}
// snippet.end

// Where to win time: the biggest and most variable stages first.
print("\nWhat-ifs (typical total):")
let int8Inference = typicalTotal - 20 + 9
print("  int8 detector (20 -> 9 ms):               \(ms(int8Inference)) ms")
let camera60 = typicalTotal - framePeriod / 2 + 1000 / 60.0 / 2
print("  60 FPS camera (wait 16.7 -> 8.3 ms):      \(ms(camera60)) ms")
// A detector that sustains only 10 FPS needs ~100 ms per frame: its own time grows from 20 to
// 100 ms, and it can take only every third frame, so an event waits for the next frame the
// detector picks up (half of 100 ms on average instead of half of 33 ms).
let slowDetector = typicalTotal - 20 + 100 - framePeriod / 2 + 1000 / 10.0 / 2
print("  detector sustains only 10 FPS (100 ms):   \(ms(slowDetector)) ms (2 of 3 frames dropped)")

// snippet.hide
// MARK: - Figure
// The stages as one stacked bar for the typical case and one for the sum of p99s.
do {
  let groups: [(String, ClosedRange<Int>)] = [
    ("camera: wait, exposure, readout", 0...2), ("ISP + resize", 3...4), ("detector", 5...5),
    ("NMS + decode", 6...6), ("tracking + fusion", 7...7), ("planning handoff", 8...8),
  ]
  let series = groups.map { name, range in
    BarChart.Series(
      label: name,
      values: [stages[range].reduce(0) { $0 + $1.typical }, stages[range].reduce(0) { $0 + $1.p99 }])
  }
  var bars = BarChart(
    title: "Camera-to-decision latency budget",
    desc: "Two stacked horizontal bars of milliseconds from an event to the planner. Typical (medians): "
      + series.map { "\($0.label) \(SVGText.fixed($0.values[0], decimals: 1))" }.joined(separator: ", ")
      + ", total \(SVGText.fixed(typicalTotal, decimals: 1)) ms. Sum of p99s: total "
      + "\(SVGText.fixed(p99Total, decimals: 1)) ms, past the \(Int(budget)) ms budget marked by the dashed line. "
      + "The camera alone takes a third of the budget before the detector sees a pixel.",
    categories: ["typical", "sum of p99s"], series: series)
  bars.stacked = true
  bars.horizontal = true
  bars.showValues = true
  bars.valueDecimals = 0
  bars.valueLabel = "milliseconds from event to planner"
  bars.valueDomain = 0...125
  bars.height = 270
  bars.references = [(budget, "budget \(Int(budget)) ms")]
  Figure.save(bars.svg(name: "latency-budget-stack"), name: "latency-budget-stack")
}
// snippet.show
