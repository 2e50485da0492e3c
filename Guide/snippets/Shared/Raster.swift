// snippet.uses: SVG.swift Plot.swift PNG.swift
//
// A raster frame inside an SVG figure: the pixels as an embedded PNG (`data:` URI, encoded by
// `PNGEncoder`), with boxes, labels and shaded regions drawn over it in the frame's own pixel
// coordinates, and a legend under it. Frames are usually downsampled and their grey levels
// quantised before encoding: the figure stays small (well under 30 KB) and reads the same.

/// 8-bit pixels, gray (1 channel) or RGB (3 channels), row-major and interleaved.
public struct Raster: Sendable, Equatable {
  public let width: Int
  public let height: Int
  public let channels: Int
  public var bytes: [UInt8]

  public init(width: Int, height: Int, channels: Int, bytes: [UInt8]) {
    precondition(channels == 1 || channels == 3, "Raster: 1 or 3 channels")
    precondition(bytes.count == width * height * channels, "Raster: byte count does not match size")
    self.width = width
    self.height = height
    self.channels = channels
    self.bytes = bytes
  }

  /// From float samples in 0…1 (clamped), e.g. `Image.pixels`.
  public init(width: Int, height: Int, channels: Int, values: [Float]) {
    let bytes = values.map { v -> UInt8 in
      guard v.isFinite else { return 0 }
      return UInt8(max(0, min(255, (v * 255).rounded())))
    }
    self.init(width: width, height: height, channels: channels, bytes: bytes)
  }

  /// Averages `factor × factor` blocks (the last partial row and column are dropped).
  public func downsampled(by factor: Int) -> Raster {
    guard factor > 1 else { return self }
    let w = width / factor
    let h = height / factor
    var out = [UInt8](repeating: 0, count: w * h * channels)
    for y in 0..<h {
      for x in 0..<w {
        for c in 0..<channels {
          var sum = 0
          for dy in 0..<factor {
            for dx in 0..<factor { sum += Int(bytes[((y * factor + dy) * width + x * factor + dx) * channels + c]) }
          }
          out[(y * w + x) * channels + c] = UInt8((sum + factor * factor / 2) / (factor * factor))
        }
      }
    }
    return Raster(width: w, height: h, channels: channels, bytes: out)
  }

  /// Rounds every sample to one of `levels` evenly spaced values (2…256), which removes sensor
  /// noise from flat regions and lets DEFLATE find long matches.
  public func quantized(levels: Int) -> Raster {
    let levels = max(2, min(256, levels))
    let step = 255.0 / Double(levels - 1)
    let mapped = bytes.map { UInt8(((Double($0) / step).rounded() * step).rounded()) }
    return Raster(width: width, height: height, channels: channels, bytes: mapped)
  }

  /// The PNG file.
  public func png() -> [UInt8] {
    PNGEncoder.encode(width: width, height: height, channels: channels, pixels: bytes)
  }

  /// A `data:image/png;base64,…` URI.
  public func dataURI() -> String { "data:image/png;base64," + Base64.encode(png()) }
}

/// A raster frame with overlays, as an SVG figure.
public struct RasterFigure: Sendable {
  /// What is drawn over the frame, in the frame's pixel coordinates (before any downsampling).
  public enum Overlay: Sendable {
    /// A box outline with an optional label above its top-left corner (inside when at the top edge).
    case box(x1: Double, y1: Double, x2: Double, y2: Double, label: String?, style: FigureStyle)
    /// A filled region (the style's colour at its fill opacity), no outline.
    case region(x1: Double, y1: Double, x2: Double, y2: Double, style: FigureStyle)
    /// A text label at a point.
    case text(x: Double, y: Double, text: String, anchor: String)
  }

  public var title: String
  public var desc: String
  /// The pixels to show (maybe downsampled); overlays use `frameWidth × frameHeight` coordinates.
  public var raster: Raster
  public var frameWidth: Double
  public var frameHeight: Double
  /// Displayed width of the frame in SVG units (the height follows the aspect ratio).
  public var displayWidth: Double = 480
  public var overlays: [Overlay] = []
  public var legend: [LegendEntry] = []
  /// A caption line above the frame (e.g. "before" / "after"), or empty.
  public var caption = ""

  public init(title: String, desc: String, raster: Raster, frameWidth: Double, frameHeight: Double) {
    self.title = title
    self.desc = desc
    self.raster = raster
    self.frameWidth = frameWidth
    self.frameHeight = frameHeight
  }

  public mutating func add(_ overlay: Overlay) { overlays.append(overlay) }

  /// The figure alone, as an SVG document.
  public func svg(name: String) -> String {
    RasterPanels(title: title, desc: desc, panels: [self]).svg(name: name)
  }

  /// Draws the frame and its overlays at (x, y) into `doc`; returns the height used.
  func draw(into doc: inout SVGDocument, x: Double, y: Double, imageID: String) -> Double {
    let top = y + (caption.isEmpty ? 0 : 20)
    if !caption.isEmpty { doc.text(caption, x: x, y: y + 14, weight: "600") }
    let scale = displayWidth / frameWidth
    let displayHeight = frameHeight * scale
    doc.raw(
      "<image x=\"\(SVGText.number(x))\" y=\"\(SVGText.number(top))\" width=\"\(SVGText.number(displayWidth))\" height=\"\(SVGText.number(displayHeight))\" preserveAspectRatio=\"none\" xlink:href=\"\(raster.dataURI())\"/>"
    )
    doc.rect(x: x, y: top, width: displayWidth, height: displayHeight, style: FigureStyle(color: .grid, lineWidth: 1))
    // Labels: each box label tries above its box, below it, inside its top, then higher up, and
    // takes the first place that no earlier label occupies.
    var labels: [(text: String, x: Double, ys: [Double], anchor: String, color: FigureColor)] = []
    for overlay in overlays {
      switch overlay {
      case .region(let x1, let y1, let x2, let y2, let style):
        var s = style
        if s.fillOpacity == 0 { s.fillOpacity = 0.35 }
        doc.rect(x: x + x1 * scale, y: top + y1 * scale, width: (x2 - x1) * scale, height: (y2 - y1) * scale, style: s, stroke: false)
      case .box(let x1, let y1, let x2, let y2, let label, let style):
        var s = style
        s.fillOpacity = 0
        doc.rect(x: x + x1 * scale, y: top + y1 * scale, width: (x2 - x1) * scale, height: (y2 - y1) * scale, style: s)
        if let label {
          let above = top + y1 * scale - 4
          let below = top + y2 * scale + 13
          let inside = top + y1 * scale + 14
          var ys = [above, below, inside]
          for k in 1...4 { ys.append(above - 14 * Double(k)) }
          ys = ys.filter { $0 >= top + 11 && $0 <= top + displayHeight - 2 }
          labels.append((label, x + x1 * scale, ys.isEmpty ? [inside] : ys, "start", style.color))
        }
      case .text(let tx, let ty, let text, let anchor):
        labels.append((text, x + tx * scale, [top + ty * scale], anchor, .text))
      }
    }
    var placed: [(Double, Double, Double, Double)] = []
    for label in labels {
      var lx = label.x
      var anchor = label.anchor
      let w = estimatedTextWidth(label.text, size: 12) + 4
      if anchor == "start" && lx + w > x + displayWidth {
        lx = x + displayWidth - 2
        anchor = "end"
      }
      let left = anchor == "start" ? lx - 2 : anchor == "end" ? lx - w : lx - w / 2
      func free(_ y: Double) -> Bool {
        !placed.contains { p in left < p.2 && left + w > p.0 && y - 11 < p.3 && y + 3 > p.1 }
      }
      let ly = label.ys.first(where: free) ?? label.ys[0]
      placed.append((left, ly - 11, left + w, ly + 3))
      doc.text(label.text, x: lx, y: ly, anchor: anchor, size: 12, weight: "600", color: label.color, halo: true)
    }
    return top + displayHeight - y
  }
}

/// One or more raster frames side by side (e.g. before and after), with one shared legend.
public struct RasterPanels: Sendable {
  public var title: String
  public var desc: String
  public var panels: [RasterFigure]
  public var gap: Double = 16
  /// Legend entries under the frames (each panel's own legend is appended).
  public var legend: [LegendEntry] = []

  public init(title: String, desc: String, panels: [RasterFigure]) {
    self.title = title
    self.desc = desc
    self.panels = panels
  }

  public func svg(name: String) -> String {
    let width = panels.map(\.displayWidth).reduce(0, +) + gap * Double(max(0, panels.count - 1)) + 8
    let heights = panels.map { ($0.caption.isEmpty ? 0 : 20) + $0.frameHeight * $0.displayWidth / $0.frameWidth }
    let framesHeight = heights.max() ?? 0
    var entries = legend
    for p in panels { entries += p.legend }
    var noDoc: SVGDocument? = nil
    let legendHeight = layoutLegend(entries, x: 4, y: 0, width: width - 8, svg: &noDoc)
    let height = 4 + framesHeight + (legendHeight > 0 ? 6 + legendHeight : 0) + 4
    var doc = SVGDocument(width: width, height: height, name: name, title: title, desc: desc)
    var x = 4.0
    for (i, panel) in panels.enumerated() {
      _ = panel.draw(into: &doc, x: x, y: 4, imageID: doc.id("frame-\(i)"))
      x += panel.displayWidth + gap
    }
    var legendDoc: SVGDocument? = doc
    layoutLegend(entries, x: 4, y: 4 + framesHeight + 6, width: width - 8, svg: &legendDoc)
    return legendDoc!.render()
  }
}
