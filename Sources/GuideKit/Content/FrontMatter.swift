import Foundation
import Markdown
import Yams

/// The YAML front matter of a page, as a mapping of scalar values and lists, with positions.
struct FrontMatter: Sendable {
  struct Value: Sendable {
    enum Content: Sendable {
      case scalar(String)
      case list([String])
      case other
    }
    var content: Content
    var location: SourceLocation
    var keyLocation: SourceLocation
  }

  var fields: [String: Value]
  /// Location of the first line of the front matter (the opening `---`).
  var location: SourceLocation

  func string(_ key: String) -> String? {
    if case .scalar(let s)? = fields[key]?.content { return s }
    return nil
  }

  /// Splits `---` front matter from the body. Returns the YAML text, the body and the body's
  /// line offset (number of lines before it), or a diagnostic.
  static func split(_ text: String, path: String) -> (yaml: String, body: String, bodyLineOffset: Int)?? {
    // Result: nil = no front matter; .some(nil) = unclosed (diagnosed by caller).
    guard text.hasPrefix("---\n") || text == "---" || text.hasPrefix("---\r") || text.hasPrefix("--- \n") else {
      return nil
    }
    // Scan line by line from the second line; only the front matter is split, never the body.
    var lineNumber = 1
    var lineStart = text.index(after: text.firstIndex(of: "\n") ?? text.index(before: text.endIndex))
    let yamlStart = lineStart
    while lineStart < text.endIndex {
      let lineEnd = text[lineStart...].firstIndex(of: "\n") ?? text.endIndex
      lineNumber += 1
      let line = text[lineStart..<lineEnd].trimmingTrailingSpaces
      if line == "---" || line == "..." {
        let yaml = yamlStart < lineStart ? String(text[yamlStart..<text.index(before: lineStart)]) : ""
        let bodyStart = lineEnd < text.endIndex ? text.index(after: lineEnd) : text.endIndex
        var body = String(text[bodyStart...])
        if !body.hasSuffix("\n") { body += "\n" }
        return .some((yaml, body, lineNumber))
      }
      if lineEnd == text.endIndex { break }
      lineStart = text.index(after: lineEnd)
    }
    return .some(nil)
  }

  /// Parses the YAML mapping. Line numbers are shifted by `lineOffset` (the opening `---`).
  static func parse(_ yaml: String, path: String, lineOffset: Int) -> (FrontMatter?, [Diagnostic]) {
    let origin = SourceLocation(line: 1, column: 1)
    if yaml.trimmedWhitespace.isEmpty {
      return (FrontMatter(fields: [:], location: origin), [])
    }
    if let anchor = YAMLAnchors.first(in: yaml) {
      return (nil, [YAMLAnchors.diagnostic(path: path, at: anchor, lineOffset: lineOffset, what: "front matter")])
    }
    let node: Node?
    do {
      // UTF-8 named, not `Parser.Encoding.default`: that default reads the whole process
      // environment on every call (a third of the front matter's time at 10,000 pages).
      node = try Yams.compose(yaml: yaml, .default, .default, .utf8)
    } catch let error as YamlError {
      return (nil, [yamlDiagnostic(error, path: path, lineOffset: lineOffset, text: yaml)])
    } catch {
      return (nil, [.error(path, origin, "front matter is not valid YAML: \(error)")])
    }
    guard let node else { return (FrontMatter(fields: [:], location: origin), []) }
    guard case .mapping(let mapping) = node else {
      return (
        nil,
        [
          .error(
            path, shift(node.mark, lineOffset, in: yaml) ?? origin, "front matter must be a YAML mapping of fields",
            hint: "write one 'field: value' per line, e.g. 'title: What is IoU?'")
        ]
      )
    }
    var fields: [String: Value] = [:]
    var diagnostics: [Diagnostic] = []
    for (keyNode, valueNode) in mapping {
      guard let key = keyNode.string else { continue }
      let keyLocation = shift(keyNode.mark, lineOffset, in: yaml) ?? origin
      if fields[key] != nil {
        diagnostics.append(.error(path, keyLocation, "duplicate front-matter field '\(key)'", hint: "keep one '\(key):' line"))
        continue
      }
      let location = shift(valueNode.mark, lineOffset, in: yaml) ?? keyLocation
      let content: Value.Content
      switch valueNode {
      case .scalar(let scalar):
        content = .scalar(scalar.string)
      case .sequence(let sequence):
        var items: [String] = []
        var ok = true
        for item in sequence {
          if case .scalar(let s) = item { items.append(s.string) } else { ok = false }
        }
        content = ok ? .list(items) : .other
      default:
        content = .other
      }
      fields[key] = Value(content: content, location: location, keyLocation: keyLocation)
    }
    return (FrontMatter(fields: fields, location: origin), diagnostics)
  }

  /// A Yams mark as a location. Yams counts columns in Unicode scalars; diagnostics count UTF-8
  /// bytes, so with the YAML `text` the column is converted (an `é` before it counts 2).
  static func shift(_ mark: Mark?, _ lineOffset: Int, in text: String? = nil) -> SourceLocation? {
    guard let mark else { return nil }
    var column = max(mark.column, 1)
    if let text, let line = DiagnosticPrinter.line(mark.line, of: text) {
      let prefix = line.unicodeScalars.prefix(column - 1)
      column = prefix.reduce(0) { $0 + UTF8.width($1) } + (column - 1 - prefix.count) + 1
    }
    return SourceLocation(line: mark.line + lineOffset, column: column)
  }

  static func yamlDiagnostic(
    _ error: YamlError, path: String, lineOffset: Int, what: String = "front matter", text: String? = nil
  ) -> Diagnostic {
    let hint = "check the YAML between the '---' lines: indentation, a missing ':' or an unquoted ':' in a value (quote it)"
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let where_ = shift(mark, lineOffset, in: text) ?? SourceLocation(line: 1 + lineOffset, column: 1)
      let ctx = context.map { " (\($0.text))" } ?? ""
      return .error(path, where_, "malformed YAML in \(what): \(problem)\(ctx)", hint: hint)
    case .duplicatedKeysInMapping(let duplicates, let context):
      // Yams marks the first occurrence; the mistake is the second one.
      let second = duplicates.first.flatMap {
        secondOccurrence(of: $0, line: context.mark.line, column: context.mark.column, in: context.text)
      }
      let where_ =
        second.map { SourceLocation(line: $0.line + lineOffset, column: $0.column) }
        ?? shift(context.mark, lineOffset, in: text) ?? SourceLocation(line: 1 + lineOffset, column: 1)
      return .error(path, where_, "duplicate field '\(duplicates.joined(separator: "', '"))'", hint: "keep one of them")
    default:
      return .error(path, SourceLocation(line: 1 + lineOffset, column: 1), "malformed YAML in \(what): \(error)", hint: hint)
    }
  }
}

/// YAML anchors (`&name`) make aliases (`*name`) possible, and a few nested aliases expand to
/// billions of nodes (a 600-byte "billion laughs" hangs the YAML library). Neither front matter
/// nor guide.yml needs them, so they are refused before the YAML is parsed.
enum YAMLAnchors {
  /// The 1-based line and column of the first anchor in `yaml`, if any. Quoted scalars, block
  /// scalars (`|`, `>`) and comments are skipped; an `&` counts only where a node starts.
  static func first(in yaml: String) -> (line: Int, column: Int)? {
    guard yaml.utf8.contains(UInt8(ascii: "&")) else { return nil }
    var quote: UInt8? = nil
    var blockIndent: Int? = nil
    for (number, line) in yaml.utf8.split(separator: 10, omittingEmptySubsequences: false).enumerated() {
      let bytes = Array(line)
      let indent = bytes.prefix { $0 == 32 }.count
      if let block = blockIndent {
        if indent > block || bytes.allSatisfy({ $0 == 32 || $0 == 13 }) { continue }
        blockIndent = nil
      }
      var previous: UInt8? = nil  // the last non-space byte outside quotes on this line
      var i = 0
      while i < bytes.count {
        let b = bytes[i]
        if let q = quote {
          if b == q {
            if q == 39, i + 1 < bytes.count, bytes[i + 1] == 39 {
              i += 2
              continue
            }
            quote = nil
            previous = b
          } else if q == 34 && b == 92 {
            i += 1
          }
          i += 1
          continue
        }
        if b == 32 || b == 9 || b == 13 {
          i += 1
          continue
        }
        if b == 35, i == 0 || bytes[i - 1] == 32 || bytes[i - 1] == 9 { break }  // comment
        let followedBySpace = i + 1 == bytes.count || bytes[i + 1] == 32 || bytes[i + 1] == 9 || bytes[i + 1] == 13
        let atNodeStart = previous == nil || [45, 58, 63, 91, 123, 44].contains(previous!)
        if (b == 58 || ((b == 45 || b == 63) && atNodeStart)) && followedBySpace || [91, 93, 123, 125, 44].contains(b) {
          // ':', '- ', '? ' and the flow indicators: a node may start after them.
        } else if atNodeStart && (b == 34 || b == 39) {
          quote = b
        } else if atNodeStart && b == 38 && !followedBySpace {
          return (number + 1, i + 1)
        } else if atNodeStart && (b == 124 || b == 62) {
          // A block scalar: its lines (more indented than this one) are text.
          let rest = bytes[(i + 1)...].prefix { $0 != 35 }
          if rest.allSatisfy({ $0 == 32 || $0 == 43 || $0 == 45 || $0 == 13 || ($0 >= 48 && $0 <= 57) }) {
            blockIndent = indent
            break
          }
        } else {
          // A plain scalar: up to ': ', ' #' or a flow indicator.
          while i + 1 < bytes.count {
            let next = bytes[i + 1]
            if next == 44 || next == 93 || next == 125 { break }
            if next == 58 && (i + 2 == bytes.count || bytes[i + 2] == 32 || bytes[i + 2] == 13) { break }
            if next == 35 && (bytes[i] == 32 || bytes[i] == 9) { break }
            i += 1
          }
        }
        previous = bytes[i]
        i += 1
      }
    }
    return nil
  }

  static func diagnostic(path: String, at anchor: (line: Int, column: Int), lineOffset: Int, what: String) -> Diagnostic {
    .error(
      path, SourceLocation(line: anchor.line + lineOffset, column: anchor.column),
      "YAML anchors and aliases (&name, *name) are not allowed in \(what)",
      hint: "write the value out in full (quote it if it starts with '&' or '*')")
  }
}

extension FrontMatter {
  /// Where `key` is written a second time as a mapping key, after the first occurrence `first`.
  static func secondOccurrence(of key: String, line firstLine: Int, column: Int, in text: String) -> (line: Int, column: Int)? {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard firstLine >= 1, firstLine <= lines.count else { return nil }
    for number in firstLine..<lines.count {
      let line = lines[number]
      let indent = line.prefix { $0 == " " }.count
      guard indent + 1 == column else { continue }
      let rest = line.dropFirst(indent)
      for form in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(form) {
        let after = rest.dropFirst(form.count).drop { $0 == " " }
        if after.hasPrefix(":") { return (number + 1, indent + 1) }
      }
    }
    return nil
  }
}

extension Substring {
  var trimmingTrailingSpaces: Substring {
    var s = self
    while let last = s.last, last == " " || last == "\t" || last == "\r" { s.removeLast() }
    return s
  }
}
