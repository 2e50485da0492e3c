// snippet.uses: SVG.swift
//
// Charts as SVG: axes with "nice" ticks (1, 2 or 5 times a power of ten), labels and a legend,
// with lines, step lines, scatter points, histograms, filled areas, rectangles and reference
// lines (`Chart`); grouped or stacked bars (`BarChart`); and heat maps (`HeatMap`).
// Layout is computed, not measured: text width is estimated from the character count, which is
// close enough for the short labels of a figure and keeps the output deterministic.

// MARK: - Ticks and scales

/// "Nice" tick values for an axis, after Heckbert's *Nice numbers for graph labels* (1990): steps
/// of 1, 2, 2.5 or 5 times a power of ten, never more ticks than asked for.
public enum Ticks {
  /// The smallest nice step that covers `span` with at most `count` ticks.
  public static func niceStep(span: Double, count: Int = 5) -> Double {
    guard span > 0, span.isFinite else { return 1 }
    let raw = span / Double(max(1, count - 1))
    var power = 1.0
    while power * 10 <= raw { power *= 10 }
    while power > raw { power /= 10 }
    let fraction = raw / power
    let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
    return nice * power
  }

  /// The domain widened outwards to whole steps: `niceDomain(0.13, 0.92)` is `0...1`.
  public static func niceDomain(_ lo: Double, _ hi: Double, count: Int = 5) -> ClosedRange<Double> {
    var lo = lo
    var hi = hi
    if lo == hi {
      lo -= lo == 0 ? 1 : abs(lo) * 0.5
      hi += hi == 0 ? 1 : abs(hi) * 0.5
    }
    if lo > hi { swap(&lo, &hi) }
    let step = niceStep(span: hi - lo, count: count)
    return ((lo / step).rounded(.down) * step)...((hi / step).rounded(.up) * step)
  }

  /// Tick values: the multiples of the nice step inside `domain` (ends included, up to rounding).
  public static func values(_ domain: ClosedRange<Double>, count: Int = 5) -> [Double] {
    let step = niceStep(span: domain.upperBound - domain.lowerBound, count: count)
    let first = (domain.lowerBound / step - 1e-9).rounded(.up)
    let last = (domain.upperBound / step + 1e-9).rounded(.down)
    guard first <= last else { return [] }
    return (Int(first)...Int(last)).map { Double($0) * step }
  }

  /// Decimals needed to print ticks `step` apart without rounding two of them together.
  public static func decimals(forStep step: Double) -> Int {
    var d = 0
    var s = step
    while d < 6 && abs(s - s.rounded()) > 1e-9 * max(1, abs(s)) {
      s *= 10
      d += 1
    }
    return d
  }

  /// Labels for `values` (all with the same number of decimals).
  public static func labels(_ values: [Double]) -> [String] {
    guard values.count > 1 else { return values.map { SVGText.number($0) } }
    let d = decimals(forStep: values[1] - values[0])
    return values.map { SVGText.fixed($0, decimals: d) }
  }
}

/// A linear map from a data domain to a pixel range (which may run backwards, e.g. the y axis).
public struct LinearScale: Sendable, Equatable {
  public var domain: ClosedRange<Double>
  public var range: (Double, Double)

  public init(domain: ClosedRange<Double>, range: (Double, Double)) {
    self.domain = domain
    self.range = range
  }

  public func callAsFunction(_ value: Double) -> Double {
    let span = domain.upperBound - domain.lowerBound
    let t = span == 0 ? 0.5 : (value - domain.lowerBound) / span
    return range.0 + t * (range.1 - range.0)
  }

  public static func == (a: LinearScale, b: LinearScale) -> Bool {
    a.domain == b.domain && a.range.0 == b.range.0 && a.range.1 == b.range.1
  }
}

/// Text width in pixels, estimated (0.58 em per character, about right for a sans-serif).
func estimatedTextWidth(_ text: String, size: Double = 13) -> Double {
  Double(text.count) * size * 0.58
}

// MARK: - Legend

/// One legend entry: a label with the line, marker or swatch that stands for it.
public struct LegendEntry: Sendable {
  public var label: String
  public var style: FigureStyle
  /// A filled square instead of a line sample (bars, histograms, regions).
  public var swatch: Bool

  public init(label: String, style: FigureStyle, swatch: Bool = false) {
    self.label = label
    self.style = style
    self.swatch = swatch
  }
}

/// Lays legend entries out in rows within `width`; returns the height used. Draws when `svg` is given.
@discardableResult
func layoutLegend(_ entries: [LegendEntry], x: Double, y: Double, width: Double, svg: inout SVGDocument?) -> Double {
  guard !entries.isEmpty else { return 0 }
  let rowHeight = 20.0
  var cx = x
  var cy = y
  for entry in entries {
    let itemWidth = 30 + estimatedTextWidth(entry.label) + 16
    if cx > x && cx + itemWidth > x + width {
      cx = x
      cy += rowHeight
    }
    if svg != nil {
      let mid = cy + rowHeight / 2
      if entry.swatch {
        var s = entry.style
        s.fillOpacity = max(s.fillOpacity, 0.35)
        s.lineWidth = 1.5
        svg!.rect(x: cx + 4, y: mid - 6, width: 18, height: 12, style: s)
      } else {
        var s = entry.style
        s.fillOpacity = 0
        svg!.line(cx, mid, cx + 26, mid, style: s)
        svg!.marker(entry.style.marker, x: cx + 13, y: mid, size: 3.5, color: entry.style.color)
      }
      svg!.text(entry.label, x: cx + 30, y: mid + 4.5)
    }
    cx += itemWidth
  }
  return cy + rowHeight - y
}

// MARK: - Chart

/// An x–y chart: axes, ticks, grid, legend and a list of marks drawn in order.
public struct Chart: Sendable {
  /// What is drawn, in data coordinates.
  public enum Mark: Sendable {
    /// A polyline through the points; markers at each point if the style has one.
    case line([(Double, Double)], label: String?, style: FigureStyle)
    /// A step line: each value holds until the next x (as a precision–recall envelope does).
    case step([(Double, Double)], label: String?, style: FigureStyle)
    /// Points only; the marker radius is the style's line width + 1.5.
    case scatter([(Double, Double)], label: String?, style: FigureStyle)
    /// A histogram: `edges.count == counts.count + 1`; drawn as an outline, filled if the style says so.
    case histogram(edges: [Double], counts: [Double], label: String?, style: FigureStyle)
    /// The region between the polyline and `baseline`, filled.
    case area([(Double, Double)], baseline: Double, label: String?, style: FigureStyle)
    /// A rectangle between two corners; the label is written inside its top-left corner.
    case rect(x1: Double, y1: Double, x2: Double, y2: Double, label: String?, style: FigureStyle)
    /// A vertical reference line with its label written along the top.
    case vline(x: Double, label: String?, style: FigureStyle)
    /// A horizontal reference line with its label at the right end.
    case hline(y: Double, label: String?, style: FigureStyle)
    /// A text note at a data position (`anchor`: start, middle, end).
    case note(x: Double, y: Double, text: String, anchor: String)
  }

  public var width: Double = 480
  public var height: Double = 300
  public var title: String
  public var desc: String
  public var xLabel: String = ""
  public var yLabel: String = ""
  /// Axis domains; nil means "the data's extent, widened to nice ticks".
  public var xDomain: ClosedRange<Double>? = nil
  public var yDomain: ClosedRange<Double>? = nil
  /// Image coordinates: y grows downwards (for boxes on a frame).
  public var yDown = false
  /// About how many ticks per axis.
  public var xTickCount = 6
  public var yTickCount = 5
  /// Format tick labels (default: fixed decimals from the step).
  public var xTickFormat: (@Sendable (Double) -> String)? = nil
  public var yTickFormat: (@Sendable (Double) -> String)? = nil
  public var marks: [Mark] = []
  /// Extra legend entries (for marks drawn without a label).
  public var extraLegend: [LegendEntry] = []

  public init(title: String, desc: String) {
    self.title = title
    self.desc = desc
  }

  public mutating func add(_ mark: Mark) { marks.append(mark) }

  /// Every data point of the marks, for the automatic domains.
  private var extent: (xs: [Double], ys: [Double]) {
    var xs: [Double] = []
    var ys: [Double] = []
    for mark in marks {
      switch mark {
      case .line(let p, _, _), .step(let p, _, _), .scatter(let p, _, _):
        xs += p.map(\.0)
        ys += p.map(\.1)
      case .area(let p, let base, _, _):
        xs += p.map(\.0)
        ys += p.map(\.1) + [base]
      case .histogram(let edges, let counts, _, _):
        xs += edges
        ys += counts + [0]
      case .rect(let x1, let y1, let x2, let y2, _, _):
        xs += [x1, x2]
        ys += [y1, y2]
      case .vline(let x, _, _): xs.append(x)
      case .hline(let y, _, _): ys.append(y)
      case .note: break
      }
    }
    return (xs.filter(\.isFinite), ys.filter(\.isFinite))
  }

  private var legendEntries: [LegendEntry] {
    var entries: [LegendEntry] = []
    for mark in marks {
      switch mark {
      case .line(_, let label?, let style), .step(_, let label?, let style):
        entries.append(LegendEntry(label: label, style: style))
      case .scatter(_, let label?, let style):
        var s = style
        if s.marker == .none { s.marker = .circle }
        s.lineWidth = 0
        entries.append(LegendEntry(label: label, style: s))
      case .histogram(_, _, let label?, let style), .area(_, _, let label?, let style):
        entries.append(LegendEntry(label: label, style: style, swatch: true))
      default: break
      }
    }
    return entries + extraLegend
  }

  /// The chart as an SVG document named `name`.
  public func svg(name: String) -> String {
    var doc = SVGDocument(width: width, height: height, name: name, title: title, desc: desc)
    let (xs, ys) = extent
    let xDom = xDomain ?? Ticks.niceDomain(xs.min() ?? 0, xs.max() ?? 1, count: xTickCount)
    let yDom = yDomain ?? Ticks.niceDomain(ys.min() ?? 0, ys.max() ?? 1, count: yTickCount)
    let yTicks = Ticks.values(yDom, count: yTickCount)
    let xTicks = Ticks.values(xDom, count: xTickCount)
    let yLabels = yTickFormat.map { f in yTicks.map(f) } ?? Ticks.labels(yTicks)
    let xLabels = xTickFormat.map { f in xTicks.map(f) } ?? Ticks.labels(xTicks)

    // Layout: legend on top, y labels on the left, x labels below.
    let tickLabelWidth = yLabels.map { estimatedTextWidth($0, size: 12) }.max() ?? 0
    let left = 14 + (yLabel.isEmpty ? 0 : 18) + tickLabelWidth
    let right = 14.0
    var noDoc: SVGDocument? = nil
    let legendHeight = layoutLegend(legendEntries, x: left, y: 6, width: width - left - right, svg: &noDoc)
    let top = 10 + legendHeight + (legendHeight > 0 ? 4 : 0)
    let bottom: Double = 26 + (xLabel.isEmpty ? 0 : 18)
    let plotW = width - left - right
    let plotH = height - top - bottom
    let sx = LinearScale(domain: xDom, range: (left, left + plotW))
    let sy = LinearScale(domain: yDom, range: yDown ? (top, top + plotH) : (top + plotH, top))

    // Legend.
    var legendDoc: SVGDocument? = doc
    layoutLegend(legendEntries, x: left, y: 6, width: plotW, svg: &legendDoc)
    doc = legendDoc!

    // Grid and ticks.
    let grid = FigureStyle(color: .grid, lineWidth: 1)
    doc.beginGroup(cssClass: "fig-grid")
    for v in yTicks { doc.line(left, sy(v), left + plotW, sy(v), style: grid) }
    for v in xTicks { doc.line(sx(v), top, sx(v), top + plotH, style: grid) }
    doc.endGroup()
    doc.raw("<g style=\"opacity:0.9\">")
    for (v, label) in zip(yTicks, yLabels) {
      doc.text(label, x: left - 6, y: sy(v) + 4, anchor: "end", size: 12)
    }
    let xTickY = top + plotH + 16
    for (v, label) in zip(xTicks, xLabels) {
      doc.text(label, x: sx(v), y: xTickY, anchor: "middle", size: 12)
    }
    doc.raw("</g>")
    let axis = FigureStyle(color: .text, lineWidth: 1)
    doc.line(left, top + plotH, left + plotW, top + plotH, style: axis)
    doc.line(left, top, left, top + plotH, style: axis)
    if !xLabel.isEmpty { doc.text(xLabel, x: left + plotW / 2, y: height - 8, anchor: "middle") }
    if !yLabel.isEmpty {
      doc.text(yLabel, x: 14, y: top + plotH / 2, anchor: "middle", rotate: -90)
    }

    // Marks, clipped to the plot area.
    let clip = doc.id("plot")
    doc.define(
      "<clipPath id=\"\(clip)\"><rect x=\"\(SVGText.number(left - 4))\" y=\"\(SVGText.number(top - 4))\" width=\"\(SVGText.number(plotW + 8))\" height=\"\(SVGText.number(plotH + 8))\"/></clipPath>"
    )
    doc.beginGroup(clipID: clip)
    func px(_ p: [(Double, Double)]) -> [(Double, Double)] { p.map { (sx($0.0), sy($0.1)) } }
    var labels: [(String, Double, Double, String)] = []
    for mark in marks {
      switch mark {
      case .line(let p, _, let style):
        var s = style
        s.fillOpacity = 0
        doc.polyline(px(p), style: s)
        for (x, y) in px(p) { doc.marker(style.marker, x: x, y: y, size: 3.5, color: style.color) }
      case .step(let p, _, let style):
        var pts: [(Double, Double)] = []
        for (i, point) in p.enumerated() {
          if i > 0 { pts.append((point.0, p[i - 1].1)) }
          pts.append(point)
        }
        var s = style
        s.fillOpacity = 0
        doc.polyline(px(pts), style: s)
        for (x, y) in px(p) { doc.marker(style.marker, x: x, y: y, size: 3.5, color: style.color) }
      case .scatter(let p, _, let style):
        // The marker radius follows the line width (2 gives 3.5 px), so dense samples can be small.
        let radius = max(1.5, style.lineWidth + 1.5)
        for (x, y) in px(p) {
          doc.marker(style.marker == .none ? .circle : style.marker, x: x, y: y, size: radius, color: style.color)
        }
      case .histogram(let edges, let counts, _, let style):
        guard edges.count == counts.count + 1, !counts.isEmpty else { continue }
        var pts: [(Double, Double)] = [(edges[0], 0)]
        for (i, c) in counts.enumerated() {
          pts.append((edges[i], c))
          pts.append((edges[i + 1], c))
        }
        pts.append((edges[edges.count - 1], 0))
        if style.fillOpacity > 0 { doc.polygon(px(pts), style: style, stroke: false) }
        var s = style
        s.fillOpacity = 0
        doc.polyline(px(pts), style: s)
      case .area(let p, let base, _, let style):
        guard let first = p.first, let last = p.last else { continue }
        let pts = [(first.0, base)] + p + [(last.0, base)]
        var s = style
        if s.fillOpacity == 0 { s.fillOpacity = 0.25 }
        doc.polygon(px(pts), style: s, stroke: false)
      case .rect(let x1, let y1, let x2, let y2, let label, let style):
        let (a, b) = (sx(min(x1, x2)), sx(max(x1, x2)))
        let (c, d) = (min(sy(y1), sy(y2)), max(sy(y1), sy(y2)))
        doc.rect(x: a, y: c, width: b - a, height: d - c, style: style)
        if let label { labels.append((label, a + 4, c + 15, "start")) }
      case .vline(let x, let label, let style):
        doc.line(sx(x), top, sx(x), top + plotH, style: style)
        if let label { labels.append((label, sx(x) + 4, top + 14, "start")) }
      case .hline(let y, let label, let style):
        doc.line(left, sy(y), left + plotW, sy(y), style: style)
        if let label { labels.append((label, left + plotW - 4, sy(y) - 5, "end")) }
      case .note(let x, let y, let text, let anchor):
        labels.append((text, sx(x), sy(y), anchor))
      }
    }
    doc.endGroup()
    // Labels last, with a halo, so that no line crosses them unreadably.
    for (text, x, y, anchor) in labels {
      var x = x
      var anchor = anchor
      if anchor == "start" && x + estimatedTextWidth(text) > left + plotW {
        x -= 8
        anchor = "end"
      }
      doc.text(text, x: x, y: y, anchor: anchor, halo: true)
    }
    return doc.render()
  }
}

// MARK: - Bars

/// Bars per category: grouped side by side, or stacked; vertical or horizontal.
public struct BarChart: Sendable {
  public struct Series: Sendable {
    public var label: String
    public var values: [Double]
    public init(label: String, values: [Double]) {
      self.label = label
      self.values = values
    }
  }

  public var width: Double = 480
  public var height: Double = 300
  public var title: String
  public var desc: String
  public var categories: [String]
  public var series: [Series]
  public var stacked = false
  /// Bars grow to the right, categories listed top to bottom.
  public var horizontal = false
  public var valueLabel: String = ""
  public var valueDomain: ClosedRange<Double>? = nil
  /// Write each bar's value on it (stacked: inside the segment, when it fits).
  public var showValues = false
  public var valueDecimals = 1
  /// Reference lines across the bars (a budget, a target).
  public var references: [(value: Double, label: String)] = []

  public init(title: String, desc: String, categories: [String], series: [Series]) {
    self.title = title
    self.desc = desc
    self.categories = categories
    self.series = series
  }

  /// The style of the n-th series: its colour, a solid fill and a darker outline.
  static func style(_ index: Int) -> FigureStyle {
    FigureStyle(color: .series(index), lineWidth: 1, fillOpacity: 0.85)
  }

  public func svg(name: String) -> String {
    var doc = SVGDocument(width: width, height: height, name: name, title: title, desc: desc)
    var maxValue = 0.0
    for i in categories.indices {
      let values = series.map { $0.values.indices.contains(i) ? $0.values[i] : 0 }
      maxValue = max(maxValue, stacked ? values.reduce(0, +) : (values.max() ?? 0))
    }
    for r in references { maxValue = max(maxValue, r.value) }
    let dom = valueDomain ?? Ticks.niceDomain(0, maxValue, count: 5)
    let ticks = Ticks.values(dom, count: horizontal ? 6 : 5)
    let tickLabels = Ticks.labels(ticks)

    let entries =
      series.count > 1 || stacked
      ? series.enumerated().map { LegendEntry(label: $0.element.label, style: Self.style($0.offset), swatch: true) } : []
    let categoryWidth = categories.map { estimatedTextWidth($0, size: 12) }.max() ?? 0
    let left =
      horizontal
      ? 14 + categoryWidth : 14 + (valueLabel.isEmpty ? 0 : 18) + (tickLabels.map { estimatedTextWidth($0, size: 12) }.max() ?? 0)
    let right = 16.0
    var noDoc: SVGDocument? = nil
    let legendHeight = layoutLegend(entries, x: left, y: 6, width: width - left - right, svg: &noDoc)
    var legendDoc: SVGDocument? = doc
    layoutLegend(entries, x: left, y: 6, width: width - left - right, svg: &legendDoc)
    doc = legendDoc!
    let top: Double = 10 + legendHeight + (legendHeight > 0 ? 4 : 0) + (references.isEmpty ? 0 : 16)
    let bottom: Double = 26 + (valueLabel.isEmpty || !horizontal ? 0 : 18)
    let plotW = width - left - right
    let plotH = height - top - bottom
    let value =
      horizontal
      ? LinearScale(domain: dom, range: (left, left + plotW)) : LinearScale(domain: dom, range: (top + plotH, top))
    let bandSize = (horizontal ? plotH : plotW) / Double(max(1, categories.count))
    let barArea = bandSize * 0.7
    let grid = FigureStyle(color: .grid, lineWidth: 1)

    doc.beginGroup(cssClass: "fig-grid")
    for v in ticks {
      if horizontal {
        doc.line(value(v), top, value(v), top + plotH, style: grid)
      } else {
        doc.line(left, value(v), left + plotW, value(v), style: grid)
      }
    }
    doc.endGroup()
    for (v, label) in zip(ticks, tickLabels) {
      if horizontal {
        doc.text(label, x: value(v), y: top + plotH + 16, anchor: "middle", size: 12)
      } else {
        doc.text(label, x: left - 6, y: value(v) + 4, anchor: "end", size: 12)
      }
    }
    if !valueLabel.isEmpty {
      if horizontal {
        doc.text(valueLabel, x: left + plotW / 2, y: height - 8, anchor: "middle")
      } else {
        doc.text(valueLabel, x: 14, y: top + plotH / 2, anchor: "middle", rotate: -90)
      }
    }

    for (ci, category) in categories.enumerated() {
      let bandStart = (horizontal ? top : left) + Double(ci) * bandSize + (bandSize - barArea) / 2
      if horizontal {
        doc.text(category, x: left - 6, y: bandStart + barArea / 2 + 4, anchor: "end", size: 12)
      } else {
        doc.text(category, x: bandStart + barArea / 2, y: top + plotH + 16, anchor: "middle", size: 12)
      }
      var running = 0.0
      let thickness = stacked ? barArea : barArea / Double(max(1, series.count))
      for (si, s) in series.enumerated() {
        let v = s.values.indices.contains(ci) ? s.values[ci] : 0
        let from = stacked ? running : 0
        let to = from + v
        running = to
        let offset = stacked ? 0 : Double(si) * thickness
        let style = Self.style(si)
        let a = value(from)
        let b = value(to)
        if horizontal {
          doc.rect(x: min(a, b), y: bandStart + offset, width: abs(b - a), height: thickness, style: style)
        } else {
          doc.rect(x: bandStart + offset, y: min(a, b), width: thickness, height: abs(b - a), style: style)
        }
        if showValues && v > 0 {
          let text = SVGText.fixed(v, decimals: valueDecimals)
          if horizontal {
            let fits = abs(b - a) > estimatedTextWidth(text, size: 12) + 6
            if stacked && fits {
              doc.text(text, x: (a + b) / 2, y: bandStart + offset + thickness / 2 + 4, anchor: "middle", size: 12, halo: true)
            } else if !stacked {
              doc.text(text, x: b + 4, y: bandStart + offset + thickness / 2 + 4, size: 12)
            }
          } else {
            let fits = abs(b - a) > 16 && thickness > estimatedTextWidth(text, size: 12) + 2
            if stacked && fits {
              doc.text(text, x: bandStart + offset + thickness / 2, y: (a + b) / 2 + 4, anchor: "middle", size: 12, halo: true)
            } else if !stacked {
              doc.text(text, x: bandStart + offset + thickness / 2, y: b - 4, anchor: "middle", size: 12)
            }
          }
        }
      }
    }
    let axis = FigureStyle(color: .text, lineWidth: 1)
    if horizontal {
      doc.line(left, top, left, top + plotH, style: axis)
      doc.line(left, top + plotH, left + plotW, top + plotH, style: axis)
    } else {
      doc.line(left, top + plotH, left + plotW, top + plotH, style: axis)
      doc.line(left, top, left, top + plotH, style: axis)
    }
    for (i, r) in references.enumerated() {
      let style = FigureStyle(color: .text, dash: .dashed, lineWidth: 1.5)
      if horizontal {
        doc.line(value(r.value), top - 4, value(r.value), top + plotH, style: style)
        let w = estimatedTextWidth(r.label)
        let x = value(r.value)
        let anchor = x + w / 2 > width - 2 ? "end" : "middle"
        doc.text(r.label, x: anchor == "end" ? min(x + 4, width - 2) : x, y: top - 8 - Double(i) * 14, anchor: anchor)
      } else {
        doc.line(left, value(r.value), left + plotW, value(r.value), style: style)
        doc.text(r.label, x: left + plotW, y: value(r.value) - 5, anchor: "end", halo: true)
      }
    }
    return doc.render()
  }
}

// MARK: - Heat map

/// A matrix of values as coloured cells, with row and column labels and a colour bar.
public struct HeatMap: Sendable {
  public var title: String
  public var desc: String
  /// `values[row][column]`.
  public var values: [[Double]]
  public var rowLabels: [String]
  public var columnLabels: [String]
  public var xLabel = ""
  public var yLabel = ""
  public var domain: ClosedRange<Double>? = nil
  public var cellSize: Double = 36
  public var showValues = true
  public var valueDecimals = 2

  public init(title: String, desc: String, values: [[Double]], rowLabels: [String], columnLabels: [String]) {
    self.title = title
    self.desc = desc
    self.values = values
    self.rowLabels = rowLabels
    self.columnLabels = columnLabels
  }

  /// Viridis at 9 stops: perceptually uniform, readable in grey and by colour-blind readers.
  static let viridis: [(Double, Double, Double)] = [
    (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
    (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
  ]

  /// The colour for `t` in 0…1 as `#rrggbb`, and whether text on it should be dark.
  public static func color(_ t: Double) -> (hex: String, darkText: Bool) {
    let t = max(0, min(1, t.isFinite ? t : 0))
    let pos = t * Double(viridis.count - 1)
    let i = min(viridis.count - 2, Int(pos))
    let f = pos - Double(i)
    let a = viridis[i]
    let b = viridis[i + 1]
    let rgb = [a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f].map { Int($0.rounded()) }
    let digits = Array("0123456789abcdef")
    let hex = "#" + rgb.map { String([digits[$0 / 16], digits[$0 % 16]]) }.joined()
    let luminance = 0.2126 * Double(rgb[0]) + 0.7152 * Double(rgb[1]) + 0.0722 * Double(rgb[2])
    return (hex, luminance > 120)
  }

  public func svg(name: String) -> String {
    let rows = values.count
    let cols = values.first?.count ?? 0
    let flat = values.flatMap { $0 }.filter(\.isFinite)
    let dom = domain ?? ((flat.min() ?? 0)...(flat.max() ?? 1))
    let rowLabelWidth = rowLabels.map { estimatedTextWidth($0, size: 12) }.max() ?? 0
    let left = 12 + (yLabel.isEmpty ? 0 : 18) + rowLabelWidth
    let top = 12.0
    let barGap = 20.0
    let barWidth = 14.0
    let colorBarLabels = Ticks.labels(Ticks.values(dom, count: 5))
    let width =
      left + Double(cols) * cellSize + barGap + barWidth + 8
      + (colorBarLabels.map { estimatedTextWidth($0, size: 12) }.max() ?? 0) + 8
    let height = top + Double(rows) * cellSize + 22 + (xLabel.isEmpty ? 0 : 20) + 4
    var doc = SVGDocument(width: width, height: height, name: name, title: title, desc: desc)
    let span = dom.upperBound - dom.lowerBound
    for (r, row) in values.enumerated() {
      for (c, v) in row.enumerated() {
        let t = span == 0 ? 0.5 : (v - dom.lowerBound) / span
        let (hex, darkText) = Self.color(t)
        let x = left + Double(c) * cellSize
        let y = top + Double(r) * cellSize
        doc.cell(x: x, y: y, width: cellSize, height: cellSize, fill: hex)
        if showValues {
          doc.raw(
            "<text x=\"\(SVGText.number(x + cellSize / 2))\" y=\"\(SVGText.number(y + cellSize / 2 + 4))\" text-anchor=\"middle\" font-size=\"11\" fill=\"\(darkText ? "#000" : "#fff")\">\(SVGText.fixed(v, decimals: valueDecimals))</text>"
          )
        }
      }
      if r < rowLabels.count {
        doc.text(rowLabels[r], x: left - 6, y: top + (Double(r) + 0.5) * cellSize + 4, anchor: "end", size: 12)
      }
    }
    for (c, label) in columnLabels.prefix(cols).enumerated() {
      doc.text(label, x: left + (Double(c) + 0.5) * cellSize, y: top + Double(rows) * cellSize + 16, anchor: "middle", size: 12)
    }
    if !xLabel.isEmpty {
      doc.text(xLabel, x: left + Double(cols) * cellSize / 2, y: height - 8, anchor: "middle")
    }
    if !yLabel.isEmpty {
      doc.text(yLabel, x: 14, y: top + Double(rows) * cellSize / 2, anchor: "middle", rotate: -90)
    }
    // Colour bar: 16 bands from the bottom (low) to the top (high), with tick labels.
    let bx = left + Double(cols) * cellSize + barGap
    let bh = Double(rows) * cellSize
    let bands = 16
    for i in 0..<bands {
      let (hex, _) = Self.color((Double(i) + 0.5) / Double(bands))
      doc.cell(x: bx, y: top + bh - Double(i + 1) * bh / Double(bands), width: barWidth, height: bh / Double(bands) + 0.3, fill: hex)
    }
    let ticks = Ticks.values(dom, count: 5)
    let bar = LinearScale(domain: dom, range: (top + bh, top))
    for (v, label) in zip(ticks, colorBarLabels) {
      doc.line(bx + barWidth, bar(v), bx + barWidth + 3, bar(v), style: FigureStyle(color: .text, lineWidth: 1))
      doc.text(label, x: bx + barWidth + 6, y: bar(v) + 4, size: 12)
    }
    return doc.render()
  }
}
