import Markdown

/// Renders a page's Markdown tree to HTML: heading ids, rewritten links, embedded snippets,
/// highlighted Swift, the raw-HTML policy. A walker over Swift values, no regex on HTML.
struct MarkdownHTMLRenderer {
  let site: SiteModel
  let pageIndex: Int
  /// Renders an embedded snippet (the Rendering stage supplies it: it knows the snippet runs).
  let embed: (_ name: String, _ slice: String?, _ mode: EmbedMode) -> String
  /// The SVG of figure `figure` drawn by snippet `snippet`, if it drew one.
  var figureSVG: (_ snippet: String, _ figure: String) -> String? = { _, _ in nil }
  /// The site path the HTML is placed on (the page's own path, or a print/quiz page).
  var fromPath: String? = nil
  /// Prefix for heading ids (print pages hold many questions).
  var idPrefix: String = ""

  var page: Page { site.pages[pageIndex] }
  private var from: String { fromPath ?? page.outputPath }

  /// Heading ids in document order, consumed as headings are rendered.
  final class HeadingCursor {
    var headings: [Heading]
    var next = 0
    /// Figures rendered so far (each gets its own id prefix).
    var figures = 0
    init(_ headings: [Heading]) { self.headings = headings }
    func take() -> String? {
      defer { next += 1 }
      return next < headings.count ? headings[next].id : nil
    }
  }

  /// Renders `blocks` (top-level children of the document). Use one cursor per page so heading
  /// ids stay in step when a page is rendered in parts.
  func render(_ blocks: ArraySlice<MarkdownNode>, cursor: HeadingCursor) -> String {
    var out = ""
    for block in blocks { render(block, into: &out, tight: false, cursor: cursor) }
    return out
  }

  private func render(_ node: MarkdownNode, into out: inout String, tight: Bool, cursor: HeadingCursor) {
    switch node.kind {
    case .document:
      for child in node.children { render(child, into: &out, tight: false, cursor: cursor) }
    case .blockQuote:
      out += "<blockquote>\n"
      for child in node.children { render(child, into: &out, tight: false, cursor: cursor) }
      out += "</blockquote>\n"
    case .callout(let kind):
      out += "<aside class=\"callout \(kind.rawValue)\" role=\"note\" aria-label=\"\(kind.title)\">\n"
      out += "<p class=\"callout-title\">\(kind.title)</p>\n"
      for child in node.children { render(child, into: &out, tight: false, cursor: cursor) }
      out += "</aside>\n"
    case .table:
      out += "<div class=\"table-scroll\" tabindex=\"0\">\n<table>\n"
      for (index, row) in node.children.enumerated() {
        if index == 0 { out += "<thead>\n" }
        if index == 1 { out += "<tbody>\n" }
        render(row, into: &out, tight: false, cursor: cursor)
        if index == 0 { out += "</thead>\n" }
      }
      if node.children.count > 1 { out += "</tbody>\n" }
      out += "</table>\n</div>\n"
    case .tableRow(let header):
      out += "<tr>"
      for cell in node.children {
        guard case .tableCell(let alignment) = cell.kind else { continue }
        let align = alignment == .none ? "" : " class=\"align-\(alignment.rawValue)\""
        out += header ? "<th scope=\"col\"\(align)>" : "<td\(align)>"
        renderInlines(cell.children, into: &out)
        out += header ? "</th>" : "</td>"
      }
      out += "</tr>\n"
    case .list(let ordered, let start, let isTight):
      if ordered {
        out += start == 1 ? "<ol>\n" : "<ol start=\"\(start)\">\n"
      } else {
        out += "<ul>\n"
      }
      for child in node.children { render(child, into: &out, tight: isTight, cursor: cursor) }
      out += ordered ? "</ol>\n" : "</ul>\n"
    case .item:
      out += "<li>"
      var first = true
      for child in node.children {
        if tight, case .paragraph = child.kind, figure(in: child) == nil {
          renderInlines(child.children, into: &out)
        } else {
          if first { out += "\n" }
          render(child, into: &out, tight: tight, cursor: cursor)
        }
        first = false
      }
      out += "</li>\n"
    case .codeBlock(let info, let literal):
      let language = info.split(separator: " ").first.map(String.init) ?? ""
      if language == "swift" {
        let html = site.pages[pageIndex].body.highlighted(literal, language: "swift", SwiftHighlighter.html)
        out += "<pre class=\"code\" tabindex=\"0\"><code class=\"language-swift\">\(html)</code></pre>\n"
      } else if language == "python" || language == "py" {
        let html = site.pages[pageIndex].body.highlighted(literal, language: "python", PythonHighlighter.html)
        out += "<pre class=\"code\" tabindex=\"0\"><code class=\"language-python\">\(html)</code></pre>\n"
      } else if language.isEmpty {
        out += "<pre class=\"code\" tabindex=\"0\"><code>\(HTML.escape(literal))</code></pre>\n"
      } else {
        out += "<pre class=\"code\" tabindex=\"0\"><code class=\"language-\(HTML.escape(language))\">\(HTML.escape(literal))</code></pre>\n"
      }
    case .htmlBlock(let html):
      if site.config.rawHTML == .allow {
        out += html
      } else {
        out += "<pre class=\"raw-html\" tabindex=\"0\"><code>\(HTML.escape(html))</code></pre>\n"
      }
    case .paragraph:
      if node.children.count == 1, case .link(let destination, let title) = node.children[0].kind,
        let mode = EmbedMode(rawValue: title.trimmedSpaces.lowercased()),
        case .snippet(let name, let slice)? = site.links[pageIndex][destination]
      {
        out += embed(name, slice, mode)
        return
      }
      if let (name, figure, source) = figure(in: node), let svg = figureSVG(name, figure) {
        cursor.figures += 1
        let alt = node.children[0].plainText.trimmedWhitespace
        let caption =
          "\(HTML.escape(alt)) <a class=\"figure-source\" href=\"\(HTML.escape(href(for: source)))\">\(HTML.escape(name)).swift</a>"
        out += FigureEmbed.html(svg: svg, label: alt, idPrefix: "\(idPrefix)fig\(cursor.figures)-", captionHTML: caption)
        return
      }
      if node.children.count == 1, case .math(_, true, _) = node.children[0].kind {
        renderInline(node.children[0], into: &out)
        out += "\n"
        return
      }
      out += "<p>"
      renderInlines(node.children, into: &out)
      out += "</p>\n"
    case .heading(let level):
      let id = idPrefix + (cursor.take() ?? Slug.make(node.plainText))
      out += "<h\(level) id=\"\(HTML.escape(id))\">"
      renderInlines(node.children, into: &out)
      out += "</h\(level)>\n"
    case .thematicBreak:
      out += "<hr>\n"
    default:
      renderInlines([node], into: &out)
    }
  }

  /// The snippet, figure name and link of a paragraph that holds only a figure.
  private func figure(in paragraph: MarkdownNode) -> (snippet: String, figure: String, source: String)? {
    guard paragraph.children.count == 1, case .image(let source, let title) = paragraph.children[0].kind,
      let figure = FigureEmbed.figureName(inTitle: title), case .snippet(let name, _)? = site.links[pageIndex][source]
    else { return nil }
    return (name, figure, source)
  }

  private func renderInlines(_ nodes: [MarkdownNode], into out: inout String) {
    for node in nodes { renderInline(node, into: &out) }
  }

  private func renderInline(_ node: MarkdownNode, into out: inout String) {
    switch node.kind {
    case .text(let text): out += HTML.escape(text)
    case .softBreak: out += "\n"
    case .lineBreak: out += "<br>\n"
    case .code(let code): out += "<code>\(HTML.escape(code))</code>"
    case .math(let tex, let display, _):
      switch TeXToMathML.convert(tex, display: display) {
      case .success(let mathML): out += mathML
      case .failure: out += "<code>\(HTML.escape(tex))</code>"  // reported by MarkdownChecks; never reached in a build
      }
    case .htmlInline(let html):
      out += site.config.rawHTML == .allow ? html : HTML.escape(html)
    case .emphasis:
      out += "<em>"
      renderInlines(node.children, into: &out)
      out += "</em>"
    case .strong:
      out += "<strong>"
      renderInlines(node.children, into: &out)
      out += "</strong>"
    case .link(let destination, let title):
      let href = href(for: destination)
      var attributes = "href=\"\(HTML.escape(href))\""
      if !title.isEmpty && EmbedMode(rawValue: title.lowercased()) == nil {
        attributes += " title=\"\(HTML.escape(title))\""
      }
      if case .external? = site.links[pageIndex][destination] {
        attributes += " rel=\"noopener noreferrer\" class=\"external\""
      }
      out += "<a \(attributes)>"
      renderInlines(node.children, into: &out)
      out += "</a>"
    case .image(let source, let title):
      let src = href(for: source)
      var attributes = "src=\"\(HTML.escape(src))\" alt=\"\(HTML.escape(node.plainText))\""
      if !title.isEmpty { attributes += " title=\"\(HTML.escape(title))\"" }
      out += "<img \(attributes) loading=\"lazy\">"
    default:
      renderInlines(node.children, into: &out)
    }
  }

  /// The rewritten href of a Markdown destination (unresolved ones were already diagnosed).
  func href(for destination: String) -> String {
    switch site.links[pageIndex][destination] {
    case .external(let url)?: return HTML.encodeURL(url)
    case .page(let target, let fragment)?:
      if target == pageIndex, let fragment, fromPath != nil, !idPrefix.isEmpty { return "#" + idPrefix + fragment }
      return SiteModel.href(from: from, to: site.pages[target].outputPath, fragment: fragment)
    case .snippet(let name, _)?: return SiteModel.href(from: from, to: "snippets/\(name).html")
    case .asset(let path)?: return HTML.encodeURL(SiteModel.href(from: from, to: path))
    case nil: return "#"
    }
  }
}
