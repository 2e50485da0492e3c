// The bottom layer of the figure code: deterministic number formatting, XML escaping and an SVG
// document builder. Every figure in the guide is an SVG string built here, so two runs of a
// snippet give the same bytes: numbers have at most two decimals (no locale, no exponent), there
// are no timestamps and no random ids (the few ids are prefixed with the figure's name).
//
// Theming: the SVG is inlined into the page, so nothing hard-codes a text colour. Text and axes
// use `currentColor` (the page's text colour, light or dark); series colours are CSS custom
// properties with a fallback, `var(--fig-1,#0072b2)`, set per theme in `content.css`. The
// fallbacks are the Okabe–Ito palette, which stays distinguishable with the common colour-vision
// deficiencies; series also differ by dash pattern and marker shape, never by colour alone.

/// Number and text formatting for SVG output.
public enum SVGText {
  /// `value` with at most `decimals` decimals (0…6), trailing zeros removed, never `-0` or an
  /// exponent: `1.5`, `12`, `0.33`. Non-finite values become `0` (SVG has no NaN).
  public static func number(_ value: Double, decimals: Int = 2) -> String {
    fixed(value, decimals: decimals, trim: true)
  }

  /// `value` with exactly `decimals` decimals (0…6): `fixed(0.5, decimals: 2)` is `0.50`.
  public static func fixed(_ value: Double, decimals: Int, trim: Bool = false) -> String {
    let d = max(0, min(6, decimals))
    guard value.isFinite else { return "0" }
    var scale = 1.0
    for _ in 0..<d { scale *= 10 }
    let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
    guard scaled < 9e15 else { return value < 0 ? "-9e15" : "9e15" }
    let units = UInt64(scaled)
    let divisor = UInt64(scale)
    let whole = units / divisor
    var frac = d == 0 ? "" : String(units % divisor)
    while frac.count < d { frac = "0" + frac }
    if trim {
      while frac.hasSuffix("0") { frac.removeLast() }
    }
    var text = String(whole)
    if !frac.isEmpty { text += "." + frac }
    if value < 0 && units != 0 { text = "-" + text }
    return text
  }

  /// Text escaped for XML character data and attribute values.
  public static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for ch in text.unicodeScalars {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default:
        // Control characters other than tab and newline are not allowed in XML 1.0.
        if ch.value < 0x20 && ch != "\t" && ch != "\n" { continue }
        out.unicodeScalars.append(ch)
      }
    }
    return out
  }
}

/// A colour for a series or a region: a CSS custom property of the page with a fixed fallback.
public struct FigureColor: Sendable, Equatable {
  /// The CSS value, e.g. `var(--fig-1,#0072b2)` or `currentColor`.
  public var css: String

  public init(css: String) { self.css = css }

  /// The page's text colour.
  public static let text = FigureColor(css: "currentColor")
  /// A muted colour for grid lines and secondary marks.
  public static let grid = FigureColor(css: "var(--fig-grid,#8c959f)")
  /// The n-th series colour (0-based, cycles after 7): blue, orange, bluish green, vermillion,
  /// reddish purple, sky blue, yellow (Okabe–Ito).
  public static func series(_ index: Int) -> FigureColor {
    let fallbacks = ["#0072b2", "#c77c00", "#009e73", "#d55e00", "#b8589a", "#3d9bd1", "#b8a300"]
    let i = ((index % fallbacks.count) + fallbacks.count) % fallbacks.count
    return FigureColor(css: "var(--fig-\(i + 1),\(fallbacks[i]))")
  }
  /// Semantic colours used by several figures: correct / good (bluish green), wrong / bad
  /// (vermillion), missed (blue, far from both for colour-blind readers).
  public static let good = series(2)
  public static let bad = series(3)
  public static let missed = series(0)
}

/// A stroke dash pattern; series differ by dash as well as by colour.
public enum DashPattern: Sendable, Equatable {
  case solid, dashed, dotted, dashDot, longDash

  /// The n-th pattern, cycling: solid, dashed, dotted, dash-dot, long dash.
  public static func series(_ index: Int) -> DashPattern {
    let all: [DashPattern] = [.solid, .dashed, .dotted, .dashDot, .longDash]
    return all[((index % all.count) + all.count) % all.count]
  }

  /// The `stroke-dasharray` value, or nil for a solid line.
  public var dashArray: String? {
    switch self {
    case .solid: nil
    case .dashed: "6 4"
    case .dotted: "1.5 3"
    case .dashDot: "8 3 2 3"
    case .longDash: "12 4"
    }
  }
}

/// A marker shape for points; series differ by marker as well as by colour.
public enum MarkerShape: Sendable, Equatable {
  case none, circle, square, triangle, diamond, cross

  /// The n-th shape, cycling: circle, square, triangle, diamond, cross.
  public static func series(_ index: Int) -> MarkerShape {
    let all: [MarkerShape] = [.circle, .square, .triangle, .diamond, .cross]
    return all[((index % all.count) + all.count) % all.count]
  }
}

/// How a series or shape is drawn.
public struct FigureStyle: Sendable, Equatable {
  public var color: FigureColor
  public var dash: DashPattern
  public var marker: MarkerShape
  public var lineWidth: Double
  /// Opacity of the fill for areas, bars, regions (0 = outline only).
  public var fillOpacity: Double

  public init(
    color: FigureColor, dash: DashPattern = .solid, marker: MarkerShape = .none, lineWidth: Double = 2,
    fillOpacity: Double = 0
  ) {
    self.color = color
    self.dash = dash
    self.marker = marker
    self.lineWidth = lineWidth
    self.fillOpacity = fillOpacity
  }

  /// The n-th series style: colour, dash and marker all change together.
  public static func series(_ index: Int, marker: Bool = false) -> FigureStyle {
    FigureStyle(
      color: .series(index), dash: .series(index), marker: marker ? .series(index) : .none)
  }

  /// The `style` attribute for a stroked shape (with its fill, if any).
  public var strokeCSS: String {
    var css = "fill:\(fillOpacity > 0 ? color.css : "none");stroke:\(color.css);stroke-width:\(SVGText.number(lineWidth))"
    if fillOpacity > 0 { css += ";fill-opacity:\(SVGText.number(fillOpacity))" }
    if let dashes = dash.dashArray { css += ";stroke-dasharray:\(dashes)" }
    return css
  }
}

/// An SVG document under construction: elements are appended as text, in order.
public struct SVGDocument: Sendable {
  public let width: Double
  public let height: Double
  /// The figure's name (`[a-z0-9-]+`), used as the prefix of every id in the document.
  public let name: String
  /// Short title (`<title>`), read by screen readers and shown as a tooltip.
  public var title: String
  /// What the figure shows, in words (`<desc>`).
  public var desc: String
  private var body: [String] = []
  private var defs: [String] = []

  public init(width: Double, height: Double, name: String, title: String, desc: String) {
    self.width = width
    self.height = height
    self.name = name
    self.title = title
    self.desc = desc
  }

  /// Appends raw SVG markup (the caller escapes text in it).
  public mutating func raw(_ markup: String) { body.append(markup) }

  /// Appends a definition (pattern, clip path, marker) to `<defs>`.
  public mutating func define(_ markup: String) { defs.append(markup) }

  /// A document-unique id: the figure name, a dash, `local`.
  public func id(_ local: String) -> String { "\(name)-\(local)" }

  private static func n(_ v: Double) -> String { SVGText.number(v) }

  public mutating func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, style: FigureStyle, cssClass: String? = nil
  ) {
    let cls = cssClass.map { " class=\"\($0)\"" } ?? ""
    body.append(
      "<line\(cls) x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" style=\"\(style.strokeCSS)\"/>"
    )
  }

  /// A rectangle; `fill` nil means outline only (or fill only when `stroke` is false).
  public mutating func rect(
    x: Double, y: Double, width: Double, height: Double, style: FigureStyle, stroke: Bool = true
  ) {
    var css = style.strokeCSS
    if !stroke {
      css = "fill:\(style.color.css);stroke:none"
      if style.fillOpacity < 1 { css += ";fill-opacity:\(Self.n(style.fillOpacity))" }
    }
    body.append(
      "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(0, width)))\" height=\"\(Self.n(max(0, height)))\" style=\"\(css)\"/>"
    )
  }

  /// A filled rectangle with a literal fill colour (heat maps), no stroke.
  public mutating func cell(x: Double, y: Double, width: Double, height: Double, fill: String) {
    body.append(
      "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" fill=\"\(fill)\"/>"
    )
  }

  /// A polyline through `points` (in SVG coordinates).
  public mutating func polyline(_ points: [(Double, Double)], style: FigureStyle) {
    guard !points.isEmpty else { return }
    let coords = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
    body.append("<polyline points=\"\(coords)\" style=\"\(style.strokeCSS)\"/>")
  }

  /// A closed polygon.
  public mutating func polygon(_ points: [(Double, Double)], style: FigureStyle, stroke: Bool = true) {
    guard !points.isEmpty else { return }
    let coords = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
    var css = style.strokeCSS
    if !stroke { css = "fill:\(style.color.css);fill-opacity:\(Self.n(style.fillOpacity));stroke:none" }
    body.append("<polygon points=\"\(coords)\" style=\"\(css)\"/>")
  }

  /// Text anchored at (x, y): `anchor` is start, middle or end.
  public mutating func text(
    _ string: String, x: Double, y: Double, anchor: String = "start", size: Double = 13,
    weight: String? = nil, color: FigureColor = .text, rotate: Double? = nil, halo: Bool = false
  ) {
    var attrs = "x=\"\(Self.n(x))\" y=\"\(Self.n(y))\""
    if anchor != "start" { attrs += " text-anchor=\"\(anchor)\"" }
    if size != 13 { attrs += " font-size=\"\(Self.n(size))\"" }
    if let weight { attrs += " font-weight=\"\(weight)\"" }
    if let rotate { attrs += " transform=\"rotate(\(Self.n(rotate)) \(Self.n(x)) \(Self.n(y)))\"" }
    var css = "fill:\(color.css)"
    if halo {
      // A halo in the page background keeps a label legible over a picture or a busy plot.
      css += ";stroke:var(--fig-halo,#fff);stroke-width:3;stroke-linejoin:round;paint-order:stroke"
    }
    body.append("<text \(attrs) style=\"\(css)\">\(SVGText.escape(string))</text>")
  }

  /// A marker of `shape` centred at (x, y).
  public mutating func marker(_ shape: MarkerShape, x: Double, y: Double, size: Double = 4, color: FigureColor) {
    let s = size
    let fill = "style=\"fill:\(color.css);stroke:\(color.css);stroke-width:1.5\""
    switch shape {
    case .none: return
    case .circle:
      body.append("<circle cx=\"\(Self.n(x))\" cy=\"\(Self.n(y))\" r=\"\(Self.n(s))\" \(fill)/>")
    case .square:
      body.append(
        "<rect x=\"\(Self.n(x - s))\" y=\"\(Self.n(y - s))\" width=\"\(Self.n(2 * s))\" height=\"\(Self.n(2 * s))\" \(fill)/>")
    case .triangle:
      let pts = [(x, y - s * 1.2), (x + s * 1.1, y + s * 0.9), (x - s * 1.1, y + s * 0.9)]
      body.append("<polygon points=\"\(pts.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " "))\" \(fill)/>")
    case .diamond:
      let pts = [(x, y - s * 1.3), (x + s * 1.3, y), (x, y + s * 1.3), (x - s * 1.3, y)]
      body.append("<polygon points=\"\(pts.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " "))\" \(fill)/>")
    case .cross:
      let d =
        "M\(Self.n(x - s)) \(Self.n(y - s))L\(Self.n(x + s)) \(Self.n(y + s))M\(Self.n(x - s)) \(Self.n(y + s))L\(Self.n(x + s)) \(Self.n(y - s))"
      body.append("<path d=\"\(d)\" style=\"fill:none;stroke:\(color.css);stroke-width:2\"/>")
    }
  }

  /// Starts a group (`<g>`); close it with `endGroup()`.
  public mutating func beginGroup(cssClass: String? = nil, clipID: String? = nil) {
    var attrs = ""
    if let cssClass { attrs += " class=\"\(cssClass)\"" }
    if let clipID { attrs += " clip-path=\"url(#\(clipID))\"" }
    body.append("<g\(attrs)>")
  }

  public mutating func endGroup() { body.append("</g>") }

  /// The finished document. The root scales to its container (`width:100%;height:auto`) up to
  /// its natural width, so it fits a 390 px phone and does not blow up on a wide screen.
  public func render() -> String {
    var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""
    out += " viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" class=\"fig\""
    out += " style=\"width:100%;height:auto;max-width:\(Self.n(width))px\""
    out += " font-family=\"system-ui,-apple-system,'Segoe UI',Roboto,sans-serif\" font-size=\"13\">\n"
    out += "<title>\(SVGText.escape(title))</title>\n"
    out += "<desc>\(SVGText.escape(desc))</desc>\n"
    if !defs.isEmpty { out += "<defs>" + defs.joined() + "</defs>\n" }
    for element in body { out += element + "\n" }
    out += "</svg>\n"
    return out
  }
}
