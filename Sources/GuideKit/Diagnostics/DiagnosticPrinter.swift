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
    var lines: [String] = []
    let label = diagnostic.severity.rawValue
    let colored =
      useColor
      ? (diagnostic.severity == .error ? "\u{1B}[1;31m\(label)\u{1B}[0m" : "\u{1B}[1;33m\(label)\u{1B}[0m")
      : label
    lines.append(
      "\(diagnostic.path):\(diagnostic.location.line):\(diagnostic.location.column): \(colored): \(diagnostic.message)")
    if let text = sources[diagnostic.path], let line = Self.line(diagnostic.location.line, of: text) {
      let shown = line.replacingOccurrences(of: "\t", with: " ")
      lines.append("    " + shown)
      let caretColumn = Self.displayColumn(forByteColumn: diagnostic.location.column, in: shown)
      lines.append("    " + String(repeating: " ", count: caretColumn) + "^")
    }
    if let hint = diagnostic.hint { lines.append("    hint: \(hint)") }
    for note in diagnostic.notes { lines.append("    " + note) }
    return lines.joined(separator: "\n")
  }

  public func format(_ diagnostics: [Diagnostic]) -> String {
    diagnostics.map(format).joined(separator: "\n")
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

  static func line(_ number: Int, of text: String) -> String? {
    guard number >= 1 else { return nil }
    var current = 1
    for line in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
      if current == number {
        var s = String(String.UnicodeScalarView(line))
        if s.hasSuffix("\r") { s.removeLast() }
        return s.count > 300 ? String(s.prefix(300)) : s
      }
      current += 1
    }
    return nil
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
