/// The constructs that GitHub adds to CommonMark and cmark lacks, recognised on cmark's tree:
/// pipe tables (from a paragraph's source lines, each cell's inlines parsed by cmark) and
/// callouts (`> [!NOTE]`). Math is handled before, by ``MathSpans``.
enum MarkdownExtensions {
  struct Context {
    /// The source lines, when the text has a `|` (nil: no table can be there).
    var source: SourceLines?
    var depthLimit: Int
  }

  /// The nodes that replace `node`, or nil when it stays as it is (most of a page: nothing is
  /// copied then).
  static func apply(_ node: MarkdownNode, quoteDepth: Int, context: Context) -> [MarkdownNode]? {
    switch node.kind {
    case .paragraph:
      guard let source = context.source, hasPipeInText(node) else { return nil }
      let lines = source.blockLines(node.range, quoteDepth: quoteDepth)
      guard case .table(let table) = TableRecognizer.recognize(lines) else { return nil }
      return tableNodes(table, paragraph: node, lines: lines, context: context)
    case .blockQuote:
      let children = applyChildren(node.children, quoteDepth: quoteDepth + 1, context: context)
      let quote = children.map { MarkdownNode(kind: .blockQuote, range: node.range, children: $0) } ?? node
      if let callout = Callouts.recognize(quote) { return [callout] }
      return children == nil ? nil : [quote]
    case .document, .list, .item:
      guard let children = applyChildren(node.children, quoteDepth: quoteDepth, context: context) else { return nil }
      return [MarkdownNode(kind: node.kind, range: node.range, children: children)]
    default:
      return nil
    }
  }

  static func applyChildren(_ children: [MarkdownNode], quoteDepth: Int, context: Context) -> [MarkdownNode]? {
    var out: [MarkdownNode]?
    for (index, child) in children.enumerated() {
      if let replaced = apply(child, quoteDepth: quoteDepth, context: context) {
        if out == nil { out = Array(children[..<index]) }
        out! += replaced
      } else if out != nil {
        out!.append(child)
      }
    }
    return out
  }

  /// Whether a paragraph's own text has a `|` (a table's first line always has one).
  static func hasPipeInText(_ paragraph: MarkdownNode) -> Bool {
    paragraph.children.contains {
      if case .text(let text) = $0.kind { return text.utf8.contains(UInt8(ascii: "|")) }
      return false
    }
  }

  // MARK: - Tables

  static func tableNodes(_ table: TableRecognizer.Table, paragraph: MarkdownNode, lines: [BlockLine], context: Context)
    -> [MarkdownNode]
  {
    var out: [MarkdownNode] = []
    let headerLine = lines[table.headerLine].line
    if table.headerLine > 0 {
      // The lines before the header stay a paragraph.
      var leading = paragraph.children.prefix { child in
        switch child.kind {
        case .softBreak, .lineBreak: return true
        default: return child.range.start.line < headerLine
        }
      }
      while let last = leading.last, last.kind == .softBreak || last.kind == .lineBreak { leading.removeLast() }
      let end = lines[table.headerLine - 1]
      out.append(
        MarkdownNode(
          kind: .paragraph,
          range: SourceRange(start: paragraph.range.start, end: SourceLocation(line: end.line, column: end.column + end.bytes.count - 1)),
          children: Array(leading)))
    }
    var rows: [MarkdownNode] = []
    for (index, cells) in table.rows.enumerated() {
      let cellNodes = cells.enumerated().map { column, cell in
        let alignment = table.alignments[column]
        return MarkdownNode(
          kind: .tableCell(alignment: alignment),
          range: SourceRange(
            start: SourceLocation(line: cell.line, column: cell.column),
            end: SourceLocation(line: cell.line, column: cell.column + max(cell.text.utf8.count, 1) - 1)),
          children: inlines(of: cell, context: context))
      }
      let line = index == 0 ? lines[table.headerLine] : lines[table.headerLine + 1 + index]
      rows.append(
        MarkdownNode(
          kind: .tableRow(header: index == 0),
          range: SourceRange(
            start: SourceLocation(line: line.line, column: line.column),
            end: SourceLocation(line: line.line, column: line.column + max(line.bytes.count, 1) - 1)),
          children: cellNodes))
    }
    let first = lines[table.headerLine]
    out.append(
      MarkdownNode(
        kind: .table(alignments: table.alignments),
        range: SourceRange(start: SourceLocation(line: first.line, column: first.column), end: paragraph.range.end),
        children: rows))
    return out
  }

  /// A cell's inline content, parsed by cmark as a paragraph of its own. A cell that would start
  /// a block (`# x`, `- x`, `1. x`, `> x`, `***`, a fence) gets its first character escaped, so it
  /// stays text (anything else that is not one paragraph, such as an HTML block, is shown as
  /// text); positions are mapped back to the cell in the source.
  static func inlines(of cell: TableRecognizer.Cell, context: Context) -> [MarkdownNode] {
    guard !cell.text.isEmpty else { return [] }
    var text = cell.text
    var edits = ColumnEdits(edits: cell.removedBackslashes.map { (at: $0, length: -1) })
    if startsBlock(text) {
      text = "\\" + text
      edits.edits = [(at: 1, length: 1)] + edits.edits.map { (at: $0.at + 1, length: $0.length) }
    }
    let parsed = MarkdownParser.parse(text, lineOffset: 0, depthLimit: context.depthLimit)
    let children: [MarkdownNode]
    if parsed.document.children.count == 1, case .paragraph = parsed.document.children[0].kind {
      children = parsed.document.children[0].children
    } else {
      let range = SourceRange(start: SourceLocation(line: 1, column: 1), end: SourceLocation(line: 1, column: text.utf8.count))
      children = [MarkdownNode(kind: .text(cell.text), range: range)]
    }
    return children.map { node in
      node.mappingLocations { location in
        SourceLocation(line: cell.line, column: cell.column + edits.source(location.column) - 1)
      }
    }
  }

  static func startsBlock(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard let first = bytes.first else { return false }
    let second = bytes.count > 1 ? bytes[1] : nil
    switch first {
    case UInt8(ascii: "#"), UInt8(ascii: ">"): return true
    case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "*"), UInt8(ascii: "_"):
      let thematicBreak = bytes.filter { $0 == first }.count >= 3 && bytes.allSatisfy { $0 == first || $0 == 32 || $0 == 9 }
      return thematicBreak || (first != UInt8(ascii: "_") && (second == nil || second == 32 || second == 9))
    case UInt8(ascii: "`"), UInt8(ascii: "~"):
      return bytes.count >= 3 && bytes[1] == first && bytes[2] == first
    case UInt8(ascii: "0")...UInt8(ascii: "9"):
      var i = 0
      while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
      return i < bytes.count && (bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ")"))
    default: return false
    }
  }
}

/// GitHub callouts: `> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]`, `[!CAUTION]` on the first
/// line of a block quote (case does not matter; text after the marker on that line is kept).
enum Callouts {
  /// The marker a block quote starts with (`NOTE` for `> [!NOTE]`), and the inline nodes after it.
  static func marker(of quote: MarkdownNode) -> (name: String, location: SourceLocation, rest: [MarkdownNode])? {
    guard let first = quote.children.first, case .paragraph = first.kind, let head = first.children.first,
      case .text(let text) = head.kind, text.hasPrefix("[!"), let close = text.firstIndex(of: "]")
    else { return nil }
    let name = String(text[text.index(text.startIndex, offsetBy: 2)..<close])
    guard !name.isEmpty, name.allSatisfy({ $0.isLetter }) else { return nil }
    var rest = Array(first.children.dropFirst())
    let after = text[text.index(after: close)...]
    let trimmed = after.drop { $0 == " " || $0 == "\t" }
    if trimmed.isEmpty {
      if let next = rest.first, next.kind == .softBreak || next.kind == .lineBreak { rest.removeFirst() }
    } else {
      let dropped = text.utf8.count - trimmed.utf8.count
      var range = head.range
      range.start.column += dropped
      rest.insert(MarkdownNode(kind: .text(String(trimmed)), range: range), at: 0)
    }
    return (name, head.range.start, rest)
  }

  static func recognize(_ quote: MarkdownNode) -> MarkdownNode? {
    guard let (name, _, rest) = marker(of: quote), let kind = CalloutKind(rawValue: name.lowercased()) else { return nil }
    var children = Array(quote.children.dropFirst())
    if !rest.isEmpty {
      let first = quote.children[0]
      children.insert(MarkdownNode(kind: .paragraph, range: first.range, children: rest), at: 0)
    }
    return MarkdownNode(kind: .callout(kind), range: quote.range, children: children)
  }
}
