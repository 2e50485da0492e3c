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
    let node: Node?
    do {
      node = try Yams.compose(yaml: yaml)
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
      let where_ = shift(context.mark, lineOffset, in: text) ?? SourceLocation(line: 1 + lineOffset, column: 1)
      return .error(path, where_, "duplicate field '\(duplicates.joined(separator: "', '"))'", hint: "keep one of them")
    default:
      return .error(path, SourceLocation(line: 1 + lineOffset, column: 1), "malformed YAML in \(what): \(error)", hint: hint)
    }
  }
}

extension Substring {
  var trimmingTrailingSpaces: Substring {
    var s = self
    while let last = s.last, last == " " || last == "\t" || last == "\r" { s.removeLast() }
    return s
  }
}
