import Foundation

/// Figures drawn by snippets, embedded with image syntax:
///
///     ![PR curve with the three interpolations](../../snippets/average-precision.swift "figure pr-curve")
///
/// The SVG is inlined (so the stylesheet can theme it and it needs no request), with `role="img"`
/// and the alt text as its accessible name, and every id prefixed so that two figures on a page
/// cannot collide.
enum FigureEmbed {
  /// The figure name in an image title `figure NAME` (nil for any other title).
  static func figureName(inTitle title: String) -> String? {
    let words = title.split(whereSeparator: { $0 == " " || $0 == "\t" })
    guard words.count == 2, words[0].lowercased() == "figure" else {
      return words.count == 1 && words[0].lowercased() == "figure" ? "" : nil
    }
    return String(words[1])
  }

  /// The `<figure>` element for a figure's SVG.
  static func html(svg: String, label: String, idPrefix: String, captionHTML: String, id: String? = nil) -> String {
    // A figure drawn from measurements (`Figure.save(…, measured: true)` marks its root with
    // `data-measured`) differs from machine to machine: its wrapper carries the attribute, so the
    // site's "same sources, same bytes" check masks it like every other measured value.
    let measured = isMeasured(svg)
    var out = "<figure class=\"figure\"\(id.map { " id=\"\(HTML.escape($0))\"" } ?? "")>\n<div class=\"figure-body\""
    out += measured ? " data-measured=\"\">" : ">"
    out += inline(svg, label: label, idPrefix: idPrefix)
    out += "</div>\n<figcaption>\(captionHTML)</figcaption>\n</figure>\n"
    return out
  }

  /// Whether the root `<svg>` start tag carries `data-measured`.
  static func isMeasured(_ svg: String) -> Bool {
    guard let start = svg.range(of: "<svg"), let end = svg[start.upperBound...].firstIndex(of: ">") else { return false }
    return svg[start.upperBound..<end].contains("data-measured")
  }

  /// The SVG ready to sit in a page: prolog dropped, `role="img"` and `aria-label` on the root
  /// (replacing any the file had), ids and references to them prefixed with `idPrefix`.
  static func inline(_ svg: String, label: String, idPrefix: String) -> String {
    guard let start = svg.range(of: "<svg") else { return "" }
    var body = String(svg[start.lowerBound...])
    while body.last == "\n" || body.last == " " { body.removeLast() }
    // The root start tag: up to the first '>' outside quotes.
    var quote: Character?
    var tagEnd = body.endIndex
    for index in body.indices {
      let c = body[index]
      if let q = quote {
        if c == q { quote = nil }
      } else if c == "\"" || c == "'" {
        quote = c
      } else if c == ">" {
        tagEnd = index
        break
      }
    }
    guard tagEnd < body.endIndex else { return "" }
    var root = String(body[body.index(body.startIndex, offsetBy: 4)..<tagEnd])
    var rest = String(body[tagEnd...])
    for name in ["role", "aria-label", "aria-labelledby", "aria-hidden", "data-measured"] {
      root = removingAttribute(name, from: root)
    }
    if root.hasSuffix("/") {  // <svg/>: nothing to show, but keep it well-formed
      root.removeLast()
      rest = "></svg>"
    }
    if !idPrefix.isEmpty {
      root = prefixingIDs(root, with: idPrefix)
      rest = prefixingIDs(rest, with: idPrefix)
    }
    return "<svg role=\"img\" aria-label=\"\(HTML.escape(label))\"" + root + rest
  }

  static func prefixingIDs(_ text: String, with prefix: String) -> String {
    var out = text
    for (from, to) in [
      (" id=\"", " id=\"\(prefix)"), (" id='", " id='\(prefix)"), ("url(#", "url(#\(prefix)"),
      ("href=\"#", "href=\"#\(prefix)"), ("href='#", "href='#\(prefix)"),
    ] {
      out = out.replacingAll(from, with: to)
    }
    return out
  }

  /// `text` (the attributes of a start tag) without the attribute `name`.
  static func removingAttribute(_ name: String, from text: String) -> String {
    var out = text
    for quote in ["\"", "'"] {
      while let range = out.range(of: " \(name)=\(quote)") {
        guard let close = out[range.upperBound...].firstIndex(of: Character(quote)) else { break }
        out.removeSubrange(range.lowerBound...close)
      }
    }
    return out
  }

  /// The SVG's own `<title>`, if it has one (used as the label where no alt text exists).
  static func title(of svg: String) -> String? {
    guard let open = svg.range(of: "<title"), let gt = svg[open.upperBound...].firstIndex(of: ">"),
      let close = svg[gt...].range(of: "</title>")
    else { return nil }
    let text = svg[svg.index(after: gt)..<close.lowerBound]
    return text.isEmpty ? nil : HTML.unescapeBasic(String(text))
  }

  /// Why an SVG may not be inlined (script, event handlers, foreign content), or nil.
  static func unsafeContent(in svg: String) -> String? {
    let lower = svg.lowercased()
    if lower.contains("<script") { return "a <script> element" }
    if lower.contains("<foreignobject") { return "a <foreignObject> element" }
    if lower.contains("javascript:") { return "a javascript: URL" }
    var search = lower[...]
    while let range = search.range(of: " on") {
      let name = search[range.upperBound...].prefix { $0.isLetter }
      let after = search[range.upperBound...].dropFirst(name.count)
      if !name.isEmpty, after.first == "=" { return "an event-handler attribute 'on\(name)'" }
      search = search[range.upperBound...]
    }
    return nil
  }
}

extension HTML {
  /// Undoes the escaping of `&amp; &lt; &gt; &quot; &#39;` (the SVG writer's), for a plain label.
  static func unescapeBasic(_ text: String) -> String {
    text.replacingAll("&lt;", with: "<").replacingAll("&gt;", with: ">").replacingAll("&quot;", with: "\"")
      .replacingAll("&#39;", with: "'").replacingAll("&apos;", with: "'").replacingAll("&amp;", with: "&")
  }
}

extension String {
  /// Every occurrence of `target` replaced (no Foundation needed).
  func replacingAll(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty, contains(target) else { return self }
    var out = ""
    var rest = self[...]
    while let range = rest.range(of: target) {
      out += rest[..<range.lowerBound]
      out += replacement
      rest = rest[range.upperBound...]
    }
    out += rest
    return out
  }
}
