import Markdown

/// Checks of a page's Markdown beyond links: the problems ``MarkdownLint`` finds (malformed tables,
/// unsupported syntax), every formula (converted once here, so a mistake is reported at its
/// line and column before anything is rendered), images' alt text, and figures.
enum MarkdownChecks {
  /// The Link stage's checks of one page (`source` is its whole file).
  static func check(_ page: Page, source: String, config: GuideConfig) -> [Diagnostic] {
    let path = page.displayPath
    var out = MarkdownLint.problems(in: page.document, source: source, rawHTMLEscaped: config.rawHTML == .escape).map {
      Diagnostic($0.severity == .error ? .error : .warning, path: path, location: $0.location, message: $0.message, hint: $0.hint)
    }
    var stack = [page.document]
    while let node = stack.popLast() {
      if case .math(let tex, let display, let lines) = node.kind,
        case .failure(let error) = TeXToMathML.convert(tex, display: display)
      {
        out.append(
          .error(path, location(of: error.offset, in: tex, lines: lines, fallback: node.range.start), error.message, hint: error.hint))
      }
      stack.append(contentsOf: node.children)
    }
    return out
  }

  /// The source position of byte `offset` of a formula whose lines start at `lines`.
  static func location(of offset: Int, in tex: String, lines: [SourceLocation], fallback: SourceLocation) -> SourceLocation {
    var line = 0
    var lineStart = 0
    for (i, byte) in tex.utf8.enumerated() where i < offset && byte == UInt8(ascii: "\n") {
      line += 1
      lineStart = i + 1
    }
    guard line < lines.count else { return fallback }
    return SourceLocation(line: lines[line].line, column: lines[line].column + offset - lineStart)
  }

  // MARK: - Images and figures

  /// Images and figures of every page, once the snippets have run (`runs` nil: snippets were
  /// not run, so only what needs no run is checked).
  static func figures(_ site: SiteModel, runs: [String: SnippetRun]?) -> [Diagnostic] {
    var out: [Diagnostic] = []
    // Every image is among the page's links, except inside an embed link (not collected further):
    // a page with neither has no image to check, and its tree is not walked.
    // (By index, and asked of the page's outline: a restored page's links are not decoded.)
    for index in site.pages.indices where site.pages[index].outline.hasImagesOrEmbeds {
      let page = site.pages[index]
      var stack: [(node: MarkdownNode, parent: MarkdownNode?)] = [(page.document, nil)]
      while let (node, parent) = stack.popLast() {
        stack.append(contentsOf: node.children.reversed().map { ($0, node) })
        guard case .image(let source, let title) = node.kind else { continue }
        out += checkImage(
          node, source: source, title: title, standsAlone: parent.map(isAlone) ?? false, page: page, links: site.links[index],
          runs: runs)
      }
    }
    return out
  }

  static func isAlone(_ paragraph: MarkdownNode) -> Bool {
    guard case .paragraph = paragraph.kind else { return false }
    return paragraph.children.count == 1
  }

  static func checkImage(
    _ node: MarkdownNode, source: String, title: String, standsAlone: Bool, page: Page, links: [String: ResolvedLink],
    runs: [String: SnippetRun]?
  ) -> [Diagnostic] {
    let path = page.displayPath
    let at = node.range.start
    let alt = node.plainText.trimmedWhitespace
    let figure = FigureEmbed.figureName(inTitle: title)
    let resolved = links[source]
    guard let figure else {
      if case .snippet(let name, _)? = resolved {
        return [
          .error(
            path, at, "an image of snippet '\(name)' needs the title \"figure NAME\"",
            hint: "write ![what it shows](\(source) \"figure NAME\") with the name the snippet saved the figure under")
        ]
      }
      if alt.isEmpty && resolved != nil {
        return [
          .warning(
            path, at, "image has no alt text", hint: "describe what it shows for screen readers: ![a diagram of …](\(source))")
        ]
      }
      return []
    }
    guard let resolved else { return [] }  // an unresolved link was reported already
    guard case .snippet(let name, _) = resolved else {
      return [
        .error(
          path, at, "only snippets draw figures: '\(source)' is not a snippet",
          hint: "link a snippet (../../snippets/NAME.swift \"figure FIG\"), or drop the title for an ordinary image")
      ]
    }
    var out: [Diagnostic] = []
    if figure.isEmpty {
      out.append(.error(path, at, "figure title names no figure", hint: "write \"figure NAME\", e.g. \"figure pr-curve\""))
    }
    if alt.isEmpty {
      out.append(
        .error(
          path, at, "figure '\(figure)' has no alt text",
          hint: "describe what the figure shows in the brackets, e.g. ![Precision against recall for …](…)"))
    }
    if !standsAlone {
      out.append(
        .error(
          path, at, "figure '\(figure)' must stand alone in its paragraph",
          hint: "put the ![…](… \"figure \(figure)\") line between blank lines"))
    }
    guard let runs, !figure.isEmpty else { return out }
    guard let run = runs[name] else {
      out.append(
        .error(
          path, at, "figure '\(figure)' comes from snippet '\(name)', which failed",
          hint: "fix the snippet first (its error is reported above)"))
      return out
    }
    guard let svg = run.figures.first(where: { $0.name == figure }) else {
      let names = run.figures.map(\.name)
      let hint: String
      if names.isEmpty {
        hint = "it saved no figure; a snippet saves NAME.svg into the folder named by $GUIDE_FIGURES_DIR (see the authoring page)"
      } else if let match = Suggestions.closest(to: figure, in: names) {
        hint = "did you mean '\(match)'? it drew: \(names.joined(separator: ", "))"
      } else {
        hint = "it drew: \(names.joined(separator: ", "))"
      }
      out.append(.error(path, at, "snippet '\(name)' did not draw a figure '\(figure)'", hint: hint))
      return out
    }
    if let reason = FigureEmbed.unsafeContent(in: svg.svg) {
      out.append(
        .error(
          path, at, "figure '\(figure)' of snippet '\(name)' contains \(reason)",
          hint: "figures are drawn with plain SVG shapes and text; they are inlined into the page"))
    }
    return out
  }
}
