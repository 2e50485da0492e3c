// snippet.title: Capacity and cost model for video analytics over thousands of camera streams
// snippet.uses: Benchmark.swift

// snippet.hide
import Foundation

func money(_ v: Double) -> String {
  let whole = Int(v.rounded())
  let digits = String(whole)
  var out = ""
  for (i, ch) in digits.enumerated() {
    if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
    out.append(ch)
  }
  return "$" + out
}
// snippet.show

// Every number below is an assumption to replace with a measurement on your own hardware and
// prices; the point is the shape of the calculation, and which term dominates.
// snippet.assumptions
let streams = 2_000.0  // 1080p H.264 cameras
let cameraFPS = 15.0
let bitrateMbps = 4.0  // per stream
let decodeFramesPerGPU = 1_200.0  // 1080p frames/s one GPU's hardware decoders sustain (measure it)
let gpuHourPrice = 1.00  // dollars, assumed; list prices differ several-fold by provider and term
let hoursPerMonth = 730.0
let targetUtilization = 0.7  // headroom for bursts and a failed node

/// Detector latency for a batch of b frames on one GPU: fixed launch/sync cost + per-frame cost.
func batchLatencyMs(_ b: Double, perFrameMs: Double) -> Double { 3.0 + perFrameMs * b }
// snippet.end

// snippet.model
struct Plan {
  var name: String
  var analysedFPS: Double  // frames per second per stream sent to the detector
  var gateKeep: Double  // share of those a cheap motion/change gate lets through
  var perFrameMs: Double  // detector cost per frame inside a batch
  var decodedFPS = cameraFPS  // frames per second per stream that must be decoded
}

func evaluate(_ plan: Plan, batch: Double, latencySLOms: Double) {
  let decodeLoad = streams * plan.decodedFPS  // P-frames need their reference frames decoded
  let inferLoad = streams * plan.analysedFPS * plan.gateKeep
  let perGPU = batch / (batchLatencyMs(batch, perFrameMs: plan.perFrameMs) / 1000)
  // Worst-case wait: the batch fills at the per-GPU arrival rate, then runs.
  let gpusForCompute = inferLoad / (perGPU * targetUtilization)
  let gpusForDecode = decodeLoad / (decodeFramesPerGPU * targetUtilization)
  let gpus = max(gpusForCompute, gpusForDecode).rounded(.up)
  let fillMs = batch / (inferLoad / gpus) * 1000  // waiting for the batch to fill
  let latency = fillMs + batchLatencyMs(batch, perFrameMs: plan.perFrameMs)
  let monthly = gpus * gpuHourPrice * hoursPerMonth
  let framesPerMonth = inferLoad * 3600 * hoursPerMonth
  print(
    "\(padRight(plan.name, 30)) \(padLeft(fixed(inferLoad, 0), 7)) \(padLeft(fixed(gpusForCompute, 1), 8))"
      + " \(padLeft(fixed(gpusForDecode, 1), 7)) \(padLeft(fixed(gpus, 0), 5))"
      + " \(padLeft(fixed(latency, 0), 6)) \(latency <= latencySLOms ? "ok " : "MISS")"
      + " \(padLeft(money(monthly), 9)) \(padLeft("$" + fixed(monthly / streams, 2), 7))"
      + " \(padLeft("$" + fixed(monthly / framesPerMonth * 1e6, 2), 6))")
}
// snippet.end

print(
  "\(Int(streams)) streams x \(Int(cameraFPS)) FPS = \(Int(streams * cameraFPS)) frames/s;"
    + " ingest \(fixed(streams * bitrateMbps / 1000, 1)) Gbit/s;"
    + " GPUs kept at \(Int(targetUtilization * 100)) % load\n")
print(
  "\(padRight("plan (batch 16, SLO 500 ms)", 30)) \(padLeft("det f/s", 7)) \(padLeft("GPUs inf", 8))"
    + " \(padLeft("GPUs dec", 7)) \(padLeft("GPUs", 5)) \(padLeft("lat ms", 6)) ok?"
    + " \(padLeft("per month", 9)) \(padLeft("/stream", 7)) \(padLeft("/1M fr", 6))")
// snippet.plans
let plans = [
  Plan(name: "every frame, large detector", analysedFPS: 15, gateKeep: 1.0, perFrameMs: 4.0),
  Plan(name: "sample 5 FPS + track between", analysedFPS: 5, gateKeep: 1.0, perFrameMs: 4.0),
  Plan(name: "5 FPS + motion gate (35 %)", analysedFPS: 5, gateKeep: 0.35, perFrameMs: 4.0),
  Plan(name: "gate + small int8 detector", analysedFPS: 5, gateKeep: 0.35, perFrameMs: 1.2),
  Plan(
    name: "keyframes only (1 per second)", analysedFPS: 1, gateKeep: 1.0, perFrameMs: 1.2,
    decodedFPS: 1),
]
for plan in plans { evaluate(plan, batch: 16, latencySLOms: 500) }
// snippet.end
print("Once the detector is cheap, decoding, not inference, sets the GPU count: decode on")
print("dedicated hardware, at a lower resolution, or only keyframes when one frame per second")
print("answers the question (counting, occupancy); batch latency is the price of throughput.")

// snippet.batch
print("\nBatch size for the small int8 detector: throughput per GPU against time per batch:")
for batch in [1.0, 4, 16, 64] {
  let ms = batchLatencyMs(batch, perFrameMs: 1.2)
  print(
    "  batch \(padLeft(fixed(batch, 0), 2)): \(padLeft(fixed(batch / ms * 1000, 0), 4)) frames/s per GPU,"
      + " \(padLeft(fixed(ms, 1), 5)) ms per batch")
}
// snippet.end
