/// Recognises a GitHub pipe table in the source lines of a paragraph (cmark has no table
/// extension, so a table reaches us as a paragraph of lines with pipes).
///
///     | Metric | Value |      ← header row
///     | :----- | ----: |      ← delimiter row: one cell per column, `:` for alignment
///     | IoU    | 0.72  |      ← body rows, as many cells as the header
///
/// Lines of the paragraph before the header row stay a paragraph. A `|` inside a cell is written
/// `\|` (also inside code spans and math), as on GitHub.
public enum TableRecognizer {
  /// One cell's text (trimmed, `\|` already turned into `|`) and where it is.
  public struct Cell: Sendable, Hashable {
    public var text: String
    public var line: Int
    /// The source column of the cell text's first byte.
    public var column: Int
    /// Columns of the cell text (1-based) after which a `\` was removed.
    var removedBackslashes: [Int] = []
  }

  public struct Table: Sendable, Hashable {
    /// Index (in the paragraph's lines) of the header row.
    public var headerLine: Int
    public var alignments: [TableAlignment]
    /// The header row first, then the body rows.
    public var rows: [[Cell]]
  }

  public enum Shape: Sendable, Hashable {
    /// Not a table: an ordinary paragraph.
    case paragraph
    case table(Table)
    /// A table with a mistake, and what to say about it.
    case malformed(MarkdownProblem)
  }

  /// Reads the lines of one paragraph.
  static func recognize(_ lines: [BlockLine]) -> Shape {
    guard lines.count >= 2, lines.contains(where: { hasPipe($0.bytes) }) else { return .paragraph }
    for k in 1..<lines.count {
      guard hasPipe(lines[k - 1].bytes), let alignments = delimiterRow(lines[k].bytes) else { continue }
      let header = split(lines[k - 1])
      if header.count != alignments.count {
        return .malformed(
          .error(
            SourceLocation(line: lines[k].line, column: lines[k].column),
            "table delimiter row has \(alignments.count) cell\(alignments.count == 1 ? "" : "s"), the header row has \(header.count)",
            hint: "write one '---' per header cell, e.g. \(Array(repeating: "| --- ", count: header.count).joined())|"))
      }
      var rows = [header]
      for line in lines[(k + 1)...] {
        let cells = split(line)
        if cells.count != header.count {
          return .malformed(
            .error(
              SourceLocation(line: line.line, column: line.column),
              "table row has \(cells.count) cell\(cells.count == 1 ? "" : "s"), the header row has \(header.count)",
              hint: "give every row \(header.count) cells; write \\| for a '|' inside a cell"))
        }
        rows.append(cells)
      }
      return .table(Table(headerLine: k - 1, alignments: alignments, rows: rows))
    }
    // No valid delimiter row: is it a table with a mistake?
    let second = lines[1]
    if hasPipe(lines[0].bytes), looksLikeDelimiterRow(second.bytes) {
      let (bad, column) = firstBadDelimiterCell(second)
      return .malformed(
        .error(
          SourceLocation(line: second.line, column: column),
          "malformed table delimiter row: '\(bad)' is not '---', ':---', ':---:' or '---:'",
          hint: "under the header row write one cell of dashes per column, e.g. | --- | :---: | ---: |"))
    }
    if lines.allSatisfy({ $0.bytes.first == UInt8(ascii: "|") }) {
      return .malformed(
        .error(
          SourceLocation(line: second.line, column: second.column), "table has no delimiter row under its header row",
          hint: "add a line like \(Array(repeating: "| --- ", count: max(1, split(lines[0]).count)).joined())| after the first row"))
    }
    return .paragraph
  }

  /// Whether a line has an unescaped `|`.
  static func hasPipe(_ bytes: ArraySlice<UInt8>) -> Bool {
    var escaped = false
    for byte in bytes {
      if byte == UInt8(ascii: "|") && !escaped { return true }
      escaped = byte == UInt8(ascii: "\\") && !escaped
    }
    return false
  }

  /// The alignments of a delimiter row (`| --- | :-: |`), or nil when the line is not one.
  static func delimiterRow(_ bytes: ArraySlice<UInt8>) -> [TableAlignment]? {
    guard hasPipe(bytes) || bytes.contains(UInt8(ascii: ":")) else { return nil }
    let cells = rawCells(bytes)
    guard !cells.isEmpty else { return nil }
    var alignments: [TableAlignment] = []
    for (cell, _) in cells {
      guard let alignment = alignment(of: cell) else { return nil }
      alignments.append(alignment)
    }
    return alignments
  }

  static func alignment(of cell: ArraySlice<UInt8>) -> TableAlignment? {
    var body = cell
    let left = body.first == UInt8(ascii: ":")
    if left { body = body.dropFirst() }
    let right = body.last == UInt8(ascii: ":")
    if right { body = body.dropLast() }
    guard !body.isEmpty, body.allSatisfy({ $0 == UInt8(ascii: "-") }) else { return nil }
    switch (left, right) {
    case (true, true): return .center
    case (true, false): return .left
    case (false, true): return .right
    case (false, false): return TableAlignment.none
    }
  }

  /// A line of `|`, `-`, `:`, `=`, `+` and blanks with at least one pipe and one dash or `=`.
  static func looksLikeDelimiterRow(_ bytes: ArraySlice<UInt8>) -> Bool {
    let allowed: Set<UInt8> = [124, 45, 58, 61, 43, 32, 9]
    return bytes.allSatisfy { allowed.contains($0) } && bytes.contains(124)
      && (bytes.contains(45) || bytes.contains(61))
  }

  static func firstBadDelimiterCell(_ line: BlockLine) -> (String, Int) {
    for (cell, column) in rawCells(line.bytes) where alignment(of: cell) == nil {
      return (String(decoding: cell, as: UTF8.self), line.column + column - 1)
    }
    return (line.text, line.column)
  }

  /// The cells of a row: outer pipes dropped, split at unescaped pipes, each trimmed, with the
  /// (1-based, within `bytes`) column of its first byte.
  static func rawCells(_ bytes: ArraySlice<UInt8>) -> [(ArraySlice<UInt8>, Int)] {
    var start = bytes.startIndex
    var end = bytes.endIndex
    while start < end, bytes[start] == 32 || bytes[start] == 9 { start += 1 }
    while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 9 { end -= 1 }
    if start < end, bytes[start] == UInt8(ascii: "|") { start += 1 }
    if end > start, bytes[end - 1] == UInt8(ascii: "|") {
      var backslashes = 0
      var i = end - 2
      while i >= start, bytes[i] == UInt8(ascii: "\\") {
        backslashes += 1
        i -= 1
      }
      if backslashes % 2 == 0 { end -= 1 }
    }
    var cells: [(ArraySlice<UInt8>, Int)] = []
    var cellStart = start
    var escaped = false
    var i = start
    func finish(_ to: Int) {
      var a = cellStart
      var b = to
      while a < b, bytes[a] == 32 || bytes[a] == 9 { a += 1 }
      while b > a, bytes[b - 1] == 32 || bytes[b - 1] == 9 { b -= 1 }
      cells.append((bytes[a..<b], a - bytes.startIndex + 1))
    }
    while i < end {
      if bytes[i] == UInt8(ascii: "|") && !escaped {
        finish(i)
        cellStart = i + 1
      }
      escaped = bytes[i] == UInt8(ascii: "\\") && !escaped
      i += 1
    }
    finish(end)
    return cells
  }

  /// The cells of a row line, `\|` turned into `|`.
  static func split(_ line: BlockLine) -> [Cell] {
    rawCells(line.bytes).map { bytes, column in
      var text: [UInt8] = []
      var removed: [Int] = []
      var i = bytes.startIndex
      while i < bytes.endIndex {
        if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.endIndex, bytes[i + 1] == UInt8(ascii: "|") {
          removed.append(text.count + 1)
          i += 1
          continue
        }
        text.append(bytes[i])
        i += 1
      }
      return Cell(
        text: String(decoding: text, as: UTF8.self), line: line.line, column: line.column + column - 1, removedBackslashes: removed)
    }
  }
}
