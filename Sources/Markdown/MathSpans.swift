/// Finds `$…$` and `$$…$$` in a parsed document and protects them from cmark's inline parsing.
///
/// cmark knows no math: it would read `a_i + b_j` as emphasis and `\{` as an escaped brace. So a
/// first parse tells where text is (a `$` in a code span, a code block, raw HTML or a link
/// destination is never a delimiter); the spans found there are wrapped in code spans marked with
/// a private-use character, the source is parsed again, and each marked code span becomes a
/// ``MarkdownNode/Kind/math(tex:display:lines:)`` node carrying the TeX taken from the source.
///
/// Rules (those of Pandoc): an inline opening `$` is not followed by a blank, a closing `$` is not
/// preceded by a blank nor followed by a digit (so `$5 and $10` stays text); `\$` is a dollar;
/// display math is `$$…$$`; a span stays inside its paragraph or heading and contains no backtick.
enum MathSpans {
  /// Starts the content of a code span that stands for a math span.
  static let marker: Character = "\u{E000}"
  static let markerBytes = Array("\u{E000}".utf8)

  struct Span: Hashable {
    /// The first `$`.
    var start: SourceLocation
    /// The last `$`.
    var end: SourceLocation
    var display: Bool
    var tex: String
    var lines: [SourceLocation]
    /// Backticks around the code span that protects it.
    var fence: Int
  }

  // MARK: - Finding

  static func find(in document: MarkdownNode, source: SourceLines) -> [Span] {
    var spans: [Span] = []
    walk(document, quoteDepth: 0, source: source, into: &spans)
    return spans
  }

  private static func walk(_ node: MarkdownNode, quoteDepth: Int, source: SourceLines, into spans: inout [Span]) {
    switch node.kind {
    case .paragraph, .heading:
      spans += spansInBlock(node, quoteDepth: quoteDepth, source: source)
    case .blockQuote:
      for child in node.children { walk(child, quoteDepth: quoteDepth + 1, source: source, into: &spans) }
    default:
      for child in node.children where child.isBlock {
        walk(child, quoteDepth: quoteDepth, source: source, into: &spans)
      }
    }
  }

  private struct Dollar {
    var line: Int
    var column: Int
    var double: Bool
  }

  private static func textRanges(_ node: MarkdownNode, into out: inout [SourceRange]) {
    for child in node.children {
      switch child.kind {
      case .text: out.append(child.range)
      case .emphasis, .strong, .link, .image: textRanges(child, into: &out)
      default: break
      }
    }
  }

  static func isBlank(_ byte: UInt8?) -> Bool { byte == nil || byte == 32 || byte == 9 }

  private static func spansInBlock(_ block: MarkdownNode, quoteDepth: Int, source: SourceLines) -> [Span] {
    var ranges: [SourceRange] = []
    textRanges(block, into: &ranges)
    // Every unescaped `$` inside text.
    var singles: [(line: Int, column: Int)] = []
    for range in ranges {
      for line in range.start.line...max(range.start.line, range.end.line) {
        let text = source.line(line)
        let first = line == range.start.line ? range.start.column : 1
        let last = line == range.end.line ? min(range.end.column, text.count) : text.count
        guard first <= last else { continue }
        for column in first...last where text[text.startIndex + column - 1] == UInt8(ascii: "$") {
          var backslashes = 0
          var c = column - 1
          while c >= 1, text[text.startIndex + c - 1] == UInt8(ascii: "\\") {
            backslashes += 1
            c -= 1
          }
          if backslashes % 2 == 0 { singles.append((line, column)) }
        }
      }
    }
    guard singles.count >= 2 else { return [] }
    var dollars: [Dollar] = []
    var i = 0
    while i < singles.count {
      if i + 1 < singles.count, singles[i + 1].line == singles[i].line, singles[i + 1].column == singles[i].column + 1 {
        dollars.append(Dollar(line: singles[i].line, column: singles[i].column, double: true))
        i += 2
      } else {
        dollars.append(Dollar(line: singles[i].line, column: singles[i].column, double: false))
        i += 1
      }
    }
    let lines = source.blockLines(block.range, quoteDepth: quoteDepth)
    var longestBackticks = 0
    for line in lines {
      var run = 0
      for byte in line.bytes {
        run = byte == UInt8(ascii: "`") ? run + 1 : 0
        longestBackticks = max(longestBackticks, run)
      }
    }
    let fence = longestBackticks + 1

    // Whether a dollar can close a span depends on it alone, so the next possible closer after
    // each dollar is computed once, backwards (linear even for a paragraph of dollars).
    var nextCloser = [Int?](repeating: nil, count: dollars.count + 1)
    var nextDouble = [Int?](repeating: nil, count: dollars.count + 1)
    for j in stride(from: dollars.count - 1, through: 0, by: -1) {
      let close = dollars[j]
      nextDouble[j] = close.double ? j : nextDouble[j + 1]
      var closes = !close.double
      if closes {
        let before = source.byte(line: close.line, column: close.column - 1)
        let after = source.byte(line: close.line, column: close.column + 1)
        closes = !isBlank(before) && !(after.map { $0 >= 48 && $0 <= 57 } ?? false)
      }
      nextCloser[j] = closes ? j : nextCloser[j + 1]
    }
    var spans: [Span] = []
    i = 0
    while i < dollars.count {
      let open = dollars[i]
      let width = open.double ? 2 : 1
      if !open.double && isBlank(source.byte(line: open.line, column: open.column + 1)) {
        i += 1
        continue
      }
      guard let j = open.double ? nextDouble[i + 1] : nextCloser[i + 1] else {
        i += 1
        continue
      }
      let close = dollars[j]
      if let span = makeSpan(
        open: open, close: close, width: width, quoteDepth: quoteDepth, source: source, fence: fence, lines: lines)
      {
        spans.append(span)
        i = j + 1
      } else {
        i += 1
      }
    }
    return spans
  }

  private static func makeSpan(
    open: Dollar, close: Dollar, width: Int, quoteDepth: Int, source: SourceLines, fence: Int, lines: [BlockLine]
  ) -> Span? {
    // A "formula" of hundreds of lines or tens of kilobytes is not one: leave it as text.
    if close.line - open.line > 200 || (close.line == open.line && close.column - open.column > 20_000) { return nil }
    var parts: [String] = []
    var starts: [SourceLocation] = []
    for line in open.line...close.line {
      let text = source.line(line)
      let from = line == open.line ? open.column + width : source.contentColumn(line: line, quoteDepth: quoteDepth)
      let to = line == close.line ? close.column : text.count + 1  // exclusive
      guard from <= to else { return nil }
      let bytes = text[(text.startIndex + from - 1)..<(text.startIndex + to - 1)]
      if bytes.contains(UInt8(ascii: "`")) { return nil }
      parts.append(String(decoding: bytes, as: UTF8.self))
      starts.append(SourceLocation(line: line, column: from))
    }
    let tex = parts.joined(separator: "\n")
    if tex.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }) { return nil }
    // Three backticks or more at the start of a line would open a fenced code block.
    if fence >= 3 {
      let lineStart = source.contentColumn(line: open.line, quoteDepth: quoteDepth)
      if lineStart >= open.column { return nil }
    }
    return Span(
      start: SourceLocation(line: open.line, column: open.column),
      end: SourceLocation(line: close.line, column: close.column + width - 1), display: width == 2, tex: tex,
      lines: starts, fence: fence)
  }

  // MARK: - Protecting

  /// The source with every span wrapped in a marked code span, and per line the edits made.
  static func protect(_ source: SourceLines, spans: [Span]) -> (String, [Int: ColumnEdits]) {
    struct Insertion {
      var line: Int
      var column: Int
      var bytes: [UInt8]
    }
    var insertions: [Insertion] = []
    for span in spans {
      let ticks = [UInt8](repeating: UInt8(ascii: "`"), count: span.fence)
      insertions.append(Insertion(line: span.start.line, column: span.start.column, bytes: ticks + markerBytes))
      insertions.append(Insertion(line: span.end.line, column: span.end.column + 1, bytes: ticks))
    }
    insertions.sort { ($0.line, $0.column) < ($1.line, $1.column) }
    var out: [UInt8] = []
    out.reserveCapacity(source.bytes.count + insertions.count * 6)
    var edits: [Int: ColumnEdits] = [:]
    var copied = 0
    var shiftOnLine = (line: 0, shift: 0)
    for insertion in insertions {
      guard let lineRange = source.range(ofLine: insertion.line) else { continue }
      let offset = lineRange.lowerBound + insertion.column - 1
      out += source.bytes[copied..<offset]
      copied = offset
      if shiftOnLine.line != insertion.line { shiftOnLine = (insertion.line, 0) }
      edits[insertion.line, default: ColumnEdits()].edits.append(
        (at: insertion.column + shiftOnLine.shift, length: insertion.bytes.count))
      shiftOnLine.shift += insertion.bytes.count
      out += insertion.bytes
    }
    out += source.bytes[copied...]
    return (String(decoding: out, as: UTF8.self), edits)
  }

  /// Replaces the marked code spans of a tree (parsed from the protected source, positions
  /// already mapped back) with math nodes.
  static func substitute(_ node: MarkdownNode, spans: [SourceLocation: Span]) -> MarkdownNode {
    if case .code(let literal) = node.kind, literal.first == marker, let span = spans[node.range.start] {
      return MarkdownNode(
        kind: .math(tex: span.tex, display: span.display, lines: span.lines),
        range: SourceRange(start: span.start, end: span.end))
    }
    guard !node.children.isEmpty else { return node }
    return MarkdownNode(kind: node.kind, range: node.range, children: node.children.map { substitute($0, spans: spans) })
  }
}
