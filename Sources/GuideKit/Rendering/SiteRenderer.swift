import Foundation
import Markdown
import Mustache

/// The Rendering stage, pure: turns the site model and the snippet runs into the contents of one
/// planned file at a time, through the Mustache templates. It knows nothing of render keys,
/// previous output or staging: the executor (``BuildExecutor``) decides what to render.
struct SiteRenderer: Sendable {
  let site: SiteModel
  let runs: [String: SnippetRun]
  let templates: MustacheLibrary
  /// Computed once: the footer's pages and the questions in reading order.
  let otherPages: [Page]
  let allQuestionIndexes: [Int]
  /// The previous build's search analysis of unchanged pages (nil: the index analyses every page).
  var searchAnalysis: SearchAnalysisCache?

  init(site: SiteModel, runs: [String: SnippetRun], templates: MustacheLibrary, searchAnalysis: SearchAnalysisCache? = nil) {
    self.searchAnalysis = searchAnalysis
    self.site = site
    self.runs = runs
    self.templates = templates
    // By index: a page is a large value, and the guide's pages are nearly all questions.
    self.otherPages = site.pages.indices.filter {
      site.pages[$0].kind == .page && !site.pages[$0].sourcePath.hasPrefix("use-case/")
    }.map { site.pages[$0] }.sorted { ($0.order, $0.title) < ($1.order, $1.title) }
    self.allQuestionIndexes = site.config.levels.flatMap { site.questionsByLevel[$0.id] ?? [] }
  }

  var config: GuideConfig { site.config }

  /// A question's part of an aggregate file, which the executor may copy from the previous build.
  struct Fragment: Sendable, Hashable {
    enum Kind: Sendable, Hashable, CaseIterable {
      /// Its text before the first `##` heading and the rest, on the print pages.
      case printFraming, printAnswer
      /// Its object in the quiz data.
      case quizItem
      /// Its note's line in the Anki decks (its level's and the whole guide's).
      case ankiNote
    }
    var page: Int
    var kind: Kind
  }

  /// A rendered file: text, text with question fragments to fill in, or several files (the
  /// search index and its shards).
  enum Rendered {
    enum Part {
      case text(String)
      case fragment(Fragment)
    }
    case text(String)
    case assembled([Part])
    case files([(path: String, contents: String)])
  }

  /// Work shared by the files of one batch. Empty now: the decks share their notes as fragments,
  /// which the executor makes once per batch.
  struct Memo {}

  /// The contents of one planned file.
  func render(_ file: BuildPlan.File, memo: inout Memo) -> Rendered {
    let path = file.path
    switch file.job {
    case .page(let index): return .text(renderPage(index))
    case .generatedLevel(let id):
      guard let level = config.level(id) else { return .text("") }
      return .text(renderTemplate("level", generatedLevelContext(level)))
    case .tagIndex: return .text(renderTemplate("tags", tagIndexContext()))
    case .tag(let id):
      guard let tag = config.tag(id) else { return .text("") }
      return .text(renderTemplate("tag", tagContext(tag)))
    case .snippetIndex: return .text(renderTemplate("snippets", snippetIndexContext()))
    case .snippet(let name):
      guard let snippet = site.snippet(named: name) else { return .text("") }
      return .text(renderTemplate("snippet", snippetContext(snippet)))
    case .search: return .text(renderTemplate("search", searchContext()))
    case .quiz: return .text(renderTemplate("quiz", quizContext()))
    case .random: return .text(renderTemplate("page", randomContext()))
    case .notFound: return .text(renderTemplate("404", notFoundContext()))
    case .robots: return .text(robots())
    case .sitemap(let paths): return .text(sitemap(paths))
    case .levelList(let level, let idsOnly): return .text(levelList(level: level, idsOnly: idsOnly))
    case .quizData(let level, let block): return .assembled(quizData(level: level, block: block))
    case .print(let level, let block): return .assembled(printPage(level: level, block: block, path: path))
    case .printContents: return .text(renderTemplate("print", printContentsContext()))
    case .anki(let level): return .assembled(ankiDeck(level: level))
    case .searchIndex: return .files(searchIndex().map { ($0.path, $0.contents ?? "") })
    case .copy: return .files([])
    }
  }

  /// The template context of a planned page (nil for files that are not pages), as the
  /// template reads it.
  func context(_ file: BuildPlan.File) -> [String: Any]? {
    typedContext(file).map { TemplateData.dictionary($0) }
  }

  /// The typed context of a planned page (nil for files that are not pages).
  func typedContext(_ file: BuildPlan.File) -> (any TemplateContext)? {
    switch file.job {
    case .page(let index): return pageContext(index).context
    case .generatedLevel(let id): return config.level(id).map(generatedLevelContext)
    case .tagIndex: return tagIndexContext()
    case .tag(let id): return config.tag(id).map(tagContext)
    case .snippetIndex: return snippetIndexContext()
    case .snippet(let name): return site.snippet(named: name).map(snippetContext)
    case .search: return searchContext()
    case .quiz: return quizContext()
    case .random: return randomContext()
    case .notFound: return notFoundContext()
    case .print(let level, let block): return printContext(level: level, block: block, path: file.path)
    case .printContents: return printContentsContext()
    default: return nil
    }
  }

  /// Renders a template with a typed context (converted by ``TemplateData``).
  func renderTemplate(_ template: String, _ context: some TemplateContext) -> String {
    templates.render(TemplateData.dictionary(context), withTemplate: template) ?? ""
  }

  // MARK: - The shared context

  func common(path: String, title: String, kind: String, id: String, summary: String = "") -> PageContext {
    let root = SiteModel.root(for: path)
    func link(_ target: String) -> String { root + target }
    return PageContext(
      site: .init(title: config.title, description: config.description, author: config.author),
      page: .init(
        title: title, kind: kind, is: [kind: true], id: id, path: path, summary: summary.isEmpty ? nil : summary,
        noindex: path == "search.html" || path == "random.html" ? true : nil),
      root: root, homeURL: link("index.html"), useCaseURL: link("use-case/index.html"), tipsURL: link("tips.html"),
      tagsURL: link("tags/index.html"), snippetsURL: link("snippets/index.html"), quizURL: link("quiz.html"),
      searchURL: link("search.html"), creditsURL: link("credits.html"), howToURL: link("how-to-use.html"),
      authoringURL: link("authoring.html"), searchIndexURL: link("assets/search-index.js"), printAllURL: link("print/all.html"),
      randomURL: link("random.html"), generator: "StudyGuide",
      levels: config.levels.map { level in
        .init(
          id: level.id, name: level.name, url: link("levels/\(level.id).html"), count: site.questionsByLevel[level.id]?.count ?? 0,
          isCurrent: kind != "home" && (path == "levels/\(level.id).html" || path.hasPrefix("questions/\(level.id)/")))
      },
      pages: otherPages.map { .init(title: $0.title, url: link($0.outputPath)) },
      canonicalURL: config.siteURL.map { $0 + (path == "index.html" ? "" : path) }, siteURL: config.siteURL)
  }

  func breadcrumbs(_ items: [(String, String)], from path: String) -> [PageContext.Link] {
    [PageContext.Link(title: "Home", url: SiteModel.href(from: path, to: "index.html"))]
      + items.map { PageContext.Link(title: $0.0, url: SiteModel.href(from: path, to: $0.1)) }
  }

  func levelName(_ page: Page) -> String { page.levelID.flatMap { config.level($0)?.name } ?? "" }

  func tagLink(_ id: String, from path: String) -> ContentPageContext.TagLink {
    .init(id: id, name: config.tag(id)?.name ?? id, url: SiteModel.href(from: path, to: "tags/\(id).html"))
  }

  func questionSummary(_ index: Int, from path: String) -> ContentPageContext.QuestionSummary {
    let q = site.pages[index]
    return .init(
      id: q.id, title: q.title, url: SiteModel.href(from: path, to: q.outputPath), summary: q.summary, levelName: levelName(q),
      levelID: q.levelID ?? "", fromArticle: q.fromArticle, tags: q.tagIDs.map { tagLink($0, from: path) })
  }

  func pageLinks(_ indexes: [Int], from path: String) -> [ContentPageContext.PageLink] {
    indexes.map {
      let p = site.pages[$0]
      return .init(title: p.title, url: SiteModel.href(from: path, to: p.outputPath), levelName: levelName(p))
    }
  }

  // MARK: - Markdown to HTML

  func renderer(for index: Int, fromPath: String? = nil, idPrefix: String = "") -> MarkdownHTMLRenderer {
    let from = fromPath ?? site.pages[index].outputPath
    var r = MarkdownHTMLRenderer(site: site, pageIndex: index) { name, slice, mode in
      self.embedHTML(name: name, slice: slice, mode: mode, from: from)
    }
    r.fromPath = fromPath
    r.idPrefix = idPrefix
    r.figureSVG = { snippet, figure in self.runs[snippet]?.figures.first { $0.name == figure }?.svg }
    return r
  }

  /// Pages and snippets a page's Markdown links to (embeds excepted: an embedded snippet is shown, not linked).
  func linkedFromBody(_ index: Int) -> (pages: Set<Int>, snippets: Set<String>) {
    var pages: Set<Int> = []
    var snippets: Set<String> = []
    for link in site.pages[index].links where link.embed == nil {
      switch site.links[index][link.destination] {
      case .page(let target, _)?: pages.insert(target)
      case .snippet(let name, _)?: snippets.insert(name)
      default: break
      }
    }
    return (pages, snippets)
  }

  /// Whether a top-level block opens one of the answer's sections (a `#` or `##` heading): the
  /// framing ends at the first one.
  static func startsAnswerSection(_ block: MarkdownNode) -> Bool {
    if case .heading(let level) = block.kind { return level <= 2 }
    return false
  }

  /// Body HTML split at the first `##` heading: (framing, answer). For non-questions, all is framing.
  func bodyHTML(_ index: Int, split: Bool, fromPath: String? = nil, idPrefix: String = "") -> (String, String) {
    let page = site.pages[index]
    let r = renderer(for: index, fromPath: fromPath, idPrefix: idPrefix)
    let cursor = MarkdownHTMLRenderer.HeadingCursor(page.headings)
    let blocks = page.document.children
    guard split else { return (r.render(blocks[...], cursor: cursor), "") }
    let firstH2 = blocks.firstIndex(where: Self.startsAnswerSection) ?? blocks.count
    let framing = r.render(blocks[..<firstH2], cursor: cursor)
    let answer = r.render(blocks[firstH2...], cursor: cursor)
    return (framing, answer)
  }

  // MARK: - Snippets

  func outputHTML(_ snippet: Snippet) -> String {
    guard let run = runs[snippet.name] else { return "" }
    if let expected = snippet.expected, case .success(let lines) = expected.match(run.stdout) {
      return lines.map { pieces in
        pieces.map { $0.isMeasured ? "<span data-measured=\"\">\(HTML.escape($0.text))</span>" : HTML.escape($0.text) }.joined()
      }.joined(separator: "\n")
    }
    var text = run.stdout
    if text.hasSuffix("\n") { text.removeLast() }
    return HTML.escape(text)
  }

  func embedHTML(name: String, slice: String?, mode: EmbedMode, from path: String) -> String {
    guard let snippet = site.snippet(named: name) else { return "" }
    let source = slice.flatMap { snippet.slices[$0] } ?? snippet.visibleSource
    let url = SiteModel.href(from: path, to: snippet.outputPath)
    var html = "<figure class=\"snippet\">\n<figcaption><a href=\"\(HTML.escape(url))\">\(HTML.escape(snippet.name)).swift</a>"
    html += " · \(HTML.escape(snippet.title))\(slice.map { " (\(HTML.escape($0)))" } ?? "")</figcaption>\n"
    if mode != .output {
      html += "<pre class=\"snippet-code\" tabindex=\"0\"><code class=\"language-swift\">\(SwiftHighlighter.html(source))</code></pre>\n"
    }
    if mode != .code {
      html +=
        "<p class=\"snippet-output-label\">Output</p>\n<pre class=\"snippet-output\" tabindex=\"0\"><samp>\(outputHTML(snippet))</samp></pre>\n"
    }
    html += "</figure>\n"
    return html
  }
}
