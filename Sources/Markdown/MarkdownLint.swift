/// A problem with the Markdown itself, found by ``MarkdownLint`` (the core turns it into a diagnostic).
public struct MarkdownProblem: Sendable, Hashable {
  public enum Severity: Sendable, Hashable {
    case error, warning
  }

  public var severity: Severity
  public var location: SourceLocation
  public var message: String
  public var hint: String?

  public static func error(_ location: SourceLocation, _ message: String, hint: String? = nil) -> MarkdownProblem {
    MarkdownProblem(severity: .error, location: location, message: message, hint: hint)
  }

  public static func warning(_ location: SourceLocation, _ message: String, hint: String? = nil) -> MarkdownProblem {
    MarkdownProblem(severity: .warning, location: location, message: message, hint: hint)
  }
}

/// Finds Markdown that does not do what its writer meant: a table with a mistake (an error), and
/// syntax from other dialects that the guide does not support and cmark shows as text (warnings):
/// task lists, footnotes, unknown callout kinds, raw HTML while it is escaped.
public enum MarkdownLint {
  /// Checks a document parsed by ``MarkdownParser`` from `source` (the whole file: positions in
  /// the document are lines of the file).
  public static func problems(in document: MarkdownNode, source: String, rawHTMLEscaped: Bool) -> [MarkdownProblem] {
    var linter = Linter(text: source, rawHTMLEscaped: rawHTMLEscaped)
    linter.walk(document, quoteDepth: 0)
    return linter.problems
  }

  struct Linter {
    let text: String
    let rawHTMLEscaped: Bool
    /// Built on the first paragraph that could be a table.
    lazy var source = SourceLines(text)
    var problems: [MarkdownProblem] = []

    mutating func walk(_ node: MarkdownNode, quoteDepth: Int) {
      switch node.kind {
      case .paragraph:
        if MarkdownExtensions.hasPipeInText(node),
          case .malformed(let problem) = TableRecognizer.recognize(source.blockLines(node.range, quoteDepth: quoteDepth))
        {
          problems.append(problem)
        }
      case .blockQuote:
        if let (name, location, _) = Callouts.marker(of: node), CalloutKind(rawValue: name.lowercased()) == nil {
          let kinds = CalloutKind.allCases.map { "[!" + $0.rawValue.uppercased() + "]" }
          problems.append(
            .warning(
              location, "unknown callout '[!\(name)]' (shown as a block quote)",
              hint: "use one of \(kinds.joined(separator: ", "))"))
        }
      case .item:
        if let first = node.children.first, case .paragraph = first.kind, let head = first.children.first,
          case .text(let text) = head.kind, text.hasPrefix("[ ]") || text.hasPrefix("[x]") || text.hasPrefix("[X]")
        {
          problems.append(
            .warning(
              head.range.start, "task list items ('- \(text.prefix(3))') are not supported: the box shows as text",
              hint: "write a plain list item without '\(text.prefix(3))'"))
        }
      case .text(let text):
        // The first `[^` with a `]` after it, in one pass over the bytes (no copy of the text).
        var open: Int?
        var previous: UInt8 = 0
        for (offset, byte) in text.utf8.enumerated() {
          if let open {
            if byte == UInt8(ascii: "]") {
              var location = node.range.start
              location.column += open
              footnote(location)
              break
            }
          } else if previous == UInt8(ascii: "["), byte == UInt8(ascii: "^") {
            open = offset - 1
          }
          previous = byte
        }
      case .link:
        if node.plainText.hasPrefix("^") { footnote(node.range.start) }
      case .htmlBlock(let html), .htmlInline(let html):
        if rawHTMLEscaped && !html.hasPrefix("</") {
          let tag = html.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "-" }
          let construct = html.hasPrefix("<!--") ? "an HTML comment" : tag.isEmpty ? "raw HTML" : "raw HTML '<\(tag)>'"
          problems.append(
            .warning(
              node.range.start, "\(construct) is shown as text ('raw_html: escape' in guide.yml)",
              hint: "write it in Markdown; 'raw_html: allow' passes HTML through, for fully trusted content only"))
        }
      default:
        break
      }
      let depth = node.kind == .blockQuote ? quoteDepth + 1 : quoteDepth
      if case .callout = node.kind {
        for child in node.children { walk(child, quoteDepth: quoteDepth + 1) }
        return
      }
      for child in node.children { walk(child, quoteDepth: depth) }
    }

    mutating func footnote(_ location: SourceLocation) {
      problems.append(
        .warning(
          location, "footnotes ('[^1]') are not supported: the marker shows as text",
          hint: "put the note in the sentence, in parentheses, or link to a section"))
    }
  }
}
