/// The raw bytes of a Markdown source, addressed by cmark's 1-based line and byte column, for the
/// constructs recognised from source lines (tables, math) that cmark itself does not know.
struct SourceLines {
  let bytes: [UInt8]
  /// Byte offset of the start of each line.
  let starts: [Int]
  /// Added to line numbers, as in ``MarkdownParser/parse(_:lineOffset:depthLimit:)``.
  let lineOffset: Int

  init(_ text: String, lineOffset: Int = 0) {
    bytes = Array(text.utf8)
    var starts = [0]
    for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(i + 1) }
    self.starts = starts
    self.lineOffset = lineOffset
  }

  /// The byte range of `line` (absolute, 1-based), without its line ending; nil outside the text.
  func range(ofLine line: Int) -> Range<Int>? {
    let index = line - lineOffset - 1
    guard index >= 0, index < starts.count else { return nil }
    var end = index + 1 < starts.count ? starts[index + 1] - 1 : bytes.count
    if end > starts[index], end <= bytes.count, end - 1 >= starts[index], bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return starts[index]..<max(end, starts[index])
  }

  /// The bytes of `line`, without its line ending (empty outside the text).
  func line(_ line: Int) -> ArraySlice<UInt8> {
    guard let range = range(ofLine: line) else { return [] }
    return bytes[range]
  }

  /// The byte at `column` (1-based) of `line`, if any.
  func byte(line: Int, column: Int) -> UInt8? {
    let text = self.line(line)
    let index = text.startIndex + column - 1
    return column >= 1 && index < text.endIndex ? text[index] : nil
  }

  /// The column where a continuation line's content starts inside `quoteDepth` block quotes:
  /// up to `quoteDepth` `>` markers (each with one optional space) and any indentation are skipped,
  /// as cmark strips them from a paragraph's lines. Lazy lines (no `>`) work too.
  func contentColumn(line: Int, quoteDepth: Int) -> Int {
    let text = self.line(line)
    var i = text.startIndex
    func skipSpaces() { while i < text.endIndex, text[i] == 32 || text[i] == 9 { i += 1 } }
    for _ in 0..<quoteDepth {
      skipSpaces()
      guard i < text.endIndex, text[i] == UInt8(ascii: ">") else { break }
      i += 1
      if i < text.endIndex, text[i] == 32 { i += 1 }
    }
    skipSpaces()
    return i - text.startIndex + 1
  }

  /// The lines of a paragraph (or heading) with `range`, each from where its content starts:
  /// the first at the block's start column, the others after their container markers.
  func blockLines(_ range: SourceRange, quoteDepth: Int) -> [BlockLine] {
    var out: [BlockLine] = []
    for line in range.start.line...max(range.start.line, range.end.line) {
      let column = line == range.start.line ? range.start.column : contentColumn(line: line, quoteDepth: quoteDepth)
      let text = self.line(line)
      let from = min(text.startIndex + column - 1, text.endIndex)
      var end = text.endIndex
      while end > from, text[end - 1] == 32 || text[end - 1] == 9 { end -= 1 }
      out.append(BlockLine(line: line, column: column, bytes: text[from..<end]))
    }
    return out
  }
}

/// One line of a block: its absolute line number, the column of its first byte, its bytes
/// (trailing blanks removed).
struct BlockLine {
  var line: Int
  var column: Int
  var bytes: ArraySlice<UInt8>

  var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// A piecewise map from the columns of an edited line back to the columns of its source line.
struct ColumnEdits {
  /// In edited-text columns, sorted: bytes inserted at `at` (`length` > 0), or source bytes
  /// removed just before the byte now at `at` (`length` < 0).
  var edits: [(at: Int, length: Int)] = []

  /// The source column of edited column `column`; a column inside an insertion maps to where
  /// the insertion was made.
  func source(_ column: Int) -> Int {
    var shift = 0
    for edit in edits {
      if edit.length > 0 {
        if column >= edit.at + edit.length {
          shift -= edit.length
        } else if column >= edit.at {
          return edit.at + shift
        } else {
          break
        }
      } else if column >= edit.at {
        shift -= edit.length
      } else {
        break
      }
    }
    return column + shift
  }
}
