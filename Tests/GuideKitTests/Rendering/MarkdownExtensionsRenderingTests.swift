import Foundation
import Markdown
import Testing

@testable import GuideKit

private let squareSVG =
  "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"presentation\" viewBox=\"0 0 10 10\">"
  + "<title>A square</title><defs><clipPath id=\"c\"><rect width=\"5\" height=\"5\"/></clipPath></defs>"
  + "<rect clip-path=\"url(#c)\" width=\"10\" height=\"10\"/><use href=\"#c\"/></svg>\n"

private func run(_ name: String, figures: [SnippetFigure]) -> SnippetRun {
  SnippetRun(name: name, stdout: "", stderr: "", runSeconds: 0, compileSeconds: 0, fromCache: true, figures: figures)
}

/// Renders the probe page of ``InMemoryGuide`` with the figures of `runs`.
private func render(_ body: String, runs: [String: SnippetRun] = [:]) -> (html: String, diagnostics: [Diagnostic]) {
  let (site, errors, probe) = InMemoryGuide.link(probe: body)
  var renderer = MarkdownHTMLRenderer(site: site, pageIndex: probe) { _, _, _ in "" }
  renderer.figureSVG = { snippet, figure in runs[snippet]?.figures.first { $0.name == figure }?.svg }
  let cursor = MarkdownHTMLRenderer.HeadingCursor(site.pages[probe].headings)
  let html = renderer.render(site.pages[probe].document.children[...], cursor: cursor)
  let figureDiagnostics = MarkdownChecks.figures(site, runs: runs).filter { $0.path == "Guide/questions/junior/probe.md" }
  return (html, errors + figureDiagnostics)
}

@Suite struct FigureEmbeddingTests {
  @Test func embedsTheSnippetsFigureWithItsAltTextAndPrefixedIDs() {
    let (html, diagnostics) = render(
      "![Two boxes and their overlap](../../snippets/iou.swift \"figure overlap\")\n\n"
        + "![The same again](../../snippets/iou.swift \"figure overlap\")\n",
      runs: ["iou": run("iou", figures: [SnippetFigure(name: "overlap", svg: squareSVG)])])
    #expect(diagnostics.isEmpty)
    #expect(
      html.hasPrefix(
        "<figure class=\"figure\">\n<div class=\"figure-body\"><svg role=\"img\" aria-label=\"Two boxes and their overlap\" xmlns="))
    #expect(!html.contains("<?xml"))
    #expect(!html.contains("role=\"presentation\""))
    #expect(html.contains("<clipPath id=\"fig1-c\">"))
    #expect(html.contains("clip-path=\"url(#fig1-c)\""))
    #expect(html.contains("<use href=\"#fig1-c\"/>"))
    // The second figure on the page gets its own ids.
    #expect(html.contains("<clipPath id=\"fig2-c\">"))
    #expect(
      html.contains(
        "<figcaption>Two boxes and their overlap <a class=\"figure-source\" href=\"../../snippets/iou.html\">iou.swift</a></figcaption>"))
  }

  @Test func aFigureInATightListItemIsStillAFigure() {
    let (html, diagnostics) = render(
      "- ![Two boxes](../../snippets/iou.swift \"figure overlap\")\n- next\n",
      runs: ["iou": run("iou", figures: [SnippetFigure(name: "overlap", svg: squareSVG)])])
    #expect(diagnostics.isEmpty)
    #expect(html.hasPrefix("<ul>\n<li>\n<figure class=\"figure\">"))
    #expect(!html.contains("<img"))
  }

  @Test func aFigureTheSnippetDidNotDrawSuggestsTheClosestName() throws {
    let (_, diagnostics) = render(
      "![Overlap](../../snippets/iou.swift \"figure overlop\")\n",
      runs: ["iou": run("iou", figures: [SnippetFigure(name: "overlap", svg: squareSVG), SnippetFigure(name: "union", svg: squareSVG)])])
    let error = try #require(diagnostics.first)
    #expect(diagnostics.count == 1)
    #expect(error.description == "Guide/questions/junior/probe.md:6:1: error: snippet 'iou' did not draw a figure 'overlop'")
    #expect(error.hint == "did you mean 'overlap'? it drew: overlap, union")
  }

  @Test func emptyAltTextFailedSnippetAndMisplacedFiguresAreErrors() {
    let (_, failed) = render("![Overlap](../../snippets/iou.swift \"figure overlap\")\n", runs: [:])
    #expect(failed.map(\.message) == ["figure 'overlap' comes from snippet 'iou', which failed"])
    let runs = ["iou": run("iou", figures: [SnippetFigure(name: "overlap", svg: squareSVG)])]
    let (_, noAlt) = render("![](../../snippets/iou.swift \"figure overlap\")\n", runs: runs)
    #expect(noAlt.map(\.message) == ["figure 'overlap' has no alt text"])
    let (_, inline) = render("See ![Overlap](../../snippets/iou.swift \"figure overlap\") here.\n", runs: runs)
    #expect(inline.map(\.message) == ["figure 'overlap' must stand alone in its paragraph"])
    let (_, noTitle) = render("![Overlap](../../snippets/iou.swift)\n", runs: runs)
    #expect(noTitle.map(\.message) == ["an image of snippet 'iou' needs the title \"figure NAME\""])
  }

  @Test func scriptInAFigureIsRefused() {
    let evil = "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect onclick=\"alert(1)\"/></svg>"
    let (_, diagnostics) = render(
      "![Overlap](../../snippets/iou.swift \"figure overlap\")\n",
      runs: ["iou": run("iou", figures: [SnippetFigure(name: "overlap", svg: evil)])])
    #expect(diagnostics.map(\.message) == ["figure 'overlap' of snippet 'iou' contains an event-handler attribute 'onclick'"])
    #expect(FigureEmbed.unsafeContent(in: "<svg><script>x</script></svg>") == "a <script> element")
    #expect(FigureEmbed.unsafeContent(in: squareSVG) == nil)
  }

  @Test func inlineSVGKeepsTheRestOfTheDocument() {
    let svg = FigureEmbed.inline(
      "<svg aria-labelledby=\"t\" viewBox='0 0 1 1'><g id='a'/></svg>", label: "A \"quoted\" <label>", idPrefix: "p-")
    #expect(svg == "<svg role=\"img\" aria-label=\"A &quot;quoted&quot; &lt;label&gt;\" viewBox='0 0 1 1'><g id='p-a'/></svg>")
    #expect(FigureEmbed.title(of: squareSVG) == "A square")
    #expect(FigureEmbed.figureName(inTitle: "figure pr-curve") == "pr-curve")
    #expect(FigureEmbed.figureName(inTitle: "Figure  pr-curve") == "pr-curve")
    #expect(FigureEmbed.figureName(inTitle: "a picture") == nil)
  }

  @Test func ordinaryImagesKeepWorkingAndWarnWithoutAltText() throws {
    let (site, _, probe) = InMemoryGuide.link(probe: "![](pic.png)\n")
    let image = try #require(site.pages[probe].document.children.first?.children.first)
    let warnings = MarkdownChecks.checkImage(
      image, source: "pic.png", title: "", standsAlone: true, page: site.pages[probe],
      links: ["pic.png": .asset("questions/junior/pic.png")],
      runs: [:])
    #expect(warnings.map(\.description) == ["Guide/questions/junior/probe.md:6:1: warning: image has no alt text"])
    var renderer = MarkdownHTMLRenderer(site: site, pageIndex: probe) { _, _, _ in "" }
    renderer.figureSVG = { _, _ in nil }
    let html = renderer.render(site.pages[probe].document.children[...], cursor: .init([]))
    #expect(html.hasPrefix("<p><img src="))
  }
}

@Suite struct MarkdownRenderingTests {
  @Test func rendersAnAccessibleScrollableTable() {
    let (html, diagnostics) = render("| Metric | Value |\n| :--- | ---: |\n| **IoU** | $0.5$ |\n")
    #expect(diagnostics.isEmpty)
    #expect(
      html == """
        <div class="table-scroll" tabindex="0">
        <table>
        <thead>
        <tr><th scope="col" class="align-left">Metric</th><th scope="col" class="align-right">Value</th></tr>
        </thead>
        <tbody>
        <tr><td class="align-left"><strong>IoU</strong></td><td class="align-right"><math><mn>0.5</mn></math></td></tr>
        </tbody>
        </table>
        </div>

        """)
  }

  @Test func rendersCalloutsWithTheirLabel() {
    let (html, _) = render("> [!CAUTION]\n> Do not divide by *zero*.\n")
    #expect(
      html
        == "<aside class=\"callout caution\" role=\"note\" aria-label=\"Caution\">\n<p class=\"callout-title\">Caution</p>\n"
        + "<p>Do not divide by <em>zero</em>.</p>\n</aside>\n")
  }

  @Test func rendersDisplayMathOutsideAParagraphAndInlineMathInside() {
    let (html, _) = render("$$x^2$$\n\nArea $a$ costs $5.\n")
    #expect(
      html == "<math display=\"block\"><msup><mi>x</mi><mn>2</mn></msup></math>\n<p>Area <math><mi>a</mi></math> costs $5.</p>\n")
  }

  @Test func formulaMistakesAreReportedAtTheirLineAndColumn() {
    let page = InMemoryGuide.question("Probe", body: "Inline $a \\foo$.\n\n$$\na +\n  \\bar{x} \\begin{x}\n$$\n")
    let (_, diagnostics) = SiteLinker.link(InMemoryGuide.sources(["questions/junior/probe.md": page]), jobs: 1)
    #expect(
      diagnostics.filter { $0.severity == .error }.sorted().map(\.description) == [
        "Guide/questions/junior/probe.md:6:11: error: unsupported TeX command '\\foo'",
        "Guide/questions/junior/probe.md:10:11: error: unsupported TeX command '\\begin': environments are not supported",
      ])
  }

  @Test func figuresAndMathAreNotSearchText() {
    let (site, _, probe) = InMemoryGuide.link(
      probe: "Words $\\frac{a}{b}$ more.\n\n![Overlap plot](../../snippets/iou.swift \"figure overlap\")\n")
    let text = SearchSections.text(of: site.pages[probe].document)
    #expect(text.contains("Words"))
    #expect(!text.contains("frac"))
    #expect(!text.contains("Overlap plot"))
  }
}

@Suite struct FigurePagesTests {
  static let templates: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Templates")

  @Test func theSnippetPageShowsEveryFigureAndTheQuestionPageEmbedsOne() throws {
    let (site, errors, probe) = InMemoryGuide.link(
      probe: "## 60-second answer\n\n![Two boxes](../../snippets/iou.swift \"figure overlap\")\n")
    #expect(errors.isEmpty)
    let (library, diagnostics, _) = TemplateLoader.load(Self.templates)
    #expect(diagnostics.isEmpty)
    let templates = try #require(library)
    let runs = [
      "iou": run(
        "iou",
        figures: [SnippetFigure(name: "overlap", svg: squareSVG), SnippetFigure(name: "union", svg: "<svg viewBox=\"0 0 1 1\"></svg>")])
    ]
    let renderer = SiteRenderer(site: site, runs: runs, templates: templates)
    let snippet = try #require(site.snippet(named: "iou"))
    let snippetPage = renderer.renderTemplate("snippet", renderer.snippetContext(snippet))
    #expect(snippetPage.contains("<h2 id=\"snippet-figures\">Figures</h2>"))
    #expect(snippetPage.contains("<figure class=\"figure\" id=\"figure-overlap\">"))
    #expect(snippetPage.contains("<svg role=\"img\" aria-label=\"A square\""))
    #expect(snippetPage.contains("<clipPath id=\"figure-overlap-c\">"))
    #expect(snippetPage.contains("aria-label=\"Figure &#39;union&#39; drawn by iou.swift\""))
    let question = renderer.renderPage(probe)
    #expect(question.contains("<svg role=\"img\" aria-label=\"Two boxes\""))
    #expect(question.contains("<clipPath id=\"fig1-c\">"))
  }
}
