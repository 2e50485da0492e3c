// snippet.title: Seeded synthetic driving scenes: one frame, and statistics over 200
// snippet.uses: Scenes.swift Benchmark.swift Figure.swift

// snippet.hide
import Foundation

let classLetter: [Character] = ["P", "V", "O"]
// snippet.show

// The detector benchmark's test set: frames 0..<200 of the generator with seed 1.
// Same seed and index -> the same frame, bit for bit, on any machine.
// snippet.core
let generator = SceneGenerator(seed: 1)
let scene = generator.scene(3)
// snippet.end

// Render as ASCII, 64 columns of 5x10-pixel cells (dark ' ' ... bright '@'), histogram-
// equalised so that every character is used equally often; each object's box is outlined
// with its class letter.
let ranks = scene.image.pixels.enumerated().sorted { $0.element < $1.element }
var equalised = scene.image
for (rank, entry) in ranks.enumerated() {
  equalised.pixels[entry.offset] = Float(rank) / Float(ranks.count - 1)
}
var art = equalised.ascii(columns: 64).map { Array($0) }
for object in scene.objects {
  let c1 = Int(object.box.x1 / 5)
  let c2 = min(63, Int((object.box.x2 - 1) / 5))
  let r1 = Int(object.box.y1 / 10)
  let r2 = min(art.count - 1, Int((object.box.y2 - 1) / 10))
  for r in r1...r2 {
    for c in c1...c2 where r == r1 || r == r2 || c == c1 || c == c2 {
      art[r][c] = classLetter[object.label]
    }
  }
}
print("Frame 3 of seed 1: 320x240, gain \(fixed(scene.gain, 2)), noise sd"
  + " \(fixed(scene.noise, 3))")
print("+" + String(repeating: "-", count: 64) + "+")
for line in art { print("|" + String(line) + "|") }
print("+" + String(repeating: "-", count: 64) + "+")
print("Boxes drawn with P pedestrian, V vehicle, O obstacle:")
for object in scene.objects {
  print("  \(classLetter[object.label]) \(padRight(object.box.description, 22))"
    + " visible \(Int((object.visibleFraction * 100).rounded()))%")
}

// Statistics over the 200 frames.
// snippet.stats
let clock = ContinuousClock()
let start = clock.now
let scenes = generator.scenes(200)
let elapsed = (clock.now - start).seconds
let objects = scenes.flatMap(\.objects)
// snippet.end
print("\n200 frames, \(objects.count) objects"
  + " (\(fixed(Double(objects.count) / 200, 2)) per frame,"
  + " \(scenes.map(\.objects.count).min()!)..\(scenes.map(\.objects.count).max()!)):")
for k in ObjectClass.allCases {
  let sizes = objects.filter { $0.label == k.rawValue }.map { max($0.box.width, $0.box.height) }
    .sorted()
  print("  \(padRight(k.name, 10)) \(padLeft(String(sizes.count), 4)),"
    + " longer side median \(padLeft(fixed(percentile(sorted: sizes, 50), 0), 3)) px"
    + " (\(fixed(sizes.first!, 0))..\(fixed(sizes.last!, 0)))")
}
let areas = objects.map(\.box.area)
let small = areas.filter { $0 < 32 * 32 }.count
let medium = areas.filter { $0 >= 32 * 32 && $0 < 96 * 96 }.count
print("  COCO area classes: \(small) small (< 32^2), \(medium) medium,"
  + " \(objects.count - small - medium) large (> 96^2)")
let cut = objects.filter {
  $0.box.x1 == 0 || $0.box.y1 == 0 || $0.box.x2 == 320 || $0.box.y2 == 240
}
let hidden = objects.filter { $0.box != $0.fullBox.clipped(toWidth: 320, height: 240) }
print("  cut by the frame edge: \(cut.count); partly hidden behind another object:"
  + " \(hidden.count)")
print("  lighting gain \(fixed(scenes.map(\.gain).min()!, 2))..\(fixed(scenes.map(\.gain).max()!, 2)),"
  + " noise sd \(fixed(scenes.map(\.noise).min()!, 3))..\(fixed(scenes.map(\.noise).max()!, 3))")
print("generation time per frame: \(fixed(elapsed / 200 * 1000, 2)) ms")

// snippet.hide
// MARK: - Figure
// Figure 1: frame 3 itself, with its ground-truth boxes. Figure 2: object sizes against the COCO
// size classes.
do {
  let classStyles = [
    FigureStyle(color: .series(0), lineWidth: 2), FigureStyle(color: .series(1), dash: .dashed, lineWidth: 2),
    FigureStyle(color: .series(2), dash: .dashDot, lineWidth: 2),
  ]
  let raster = Raster(width: 320, height: 240, channels: 1, values: scene.image.pixels)
    .downsampled(by: 2).quantized(levels: 48)
  var frame = RasterFigure(
    title: "Frame 3 of the synthetic driving scenes with its ground truth",
    desc: "A 320 by 240 grayscale synthetic road scene: sky, tree line, road with a dashed centre line and "
      + "grass verges, with \(scene.objects.count) labelled objects outlined by class: "
      + scene.objects.map { "\(ObjectClass(rawValue: $0.label)!.name) at \($0.box)" }.joined(separator: ", ")
      + ". Boxes cover the visible part of each object.",
    raster: raster, frameWidth: 320, frameHeight: 240)
  for object in scene.objects {
    frame.add(.box(x1: object.box.x1, y1: object.box.y1, x2: object.box.x2, y2: object.box.y2,
      label: ObjectClass(rawValue: object.label)!.name, style: classStyles[object.label]))
  }
  frame.legend = ObjectClass.allCases.map { LegendEntry(label: $0.name, style: classStyles[$0.rawValue]) }
  Figure.save(frame.svg(name: "synthetic-frame-truth"), name: "synthetic-frame-truth")

  let edges = (0...30).map { Double($0) * 4 }
  var chart = Chart(
    title: "Object sizes against the COCO size classes",
    desc: "Histograms of object size, the square root of the box area in pixels, for the "
      + "\(objects.count) objects of 200 frames, per class. The dashed lines at 32 and 96 pixels are COCO's "
      + "small, medium and large limits: \(small) objects are small, \(medium) medium and "
      + "\(objects.count - small - medium) large, so AP small and AP medium carry the evaluation.")
  chart.xLabel = "object size: √area (px)"
  chart.yLabel = "objects"
  chart.xDomain = 0...120
  for k in ObjectClass.allCases {
    var counts = [Double](repeating: 0, count: edges.count - 1)
    for o in objects where o.label == k.rawValue {
      counts[min(counts.count - 1, Int(o.box.area.squareRoot() / 4))] += 1
    }
    var style = classStyles[k.rawValue]
    style.fillOpacity = k == .pedestrian ? 0.2 : 0
    chart.add(.histogram(edges: edges, counts: counts, label: k.name, style: style))
  }
  let limit = FigureStyle(color: .text, dash: .dashed, lineWidth: 1.2)
  chart.add(.vline(x: 32, label: "small | medium", style: limit))
  chart.add(.vline(x: 96, label: "medium | large", style: limit))
  Figure.save(chart.svg(name: "object-size-coco"), name: "object-size-coco")
}
// snippet.show
