import Foundation
import Markdown
import Mustache

/// The Rendering stage: turns the site model and the snippet runs into the site's files, through
/// the Mustache templates.
struct SiteRenderer {
  let site: SiteModel
  let runs: [String: SnippetRun]
  let templates: MustacheLibrary
  /// Computed once: the footer's pages and the questions in reading order.
  let otherPages: [Page]
  let allQuestionIndexes: [Int]
  /// Render keys and the previous output, for incremental builds (nil: render everything).
  let keys: RenderKeys?
  let previous: PreviousOutput?

  init(
    site: SiteModel, runs: [String: SnippetRun], templates: MustacheLibrary, keys: RenderKeys? = nil, previous: PreviousOutput? = nil
  ) {
    self.site = site
    self.runs = runs
    self.templates = templates
    self.keys = keys
    self.previous = previous
    self.otherPages = site.pages.filter { $0.kind == .page && !$0.sourcePath.hasPrefix("use-case/") }.sorted {
      ($0.order, $0.title) < ($1.order, $1.title)
    }
    self.allQuestionIndexes = site.config.levels.flatMap { site.questionsByLevel[$0.id] ?? [] }
  }

  /// A file of the built site.
  struct OutputFile: Sendable {
    var path: String
    var contents: String
  }

  /// A file the build produced: rendered (`contents`), or linked unchanged from the previous
  /// output (`contents` nil). `key` is its render key ("" without keys).
  struct Produced: Sendable {
    var path: String
    var key: String
    var contents: String?
    /// Where each question's part lies in the file (aggregates only), for the next build.
    var segments: [Segment] = []
  }

  /// Files whose keys are all unchanged are linked from the previous output; otherwise all of
  /// them are rendered by `render` (which returns them in the same order as `paths`).
  func produce(_ paths: [String], key: (String) -> String?, render: () -> [OutputFile]) -> [Produced] {
    if let previous, previous.reuse(paths, key: key) {
      return paths.map { Produced(path: $0, key: key($0) ?? "", contents: nil) }
    }
    return render().map { Produced(path: $0.path, key: key($0.path) ?? "", contents: $0.contents) }
  }

  var config: GuideConfig { site.config }

  // MARK: - Common context

  func common(path: String, title: String, kind: String, id: String, summary: String = "") -> [String: Any] {
    let root = SiteModel.root(for: path)
    func link(_ target: String) -> String { root + target }
    // `page.is.search` and the like: a template can test the page's kind.
    var page: [String: Any] = ["title": title, "kind": kind, "is": [kind: true], "id": id, "path": path]
    if !summary.isEmpty { page["summary"] = summary }
    // Pages with no content of their own are kept out of search engines (and out of sitemap.xml).
    if path == "search.html" || path == "random.html" { page["noindex"] = true }
    var context: [String: Any] = [
      "site": ["title": config.title, "description": config.description, "author": config.author],
      "page": page,
      "root": root,
      "homeURL": link("index.html"), "useCaseURL": link("use-case/index.html"), "tipsURL": link("tips.html"),
      "tagsURL": link("tags/index.html"), "snippetsURL": link("snippets/index.html"), "quizURL": link("quiz.html"),
      "searchURL": link("search.html"), "creditsURL": link("credits.html"), "howToURL": link("how-to-use.html"),
      "authoringURL": link("authoring.html"), "searchIndexURL": link("assets/search-index.js"),
      "printAllURL": link("print/all.html"), "randomURL": link("random.html"),
      "generator": "StudyGuide",
      "levels": config.levels.map { level -> [String: Any] in
        [
          "id": level.id, "name": level.name, "url": link("levels/\(level.id).html"),
          "count": site.questionsByLevel[level.id]?.count ?? 0,
          "isCurrent": kind != "home" && (path == "levels/\(level.id).html" || path.hasPrefix("questions/\(level.id)/")),
        ]
      },
      "pages": otherPages.map { ["title": $0.title, "url": link($0.outputPath)] },
    ]
    if let siteURL = config.siteURL {
      context["canonicalURL"] = siteURL + (path == "index.html" ? "" : path)
      context["siteURL"] = siteURL
    }
    return context
  }

  func tocContext(_ page: Page) -> [[String: Any]] {
    page.headings.filter { $0.level == 2 || $0.level == 3 }.map { ["id": $0.id, "title": $0.title, "depth": $0.level] }
  }

  func questionSummary(_ index: Int, from path: String) -> [String: Any] {
    let q = site.pages[index]
    let levelName = q.levelID.flatMap { config.level($0)?.name } ?? ""
    return [
      "id": q.id, "title": q.title, "url": SiteModel.href(from: path, to: q.outputPath), "summary": q.summary,
      "levelName": levelName, "levelID": q.levelID ?? "", "fromArticle": q.fromArticle,
      "tags": q.tagIDs.map { tagLink($0, from: path) },
    ]
  }

  func tagLink(_ id: String, from path: String) -> [String: Any] {
    ["id": id, "name": config.tag(id)?.name ?? id, "url": SiteModel.href(from: path, to: "tags/\(id).html")]
  }

  func pageLinks(_ indexes: [Int], from path: String) -> [[String: Any]] {
    indexes.map {
      let p = site.pages[$0]
      return [
        "title": p.title, "url": SiteModel.href(from: path, to: p.outputPath),
        "levelName": p.levelID.flatMap { config.level($0)?.name } ?? "",
      ]
    }
  }

  func snippetLinks(_ names: [String], from path: String) -> [[String: Any]] {
    names.compactMap { site.snippet(named: $0) }.map {
      ["name": $0.name, "title": $0.title, "url": SiteModel.href(from: path, to: $0.outputPath)]
    }
  }

  func breadcrumbs(_ items: [(String, String)], from path: String) -> [[String: Any]] {
    [["title": "Home", "url": SiteModel.href(from: path, to: "index.html")]]
      + items.map { ["title": $0.0, "url": SiteModel.href(from: path, to: $0.1)] }
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

  /// Body HTML split at the first `##` heading: (framing, answer). For non-questions, all is framing.
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

  func bodyHTML(_ index: Int, split: Bool, fromPath: String? = nil, idPrefix: String = "") -> (String, String) {
    let page = site.pages[index]
    let r = renderer(for: index, fromPath: fromPath, idPrefix: idPrefix)
    let cursor = MarkdownHTMLRenderer.HeadingCursor(page.headings)
    let blocks = page.document.children
    guard split else { return (r.render(blocks[...], cursor: cursor), "") }
    let firstH2 =
      blocks.firstIndex {
        if case .heading(let level) = $0.kind { return level <= 2 }
        return false
      } ?? blocks.count
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

  // MARK: - Pages

  func render(_ template: String, _ context: [String: Any]) -> String {
    templates.render(context, withTemplate: template) ?? ""
  }

  /// Renders every file and hands each to `sink` as soon as it is ready (from several threads), so
  /// the site is never held in memory whole. Files whose render key is unchanged are linked from
  /// the previous output instead. Returns every file of the site with its key, sorted by path.
  func renderAll(
    jobs: Int, extra: [@Sendable () -> [Produced]] = [], sink: @escaping @Sendable (OutputFile) -> Void
  ) -> [Produced] {
    let structural: (String) -> String? = { _ in keys?.structure }
    // The long tasks first (the search index, the quiz data, the print pages), so that they run
    // beside the short ones.
    var tasks: [() -> [Produced]] = extra.map { task in { task() } }
    // The quiz data, one file per level: an edit rewrites its level's file only.
    for level in config.levels {
      tasks.append { [self] in
        let path = Self.quizDataPath(level.id)
        let questions = site.questionsByLevel[level.id] ?? []
        let key = keys?.aggregate(path, pages: questions)
        if let key, let previous, previous.reuse([path], key: { _ in key }) {
          return [Produced(path: path, key: key, contents: nil, segments: previous.segments(of: path))]
        }
        var file = renderQuizData(path: path, questions: questions)
        file.key = key ?? ""
        return [file]
      }
    }
    tasks.append { [self] in renderPrintPages() }
    tasks.append { [self] in
      // Each deck is keyed on its own questions: an edit rewrites its level's deck and the whole
      // guide's, and keeps the other levels' decks.
      let decks = config.levels.map { ("anki/\($0.id).txt", site.questionsByLevel[$0.id] ?? []) } + [("anki/all.txt", allQuestionIndexes)]
      let deckKeys = Dictionary(decks.map { ($0.0, keys?.aggregate($0.0, pages: $0.1)) }, uniquingKeysWith: { a, _ in a })
      var produced: [Produced] = []
      var stale: Set<String> = []
      for (path, _) in decks {
        if let key = deckKeys[path] ?? nil, let previous, previous.reuse([path], key: { _ in key }) {
          produced.append(Produced(path: path, key: key, contents: nil))
        } else {
          stale.insert(path)
        }
      }
      guard !stale.isEmpty else { return produced }
      for file in renderAnkiDecks() where stale.contains(file.path) {
        produced.append(Produced(path: file.path, key: (deckKeys[file.path] ?? nil) ?? "", contents: file.contents))
      }
      return produced
    }
    tasks.append { [self] in
      var paths = ["search.html", "quiz.html", "random.html", "404.html"]
      if config.siteURL != nil { paths.append("sitemap.xml") }
      paths.append("robots.txt")
      return produce(paths, key: structural) { renderSpecialPages() }
    }
    tasks.append { [self] in
      produce(["tags/index.html"] + config.tags.map { "tags/\($0.id).html" }, key: structural) { renderTags() }
    }
    tasks.append { [self] in
      let runsByPath = Dictionary(site.snippets.map { ($0.outputPath, runs[$0.name]) }, uniquingKeysWith: { a, _ in a })
      return produce(["snippets/index.html"] + site.snippets.map(\.outputPath)) { path in
        path == "snippets/index.html" ? keys?.structure : keys?.snippetPage(runsByPath[path] ?? nil)
      } render: {
        renderSnippetPages()
      }
    }
    for level in config.levels where site.levelPages[level.id] == nil {
      tasks.append { [self] in produce(["levels/\(level.id).html"], key: structural) { [renderGeneratedLevel(level)] } }
    }
    for index in site.pages.indices {
      tasks.append { [self] in
        produce([site.pages[index].outputPath], key: { _ in keys?.page(index) }) { [renderPage(index)] }
      }
    }
    let boxes = tasks.map { TaskBox(run: $0) }
    let results = ParallelMap.map(boxes, jobs: jobs) { box -> [Produced] in
      var files = box.run()
      for i in files.indices {
        if let contents = files[i].contents { sink(OutputFile(path: files[i].path, contents: contents)) }
        files[i].contents = nil
      }
      return files
    }
    return results.flatMap { $0 }.sorted { $0.path < $1.path }
  }

  struct TaskBox: @unchecked Sendable {
    let run: () -> [Produced]
  }

  func renderPage(_ index: Int) -> OutputFile {
    let page = site.pages[index]
    let path = page.outputPath
    var context = common(path: path, title: page.title, kind: page.kind.rawValue, id: page.id, summary: page.summary)
    context["toc"] = tocContext(page)
    context["hasToc"] = page.headings.contains { $0.level == 2 }
    // One list of links per page, none repeated: the page's own links (its "Try it" and "Related"
    // sections) are not listed again below it.
    let linked = linkedFromBody(index)
    let backlinks = site.backlinks[index].filter { !linked.pages.contains($0) }
    context["backlinks"] = pageLinks(backlinks, from: path)
    context["hasBacklinks"] = !backlinks.isEmpty
    let snippets = site.snippetsOfPage[index].filter { !linked.snippets.contains($0) }
    context["snippets"] = snippetLinks(snippets, from: path)
    context["hasSnippets"] = !snippets.isEmpty
    let level = page.levelID.flatMap { config.level($0) }
    if let level {
      context["level"] = ["id": level.id, "name": level.name, "url": SiteModel.href(from: path, to: "levels/\(level.id).html")]
    }
    let template: String
    switch page.kind {
    case .home:
      template = "home"
      context["contentHtml"] = bodyHTML(index, split: false).0
      context["levelCards"] = config.levels.map { level -> [String: Any] in
        let ids = (site.questionsByLevel[level.id] ?? []).map { site.pages[$0].id }
        let summary = site.levelPages[level.id].map { site.pages[$0].summary } ?? ""
        return [
          "id": level.id, "name": level.name, "url": "levels/\(level.id).html", "summary": summary, "count": ids.count,
          "questionIdsJSON": JSON.encode(ids),
        ]
      }
      if let overview = site.pages.first(where: { $0.sourcePath == "use-case/index.md" }) {
        context["useCase"] = ["title": overview.title, "url": SiteModel.encodePath(overview.outputPath), "summary": overview.summary]
      }
      context["useCaseLevels"] = config.levels.compactMap { level -> [String: Any]? in
        guard let i = site.useCasePages[level.id] else { return nil }
        return ["name": level.name, "url": SiteModel.encodePath(site.pages[i].outputPath), "title": site.pages[i].title]
      }
      context["breadcrumbs"] = [[String: Any]]()
    case .page where page.sourcePath == "how-to-use.md":
      // The how-to-use page offers the Anki decks the build writes (renderAnkiDecks).
      template = "page"
      context["contentHtml"] = bodyHTML(index, split: false).0
      context["ankiDecks"] =
        config.levels.map { level -> [String: Any] in
          [
            "name": "\(level.name) deck", "url": SiteModel.href(from: path, to: "anki/\(level.id).txt"),
            "count": site.questionsByLevel[level.id]?.count ?? 0,
          ]
        } + [["name": "The whole guide", "url": SiteModel.href(from: path, to: "anki/all.txt"), "count": allQuestionIndexes.count]]
      context["breadcrumbs"] = breadcrumbs([], from: path)
    case .level:
      template = "level"
      context["contentHtml"] = bodyHTML(index, split: false).0
      addLevelQuestions(&context, levelID: page.levelID ?? "", path: path)
      context["breadcrumbs"] = breadcrumbs([], from: path)
    case .question:
      template = "question"
      let (framing, answer) = bodyHTML(index, split: true)
      context["framingHtml"] = framing
      context["answerHtml"] = answer
      context["contentHtml"] = framing + answer
      context["question"] = ["id": page.id]
      context["fromArticle"] = page.fromArticle
      context["tags"] = page.tagIDs.map { tagLink($0, from: path) }
      let siblings = site.questionsByLevel[page.levelID ?? ""] ?? []
      if let position = siblings.firstIndex(of: index) {
        if position > 0 { context["prev"] = pageLinks([siblings[position - 1]], from: path)[0] }
        if position + 1 < siblings.count { context["next"] = pageLinks([siblings[position + 1]], from: path)[0] }
        context["position"] = position + 1
        context["levelCount"] = siblings.count
      }
      let related = site.related[index].filter { !linked.pages.contains($0) }
      context["related"] = pageLinks(related, from: path)
      context["hasRelated"] = !related.isEmpty
      if let level { context["breadcrumbs"] = breadcrumbs([(level.name, "levels/\(level.id).html")], from: path) }
    case .useCase:
      template = "use-case"
      context["contentHtml"] = bodyHTML(index, split: false).0
      context["otherLevels"] = config.levels.compactMap { other -> [String: Any]? in
        guard other.id != page.levelID, let i = site.useCasePages[other.id] else { return nil }
        return ["name": other.name, "url": SiteModel.href(from: path, to: site.pages[i].outputPath)]
      }
      var crumbs: [(String, String)] = []
      if site.pages.contains(where: { $0.sourcePath == "use-case/index.md" }) { crumbs.append(("Use case", "use-case/index.html")) }
      context["breadcrumbs"] = breadcrumbs(crumbs, from: path)
    case .page:
      template = "page"
      context["contentHtml"] = bodyHTML(index, split: false).0
      if page.sourcePath == "use-case/index.md" {
        context["useCaseLevels"] = config.levels.compactMap { level -> [String: Any]? in
          guard let i = site.useCasePages[level.id] else { return nil }
          return ["name": level.name, "url": SiteModel.href(from: path, to: site.pages[i].outputPath), "title": site.pages[i].title]
        }
      }
      context["breadcrumbs"] = breadcrumbs([], from: path)
    }
    return OutputFile(path: path, contents: render(template, context))
  }

  func addLevelQuestions(_ context: inout [String: Any], levelID: String, path: String) {
    let questions = site.questionsByLevel[levelID] ?? []
    context["questions"] = questions.map { questionSummary($0, from: path) }
    context["questionCount"] = questions.count
    context["questionIdsJSON"] = JSON.encode(questions.map { site.pages[$0].id })
    context["printURL"] = SiteModel.href(from: path, to: "print/\(levelID).html")
    if let i = site.useCasePages[levelID] {
      context["useCase"] = ["title": site.pages[i].title, "url": SiteModel.href(from: path, to: site.pages[i].outputPath)]
    }
  }

  func renderGeneratedLevel(_ level: GuideConfig.Level) -> OutputFile {
    let path = "levels/\(level.id).html"
    var context = common(path: path, title: level.name, kind: "level", id: "levels-\(level.id)")
    context["level"] = ["id": level.id, "name": level.name, "url": SiteModel.href(from: path, to: path)]
    context["contentHtml"] = ""
    context["toc"] = [[String: Any]]()
    addLevelQuestions(&context, levelID: level.id, path: path)
    context["breadcrumbs"] = breadcrumbs([], from: path)
    return OutputFile(path: path, contents: render("level", context))
  }

  func renderTags() -> [OutputFile] {
    var files: [OutputFile] = []
    let questions = allQuestionIndexes
    let indexPath = "tags/index.html"
    var index = common(path: indexPath, title: "Topics", kind: "tags", id: "tags")
    index["tagList"] = config.tags.map { tag -> [String: Any] in
      var t = tagLink(tag.id, from: indexPath)
      t["count"] = questions.filter { site.pages[$0].tagIDs.contains(tag.id) }.count
      return t
    }
    index["breadcrumbs"] = breadcrumbs([], from: indexPath)
    files.append(OutputFile(path: indexPath, contents: render("tags", index)))
    for tag in config.tags {
      let path = "tags/\(tag.id).html"
      var context = common(path: path, title: tag.name, kind: "tag", id: "tag-\(tag.id)")
      context["tag"] = ["id": tag.id, "name": tag.name]
      let tagged = questions.filter { site.pages[$0].tagIDs.contains(tag.id) }
      context["questions"] = tagged.map { questionSummary($0, from: path) }
      context["questionCount"] = tagged.count
      context["breadcrumbs"] = breadcrumbs([("Topics", "tags/index.html")], from: path)
      files.append(OutputFile(path: path, contents: render("tag", context)))
    }
    return files
  }

  func renderSnippetPages() -> [OutputFile] {
    var files: [OutputFile] = []
    let indexPath = "snippets/index.html"
    var index = common(path: indexPath, title: "Runnable snippets", kind: "snippets", id: "snippets")
    index["snippetList"] = site.snippets.map {
      [
        "name": $0.name, "title": $0.title, "url": SiteModel.href(from: indexPath, to: $0.outputPath),
        "usedByCount": site.snippetUsers[$0.name]?.count ?? 0,
      ] as [String: Any]
    }
    index["breadcrumbs"] = breadcrumbs([], from: indexPath)
    files.append(OutputFile(path: indexPath, contents: render("snippets", index)))
    for snippet in site.snippets {
      let path = snippet.outputPath
      var context = common(path: path, title: snippet.title, kind: "snippet", id: "snippet-\(snippet.name)")
      let run = runs[snippet.name]
      let duration = run.map { String(format: "%.2f", $0.runSeconds) } ?? "–"
      context["snippet"] =
        [
          "name": snippet.name, "title": snippet.title, "sourceHtml": SwiftHighlighter.html(snippet.visibleSource),
          "outputHtml": outputHTML(snippet), "hasOutput": !(run?.stdout.isEmpty ?? true),
          "runCommand": "Guide/snippets/run \(snippet.name)", "fileName": snippet.name + ".swift",
          "sourcePath": "Guide/" + snippet.sourcePath, "ranFromCache": run?.fromCache ?? false,
          "durationHtml": "<span data-measured=\"\">\(duration) s</span>",
          "sharedFiles": site.sharedClosure(of: snippet).map { $0.fileName }.joined(separator: ", "),
        ] as [String: Any]
      let figures = run?.figures ?? []
      context["figures"] = figures.map { figure -> [String: Any] in
        let label = FigureEmbed.title(of: figure.svg) ?? "Figure '\(figure.name)' drawn by \(snippet.name).swift"
        let html = FigureEmbed.html(
          svg: figure.svg, label: label, idPrefix: "figure-\(figure.name)-",
          captionHTML: "<code>\(HTML.escape(figure.name))</code>", id: "figure-\(figure.name)")
        return ["name": figure.name, "html": html]
      }
      context["hasFigures"] = !figures.isEmpty
      context["usedBy"] = pageLinks(site.snippetUsers[snippet.name] ?? [], from: path)
      context["hasUsedBy"] = !(site.snippetUsers[snippet.name] ?? []).isEmpty
      context["breadcrumbs"] = breadcrumbs([("Snippets", "snippets/index.html")], from: path)
      files.append(OutputFile(path: path, contents: render("snippet", context)))
    }
    return files
  }

  var filters: [String: Any] {
    [
      "levelsForFilter": config.levels.map { ["id": $0.id, "name": $0.name] },
      "tagsForFilter": config.tags.map { ["id": $0.id, "name": $0.name] },
    ]
  }

  func renderSpecialPages() -> [OutputFile] {
    var files: [OutputFile] = []
    var search = common(path: "search.html", title: "Search", kind: "search", id: "search")
    search.merge(filters) { a, _ in a }
    search["breadcrumbs"] = breadcrumbs([], from: "search.html")
    files.append(OutputFile(path: "search.html", contents: render("search", search)))

    var quiz = common(path: "quiz.html", title: "Quiz", kind: "quiz", id: "quiz")
    quiz.merge(filters) { a, _ in a }
    quiz["quizDataURLs"] = config.levels.map { ["url": Self.quizDataPath($0.id)] }
    quiz["breadcrumbs"] = breadcrumbs([], from: "quiz.html")
    files.append(OutputFile(path: "quiz.html", contents: render("quiz", quiz)))

    // random.html: every question, grouped by level; with JavaScript it jumps to one at random.
    var random = common(path: "random.html", title: "All questions", kind: "page", id: "random")
    var list = "<div data-random-pool=\"\">\n"
    for level in config.levels {
      let questions = site.questionsByLevel[level.id] ?? []
      guard !questions.isEmpty else { continue }
      list += "<h2 id=\"level-\(HTML.escape(level.id))\">\(HTML.escape(level.name))</h2>\n<ul>\n"
      for index in questions {
        let q = site.pages[index]
        list += "<li><a href=\"\(HTML.escape(SiteModel.encodePath(q.outputPath)))\">\(HTML.escape(q.title))</a></li>\n"
      }
      list += "</ul>\n"
    }
    list += "</div>\n"
    random["contentHtml"] = "<p>Opening a random question… (without JavaScript, pick one from the list.)</p>\n" + list
    random["breadcrumbs"] = breadcrumbs([], from: "random.html")
    files.append(OutputFile(path: "random.html", contents: render("page", random)))

    var notFound = common(path: "404.html", title: "Page not found", kind: "404", id: "not-found")
    notFound["breadcrumbs"] = [[String: Any]]()
    files.append(OutputFile(path: "404.html", contents: render("404", notFound)))

    // Publishing files.
    var robots = "User-agent: *\nAllow: /\n"
    if let siteURL = config.siteURL {
      robots += "Sitemap: \(siteURL)sitemap.xml\n"
      var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
      var paths: [String] = ["index.html"]
      paths += site.pages.map(\.outputPath).filter { $0 != "index.html" }
      paths += config.levels.filter { site.levelPages[$0.id] == nil }.map { "levels/\($0.id).html" }
      paths.append("tags/index.html")
      paths += config.tags.map { "tags/\($0.id).html" }
      paths.append("snippets/index.html")
      paths += site.snippets.map(\.outputPath)
      // search.html and random.html have no content of their own (both are `noindex`).
      paths.append("quiz.html")
      for path in paths {
        xml += "  <url><loc>\(HTML.escape(siteURL + (path == "index.html" ? "" : SiteModel.encodePath(path))))</loc></url>\n"
      }
      xml += "</urlset>\n"
      files.append(OutputFile(path: "sitemap.xml", contents: xml))
    }
    files.append(OutputFile(path: "robots.txt", contents: robots))
    return files
  }

  /// The quiz data of one level: `assets/quiz-data-<level>.js`.
  static func quizDataPath(_ level: String) -> String { "assets/quiz-data-\(level).js" }

  /// Quiz data of one level's questions: answers rendered for quiz.html's location, one JSON object
  /// per question, appended to `window.GuideQuizData` (quiz.html loads the levels' files in
  /// order); an unchanged question's object is copied from the previous file.
  func renderQuizData(path: String, questions: [Int]) -> Produced {
    var out = "window.GuideQuizData = (window.GuideQuizData || []).concat(["
    var segments: [Segment] = []
    for (n, index) in questions.enumerated() {
      if n > 0 { out += "," }
      let key = keys?.page(index)
      let item: String
      if let key, let reused = previous?.fragment(path, key: key) {
        item = reused
      } else {
        let q = site.pages[index]
        let (framing, answer) = bodyHTML(index, split: true, fromPath: "quiz.html", idPrefix: "quiz-\(q.id)-")
        item = JSON.encode([
          "id": q.id, "title": q.title, "level": q.levelID ?? "", "levelName": q.levelID.flatMap { config.level($0)?.name } ?? "",
          "tags": q.tagIDs, "url": SiteModel.encodePath(q.outputPath), "framingHtml": framing, "answerHtml": answer, "summary": q.summary,
        ])
      }
      if let key { segments.append(Segment(key: key, offset: out.utf8.count, length: item.utf8.count)) }
      out += item
    }
    out += "]);\n"
    return Produced(path: path, key: "", contents: out, segments: segments)
  }

  /// Anki decks: one per level and one for the whole guide (see ``AnkiDeck``).
  func renderAnkiDecks() -> [OutputFile] {
    var notes: [Int: AnkiDeck.Note] = [:]
    for index in allQuestionIndexes {
      let page = site.pages[index]
      let r = renderer(for: index, fromPath: "anki/all.txt", idPrefix: "\(page.id)-")
      let cursor = MarkdownHTMLRenderer.HeadingCursor(page.headings)
      var back = ""
      var section: String?
      for block in page.document.children {
        if case .heading(let level) = block.kind, level <= 2 {
          section = block.plainText.trimmedSpaces.lowercased()
        }
        let html = r.render([block][...], cursor: cursor)
        if section == "60-second answer" || section == "key points" { back += html }
      }
      let levelName = page.levelID.flatMap { config.level($0)?.name } ?? ""
      notes[index] = AnkiDeck.Note(
        guid: "cv-guide/\(page.levelID ?? "")/\(page.id)", front: HTML.escape(page.title),
        back: AnkiDeck.unlinked(back),
        tags: ["cv-guide", "level::\(page.levelID ?? "")", "level-name::\(levelName)"] + page.tagIDs)
    }
    var files: [OutputFile] = []
    for level in config.levels {
      let deck = AnkiDeck.text(
        deck: "\(config.title)::\(level.name)", notes: (site.questionsByLevel[level.id] ?? []).compactMap { notes[$0] })
      files.append(OutputFile(path: "anki/\(level.id).txt", contents: deck))
    }
    files.append(
      OutputFile(path: "anki/all.txt", contents: AnkiDeck.text(deck: config.title, notes: allQuestionIndexes.compactMap { notes[$0] })))
    return files
  }

  func renderPrintPages() -> [Produced] {
    // Every print page lives in print/, so a question's section (links relative to print/, ids
    // prefixed with its id) is the same on its level's page and on the whole guide's: its two
    // fragments are rendered once for both, or copied from the previous whole-guide page when the
    // question is unchanged. The template is rendered with a marker in place of each fragment,
    // and the markers are then replaced, which gives the fragments' positions for the next build.
    let allPath = "print/all.html"
    var fragmentCache: [Int: (String, String)] = [:]
    func fragments(_ index: Int) -> (String, String) {
      if let cached = fragmentCache[index] { return cached }
      let q = site.pages[index]
      var result: (String, String)
      if let key = keys?.page(index), let framing = previous?.fragment(allPath, key: key + " framing"),
        let answer = previous?.fragment(allPath, key: key + " answer")
      {
        result = (framing, answer)
      } else {
        result = bodyHTML(index, split: true, fromPath: allPath, idPrefix: "\(q.id)-")
      }
      fragmentCache[index] = result
      return result
    }
    func sections(_ indexes: [Int]) -> [[String: Any]] {
      indexes.map { index in
        let q = site.pages[index]
        return [
          "id": q.id, "title": q.title, "levelName": q.levelID.flatMap { config.level($0)?.name } ?? "",
          "url": SiteModel.href(from: allPath, to: q.outputPath), "framingHtml": "\u{1}guide-fragment \(index) framing\u{1}",
          "answerHtml": "\u{1}guide-fragment \(index) answer\u{1}",
        ]
      }
    }
    /// The rendered template with its markers replaced by the fragments.
    func fill(_ rendered: String) -> (String, [Segment]) {
      var out = ""
      out.reserveCapacity(rendered.utf8.count)
      var segments: [Segment] = []
      var rest = Substring(rendered)
      while let start = rest.firstIndex(of: "\u{1}") {
        out += rest[..<start]
        let afterStart = rest.index(after: start)
        guard let end = rest[afterStart...].firstIndex(of: "\u{1}") else {
          rest = rest[start...]
          break
        }
        let marker = rest[afterStart..<end].split(separator: " ")
        let whole = rest[start...end]
        rest = rest[rest.index(after: end)...]
        guard marker.count == 3, marker[0] == "guide-fragment", let index = Int(marker[1]), site.pages.indices.contains(index),
          marker[2] == "framing" || marker[2] == "answer"
        else {
          out += whole  // not one of ours: kept as it is
          continue
        }
        let (framing, answer) = fragments(index)
        let fragment = marker[2] == "framing" ? framing : answer
        if let key = keys?.page(index) {
          segments.append(Segment(key: key + " " + marker[2], offset: out.utf8.count, length: fragment.utf8.count))
        }
        out += fragment
      }
      out += rest
      return (out, segments)
    }
    var files: [Produced] = []
    for level in config.levels {
      let path = "print/\(level.id).html"
      let questions = site.questionsByLevel[level.id] ?? []
      let key = keys?.aggregate(path, pages: questions + (site.levelPages[level.id].map { [$0] } ?? []))
      files += produce([path], key: { _ in key }) {
        var context = common(path: path, title: "\(level.name): all questions and answers", kind: "print", id: "print-\(level.id)")
        context["printTitle"] = "\(level.name): all questions and answers"
        context["sections"] = sections(questions)
        if let i = site.levelPages[level.id] {
          context["introHtml"] = bodyHTML(i, split: false, fromPath: path, idPrefix: "intro-").0
        }
        context["breadcrumbs"] = breadcrumbs([(level.name, "levels/\(level.id).html")], from: path)
        return [OutputFile(path: path, contents: fill(render("print", context)).0)]
      }
    }
    let allKey = keys?.aggregate(allPath, pages: allQuestionIndexes)
    if let allKey, let previous, previous.reuse([allPath], key: { _ in allKey }) {
      files.append(Produced(path: allPath, key: allKey, contents: nil, segments: previous.segments(of: allPath)))
    } else {
      var context = common(path: allPath, title: "The whole guide: all questions and answers", kind: "print", id: "print-all")
      context["printTitle"] = "The whole guide: all questions and answers"
      context["sections"] = sections(allQuestionIndexes)
      context["breadcrumbs"] = breadcrumbs([], from: allPath)
      let (contents, segments) = fill(render("print", context))
      files.append(Produced(path: allPath, key: allKey ?? "", contents: contents, segments: segments))
    }
    return files
  }
}

/// Where one part of an aggregate file (a question's quiz entry, a print fragment) lies, in bytes,
/// with the render key it was made under.
struct Segment: Sendable, Equatable {
  var key: String
  var offset: Int
  var length: Int
}

/// Deterministic JSON for data scripts and attributes: keys sorted, strings quoted as the search
/// index quotes them (ASCII only, so U+2028/2029 cannot break a script). It goes into its own `.js`
/// file or through the templates' HTML escaping, never raw into a page.
/// Hand-written because Foundation's JSONSerialization was a fifth of the build time at 1,000 pages.
enum JSON {
  static func encode(_ value: Any) -> String {
    var out = ""
    write(value, into: &out)
    return out
  }

  static func write(_ value: Any, into out: inout String) {
    switch value {
    case let string as String: writeString(string, into: &out)
    case let bool as Bool: out += bool ? "true" : "false"
    case let int as Int: out += String(int)
    case let double as Double: out += double.isFinite ? String(double) : "null"
    case let strings as [String]:
      out += "["
      for (i, s) in strings.enumerated() {
        if i > 0 { out += "," }
        writeString(s, into: &out)
      }
      out += "]"
    case let array as [Any]:
      out += "["
      for (i, item) in array.enumerated() {
        if i > 0 { out += "," }
        write(item, into: &out)
      }
      out += "]"
    case let object as [String: Any]:
      out += "{"
      for (i, key) in object.keys.sorted().enumerated() {
        if i > 0 { out += "," }
        writeString(key, into: &out)
        out += ":"
        write(object[key]!, into: &out)
      }
      out += "}"
    default:
      out += "null"
    }
  }

  static func writeString(_ string: String, into out: inout String) {
    out += JSWriter.quoted(string)
  }
}
