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
    case .text(let s), .code(let s): out += s
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
      .thematicBreak, .custom:
      return true
    default:
      return false
    }
  }
}
