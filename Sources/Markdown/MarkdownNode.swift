/// One node of a parsed CommonMark document: an immutable Swift value converted from cmark's tree.
public struct MarkdownNode: Sendable, Hashable {
  /// What the node is, with the data that belongs to that kind.
  public enum Kind: Sendable, Hashable {
    case document
    case blockQuote
    case list(ordered: Bool, start: Int, tight: Bool)
    case item
    case codeBlock(info: String, literal: String)
    case htmlBlock(String)
    case paragraph
    case heading(level: Int)
    case thematicBreak
    case text(String)
    case softBreak
    case lineBreak
    case code(String)
    case htmlInline(String)
    case emphasis
    case strong
    case link(destination: String, title: String)
    case image(source: String, title: String)
    /// A GitHub pipe table recognised from a paragraph's source lines (children: rows).
    case table(alignments: [TableAlignment])
    /// A row of a table (children: cells); the first row of a table is its header.
    case tableRow(header: Bool)
    /// A cell of a table (children: inlines parsed by cmark from the cell's text).
    case tableCell(alignment: TableAlignment)
    /// A GitHub callout (`> [!NOTE]`): a block quote whose first line names its kind (children: blocks).
    case callout(CalloutKind)
    /// `$…$` (inline) or `$$…$$` (display) math: the TeX between the dollars, and where each of
    /// its lines starts in the source (the TeX keeps the source's line breaks).
    case math(tex: String, display: Bool, lines: [SourceLocation])
    /// cmark's custom nodes never come from parsing; kept so the conversion is total.
    case custom
  }

  public let kind: Kind
  /// Where the node is in the source, when cmark knows it. Inline nodes without their own
  /// position take the position of the nearest block that has one.
  public let range: SourceRange
  public let children: [MarkdownNode]

  public init(kind: Kind, range: SourceRange, children: [MarkdownNode] = []) {
    self.kind = kind
    self.range = range
    self.children = children
  }

  /// The concatenated text of the node and its descendants (code spans included, markup dropped).
  public var plainText: String {
    var out = ""
    appendPlainText(to: &out)
    return out
  }

  private func appendPlainText(to out: inout String) {
    switch kind {
    case .text(let s), .code(let s), .math(let s, _, _): out += s
    case .softBreak, .lineBreak: out += " "
    case .codeBlock(_, let literal): out += literal
    default: break
    }
    for child in children { child.appendPlainText(to: &out) }
  }

  /// Whether this node is a block (as opposed to an inline).
  public var isBlock: Bool {
    switch kind {
    case .document, .blockQuote, .list, .item, .codeBlock, .htmlBlock, .paragraph, .heading,
      .thematicBreak, .custom, .table, .tableRow, .tableCell, .callout:
      return true
    default:
      return false
    }
  }
}

/// How a table column is aligned (`---`, `:---`, `:---:`, `---:`).
public enum TableAlignment: String, Sendable, Hashable {
  case none, left, center, right
}

/// The five GitHub callout kinds.
public enum CalloutKind: String, Sendable, Hashable, CaseIterable {
  case note, tip, important, warning, caution

  /// The visible title and accessible label: `Note`, `Tip`, …
  public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

extension MarkdownNode {
  /// The same tree with every source position passed through `transform`.
  func mappingLocations(_ transform: (SourceLocation) -> SourceLocation) -> MarkdownNode {
    var kind = self.kind
    if case .math(let tex, let display, let lines) = kind {
      kind = .math(tex: tex, display: display, lines: lines.map(transform))
    }
    return MarkdownNode(
      kind: kind, range: SourceRange(start: transform(range.start), end: transform(range.end)),
      children: children.map { $0.mappingLocations(transform) })
  }
}
