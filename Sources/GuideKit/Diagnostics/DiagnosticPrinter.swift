import Foundation

/// Formats diagnostics for people (source line, caret, hint) or for machines (JSON).
public struct DiagnosticPrinter: Sendable {
  public enum Format: String, Sendable, CaseIterable {
    case text
    case json
  }

  public var useColor: Bool
  /// Source text by displayed path, to quote the offending line.
  public var sources: [String: String]

  public init(useColor: Bool = false, sources: [String: String] = [:]) {
    self.useColor = useColor
    self.sources = sources
  }

  public func format(_ diagnostic: Diagnostic) -> String {
    format(diagnostic, table: sources[diagnostic.path].map(LineTable.init))
  }

  /// The start of every line of a source text, computed once for all its diagnostics (8,000
  /// errors on one line of a large page must not split the page 8,000 times).
  struct LineTable {
    let text: String
    private var starts: [String.UTF8View.Index] = []

    init(_ text: String) {
      self.text = text
      let utf8 = text.utf8
      starts.append(utf8.startIndex)
      var index = utf8.startIndex
      while let newline = utf8[index...].firstIndex(of: 10) {
        index = utf8.index(after: newline)
        starts.append(index)
      }
    }

    /// Line `number` (1-based) without its line break, cut to 300 characters.
    func line(_ number: Int) -> String? {
      guard number >= 1, number <= starts.count else { return nil }
      let utf8 = text.utf8
      let start = starts[number - 1]
      var end = number < starts.count ? utf8.index(before: starts[number]) : utf8.endIndex
      // At most 1,200 bytes are looked at (300 characters of up to 4 bytes).
      if utf8.distance(from: start, to: end) > 1_200 { end = utf8.index(start, offsetBy: 1_200) }
      var s = String(decoding: utf8[start..<end], as: UTF8.self)
      if s.hasSuffix("\r") { s.removeLast() }
      return s.count > 300 ? String(s.prefix(300)) : s
    }
  }

  func format(_ diagnostic: Diagnostic, table: LineTable?) -> String {
    var lines: [String] = []
    let label = diagnostic.severity.rawValue
    let colored =
      useColor
      ? (diagnostic.severity == .error ? "\u{1B}[1;31m\(label)\u{1B}[0m" : "\u{1B}[1;33m\(label)\u{1B}[0m")
      : label
    lines.append(
      "\(diagnostic.path):\(diagnostic.location.line):\(diagnostic.location.column): \(colored): \(GuideConfig.printable(diagnostic.message))"
    )
    if let line = table?.line(diagnostic.location.line) {
      let shown = GuideConfig.printable(line.replacingOccurrences(of: "\t", with: " "))
      lines.append("    " + shown)
      let caretColumn = Self.displayColumn(forByteColumn: diagnostic.location.column, in: shown)
      lines.append("    " + String(repeating: " ", count: caretColumn) + "^")
    }
    if let hint = diagnostic.hint { lines.append("    hint: \(hint)") }
    for note in diagnostic.notes { lines.append("    " + note) }
    return lines.joined(separator: "\n")
  }

  public func format(_ diagnostics: [Diagnostic]) -> String {
    var tables: [String: LineTable] = [:]
    return diagnostics.map { diagnostic in
      var table = tables[diagnostic.path]
      if table == nil, let text = sources[diagnostic.path] {
        table = LineTable(text)
        tables[diagnostic.path] = table
      }
      return format(diagnostic, table: table)
    }.joined(separator: "\n")
  }

  public static func json(_ diagnostics: [Diagnostic]) -> String {
    struct Entry: Encodable {
      var severity: String
      var path: String
      var line: Int
      var column: Int
      var message: String
      var hint: String?
      var notes: [String]
    }
    let entries = diagnostics.map {
      Entry(
        severity: $0.severity.rawValue, path: $0.path, line: $0.location.line, column: $0.location.column,
        message: $0.message, hint: $0.hint, notes: $0.notes)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(entries)) ?? Data("[]".utf8)
    return String(decoding: data, as: UTF8.self)
  }

  /// Line `number` (1-based) of `text` without its line break, cut to 300 characters; nil past
  /// the end. Scans the bytes up to that line only (front matter asks for a line per field).
  static func line(_ number: Int, of text: String) -> String? {
    guard number >= 1 else { return nil }
    let bytes = text.utf8
    var start = bytes.startIndex
    for _ in 1..<number {
      guard let newline = bytes[start...].firstIndex(of: 0x0A) else { return nil }
      start = bytes.index(after: newline)
    }
    let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.endIndex
    var s = String(text[start..<end])
    if s.hasSuffix("\r") { s.removeLast() }
    return s.count > 300 ? String(s.prefix(300)) : s
  }

  /// cmark and swiftc count columns in UTF-8 bytes; the caret goes under the character.
  static func displayColumn(forByteColumn column: Int, in line: String) -> Int {
    var bytes = 0
    var characters = 0
    for ch in line {
      if bytes >= column - 1 { break }
      bytes += ch.utf8.count
      characters += 1
    }
    return characters
  }
}
