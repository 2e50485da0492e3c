internal import CCmark

/// Parses CommonMark with cmark and converts its tree into ``MarkdownNode`` values.
///
/// This is the only code in the project that touches cmark. The C tree is walked once with
/// `cmark_iter` (no recursion, so pathological nesting cannot overflow the stack), every string
/// is copied at once, and the parser, iterator and document are freed before returning.
public enum MarkdownParser {
  /// The result of a parse: the document and the deepest nesting seen (for limits).
  public struct Result: Sendable {
    public let document: MarkdownNode
    public let maxDepth: Int
  }

  /// Parses `text` as CommonMark. `lineOffset` is added to every line number, so a body that
  /// follows front matter reports positions in its file.
  ///
  /// Nodes nested deeper than `depthLimit` are left out of the Swift tree (their depth is still
  /// reported in ``Result/maxDepth``), so a hostile document cannot build a tree too deep to walk.
  ///
  /// After cmark, the constructs it lacks are recognised on its tree: math (`$…$`, `$$…$$`; see
  /// ``MathSpans``), pipe tables and callouts (see ``MarkdownExtensions``). Mistakes in them are
  /// found by ``MarkdownLint``.
  public static func parse(_ text: String, lineOffset: Int = 0, depthLimit: Int = 256) -> Result {
    var result = parseCommonMark(text, lineOffset: lineOffset, depthLimit: depthLimit)
    let (hasDollar, hasPipe) = scan(text)
    let source = hasDollar || hasPipe ? SourceLines(text, lineOffset: lineOffset) : nil
    if hasDollar, let source {
      let spans = MathSpans.find(in: result.document, source: source)
      if !spans.isEmpty {
        let (protected, edits) = MathSpans.protect(source, spans: spans)
        let again = parseCommonMark(protected, lineOffset: lineOffset, depthLimit: depthLimit)
        let mapped = again.document.mappingLocations { location in
          guard let lineEdits = edits[location.line] else { return location }
          return SourceLocation(line: location.line, column: lineEdits.source(location.column))
        }
        let byStart = Dictionary(spans.map { ($0.start, $0) }, uniquingKeysWith: { a, _ in a })
        result = Result(document: MathSpans.substitute(mapped, spans: byStart), maxDepth: again.maxDepth)
      }
    }
    let context = MarkdownExtensions.Context(source: hasPipe ? source : nil, depthLimit: depthLimit)
    let document = MarkdownExtensions.apply(result.document, quoteDepth: 0, context: context)?.first ?? result.document
    return Result(document: document, maxDepth: result.maxDepth)
  }

  /// Whether the text has a `$` (math may be there) and a `|` (a table may be there), in one pass.
  static func scan(_ text: String) -> (dollar: Bool, pipe: Bool) {
    var text = text
    return text.withUTF8 { buffer in
      var dollar = false
      var pipe = false
      for byte in buffer {
        if byte == UInt8(ascii: "$") {
          dollar = true
          if pipe { break }
        } else if byte == UInt8(ascii: "|") {
          pipe = true
          if dollar { break }
        }
      }
      return (dollar, pipe)
    }
  }

  /// cmark alone: CommonMark to Swift values.
  static func parseCommonMark(_ text: String, lineOffset: Int, depthLimit: Int) -> Result {
    var source = text
    let options = CMARK_OPT_SOURCEPOS | CMARK_OPT_VALIDATE_UTF8
    let root: OpaquePointer? = source.withUTF8 { buffer in
      buffer.withMemoryRebound(to: CChar.self) { chars in
        cmark_parse_document(chars.baseAddress, chars.count, options)
      }
    }
    guard let root else {
      let origin = SourceLocation(line: 1 + lineOffset, column: 1)
      return Result(document: MarkdownNode(kind: .document, range: SourceRange(start: origin, end: origin)), maxDepth: 0)
    }
    defer { cmark_node_free(root) }
    return convert(root, lineOffset: lineOffset, depthLimit: depthLimit)
  }

  private struct Frame {
    var kind: MarkdownNode.Kind
    var range: SourceRange
    var children: [MarkdownNode] = []
  }

  private static func convert(_ root: OpaquePointer, lineOffset: Int, depthLimit: Int) -> Result {
    guard let iterator = cmark_iter_new(root) else {
      let origin = SourceLocation(line: 1 + lineOffset, column: 1)
      return Result(document: MarkdownNode(kind: .document, range: SourceRange(start: origin, end: origin)), maxDepth: 0)
    }
    defer { cmark_iter_free(iterator) }

    var stack: [Frame] = []
    var maxDepth = 0
    var finished: MarkdownNode?
    var depth = 0

    while true {
      let event = cmark_iter_next(iterator)
      if event == CMARK_EVENT_DONE { break }
      guard let node = cmark_iter_get_node(iterator) else { continue }
      if event == CMARK_EVENT_ENTER {
        if !isLeaf(node) { depth += 1 }
        maxDepth = max(maxDepth, depth)
        if depth > depthLimit { continue }
        let inherited = stack.last?.range
        let kind = kind(of: node)
        let range = range(of: node, lineOffset: lineOffset, fallback: inherited)
        if isLeaf(node) {
          let leaf = MarkdownNode(kind: kind, range: range)
          if stack.isEmpty { finished = leaf } else { stack[stack.count - 1].children.append(leaf) }
        } else {
          stack.append(Frame(kind: kind, range: range))
        }
      } else if event == CMARK_EVENT_EXIT {
        depth -= 1
        if depth + 1 > depthLimit { continue }
        guard let frame = stack.popLast() else { continue }
        let built = MarkdownNode(kind: frame.kind, range: frame.range, children: frame.children)
        if stack.isEmpty { finished = built } else { stack[stack.count - 1].children.append(built) }
      }
    }
    let origin = SourceLocation(line: 1 + lineOffset, column: 1)
    return Result(
      document: finished ?? MarkdownNode(kind: .document, range: SourceRange(start: origin, end: origin)),
      maxDepth: maxDepth)
  }

  private static func isLeaf(_ node: OpaquePointer) -> Bool {
    switch cmark_node_get_type(node) {
    case CMARK_NODE_CODE_BLOCK, CMARK_NODE_HTML_BLOCK, CMARK_NODE_THEMATIC_BREAK, CMARK_NODE_TEXT,
      CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK, CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE:
      return true
    default:
      return false
    }
  }

  private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
    guard let pointer else { return "" }
    return String(cString: pointer)
  }

  private static func kind(of node: OpaquePointer) -> MarkdownNode.Kind {
    switch cmark_node_get_type(node) {
    case CMARK_NODE_DOCUMENT: return .document
    case CMARK_NODE_BLOCK_QUOTE: return .blockQuote
    case CMARK_NODE_LIST:
      return .list(
        ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
        start: Int(cmark_node_get_list_start(node)),
        tight: cmark_node_get_list_tight(node) != 0)
    case CMARK_NODE_ITEM: return .item
    case CMARK_NODE_CODE_BLOCK:
      return .codeBlock(info: string(cmark_node_get_fence_info(node)), literal: string(cmark_node_get_literal(node)))
    case CMARK_NODE_HTML_BLOCK: return .htmlBlock(string(cmark_node_get_literal(node)))
    case CMARK_NODE_PARAGRAPH: return .paragraph
    case CMARK_NODE_HEADING: return .heading(level: Int(cmark_node_get_heading_level(node)))
    case CMARK_NODE_THEMATIC_BREAK: return .thematicBreak
    case CMARK_NODE_TEXT: return .text(string(cmark_node_get_literal(node)))
    case CMARK_NODE_SOFTBREAK: return .softBreak
    case CMARK_NODE_LINEBREAK: return .lineBreak
    case CMARK_NODE_CODE: return .code(string(cmark_node_get_literal(node)))
    case CMARK_NODE_HTML_INLINE: return .htmlInline(string(cmark_node_get_literal(node)))
    case CMARK_NODE_EMPH: return .emphasis
    case CMARK_NODE_STRONG: return .strong
    case CMARK_NODE_LINK:
      return .link(destination: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)))
    case CMARK_NODE_IMAGE:
      return .image(source: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)))
    default: return .custom
    }
  }

  private static func range(of node: OpaquePointer, lineOffset: Int, fallback: SourceRange?) -> SourceRange {
    let startLine = Int(cmark_node_get_start_line(node))
    let startColumn = Int(cmark_node_get_start_column(node))
    guard startLine > 0 else {
      return fallback
        ?? SourceRange(
          start: SourceLocation(line: 1 + lineOffset, column: 1), end: SourceLocation(line: 1 + lineOffset, column: 1))
    }
    let endLine = max(Int(cmark_node_get_end_line(node)), startLine)
    let endColumn = max(Int(cmark_node_get_end_column(node)), 1)
    return SourceRange(
      start: SourceLocation(line: startLine + lineOffset, column: max(startColumn, 1)),
      end: SourceLocation(line: endLine + lineOffset, column: endColumn))
  }
}
