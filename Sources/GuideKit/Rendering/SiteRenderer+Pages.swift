import Foundation
import Markdown
import Mustache

// MARK: - Content pages

extension SiteRenderer {
  /// A content page's template and typed context.
  func pageContext(_ index: Int) -> (template: String, context: ContentPageContext) {
    let page = site.pages[index]
    let path = page.outputPath
    var context = ContentPageContext(
      common: common(path: path, title: page.title, kind: page.kind.rawValue, id: page.id, summary: page.summary))
    context.toc = page.headings.filter { $0.level == 2 || $0.level == 3 }.map { .init(id: $0.id, title: $0.title, depth: $0.level) }
    context.hasToc = page.headings.contains { $0.level == 2 }
    // One list of links per page, none repeated: the page's own links (its "Try it" and "Related"
    // sections) are not listed again below it.
    let linked = linkedFromBody(index)
    let backlinks = site.backlinks[index].filter { !linked.pages.contains($0) }
    context.backlinks = pageLinks(backlinks, from: path)
    context.hasBacklinks = !backlinks.isEmpty
    let snippets = site.snippetsOfPage[index].filter { !linked.snippets.contains($0) }
    context.snippets = snippets.compactMap { site.snippet(named: $0) }.map {
      .init(name: $0.name, title: $0.title, url: SiteModel.href(from: path, to: $0.outputPath))
    }
    context.hasSnippets = !snippets.isEmpty
    let level = page.levelID.flatMap { config.level($0) }
    if let level {
      context.level = .init(id: level.id, name: level.name, url: SiteModel.href(from: path, to: "levels/\(level.id).html"))
    }
    let template: String
    switch page.kind {
    case .home:
      template = "home"
      context.contentHtml = bodyHTML(index, split: false).0
      // Each level's progress counts the marks of its questions, whose ids come from the level's
      // question list (a script per level), so that the page carries no list of every question.
      context.levelCards = config.levels.map { level in
        let summary = site.levelPages[level.id].map { site.pages[$0].summary } ?? ""
        return .init(
          id: level.id, name: level.name, url: "levels/\(level.id).html", summary: summary,
          count: site.questionsByLevel[level.id]?.count ?? 0)
      }
      context.levelDataURLs = config.levels.map { .init(url: BuildPlan.levelIdsPath($0.id)) }
      if let overview = site.pages.indices.first(where: { site.pages[$0].sourcePath == "use-case/index.md" }).map({ site.pages[$0] }) {
        context.useCase = .init(title: overview.title, url: SiteModel.encodePath(overview.outputPath), summary: overview.summary)
      }
      context.useCaseLevels = config.levels.compactMap { level in
        guard let i = site.useCasePages[level.id] else { return nil }
        return .init(name: level.name, url: SiteModel.encodePath(site.pages[i].outputPath), title: site.pages[i].title)
      }
      context.breadcrumbs = []
    case .page where page.sourcePath == "how-to-use.md":
      // The how-to-use page offers the Anki decks the build writes.
      template = "page"
      context.contentHtml = bodyHTML(index, split: false).0
      // The whole guide's deck only while the guide is small (``BuildPlan/wholeGuideLimit``).
      let whole = allQuestionIndexes.count <= BuildPlan.wholeGuideLimit
      context.ankiDecks =
        config.levels.map { level in
          .init(
            name: "\(level.name) deck", url: SiteModel.href(from: path, to: "anki/\(level.id).txt"),
            count: site.questionsByLevel[level.id]?.count ?? 0)
        }
        + (whole
          ? [.init(name: "The whole guide", url: SiteModel.href(from: path, to: "anki/all.txt"), count: allQuestionIndexes.count)] : [])
      if !whole {
        context.ankiWholeGuideNote =
          "The guide has \(allQuestionIndexes.count) questions, more than \(BuildPlan.wholeGuideLimit): there is no deck of the whole guide; import the level decks one after another (each keeps its cards and their history)."
      }
      context.breadcrumbs = breadcrumbs([], from: path)
    case .level:
      template = "level"
      context.contentHtml = bodyHTML(index, split: false).0
      addLevelQuestions(&context, levelID: page.levelID ?? "", path: path)
      context.breadcrumbs = breadcrumbs([], from: path)
    case .question:
      template = "question"
      let (framing, answer) = bodyHTML(index, split: true)
      context.framingHtml = framing
      context.answerHtml = answer
      context.contentHtml = framing + answer
      context.question = .init(id: page.id)
      context.fromArticle = page.fromArticle
      context.tags = page.tagIDs.map { tagLink($0, from: path) }
      let siblings = site.questionsByLevel[page.levelID ?? ""] ?? []
      if let position = siblings.firstIndex(of: index) {
        if position > 0 { context.prev = pageLinks([siblings[position - 1]], from: path)[0] }
        if position + 1 < siblings.count { context.next = pageLinks([siblings[position + 1]], from: path)[0] }
        context.position = position + 1
        context.levelCount = siblings.count
      }
      let related = site.related[index].filter { !linked.pages.contains($0) }
      context.related = pageLinks(related, from: path)
      context.hasRelated = !related.isEmpty
      if let level { context.breadcrumbs = breadcrumbs([(level.name, "levels/\(level.id).html")], from: path) }
    case .useCase:
      template = "use-case"
      context.contentHtml = bodyHTML(index, split: false).0
      context.otherLevels = config.levels.compactMap { other in
        guard other.id != page.levelID, let i = site.useCasePages[other.id] else { return nil }
        return .init(name: other.name, url: SiteModel.href(from: path, to: site.pages[i].outputPath))
      }
      var crumbs: [(String, String)] = []
      if site.pages.indices.contains(where: { site.pages[$0].sourcePath == "use-case/index.md" }) {
        crumbs.append(("Use case", "use-case/index.html"))
      }
      context.breadcrumbs = breadcrumbs(crumbs, from: path)
    case .page:
      template = "page"
      context.contentHtml = bodyHTML(index, split: false).0
      if page.sourcePath == "use-case/index.md" {
        context.useCaseLevels = config.levels.compactMap { level in
          guard let i = site.useCasePages[level.id] else { return nil }
          return .init(name: level.name, url: SiteModel.href(from: path, to: site.pages[i].outputPath), title: site.pages[i].title)
        }
      }
      context.breadcrumbs = breadcrumbs([], from: path)
    }
    return (template, context)
  }

  func renderPage(_ index: Int) -> String {
    let (template, context) = pageContext(index)
    return renderTemplate(template, context)
  }

  func addLevelQuestions(_ context: inout ContentPageContext, levelID: String, path: String) {
    let questions = site.questionsByLevel[levelID] ?? []
    context.questions = questions.map { questionSummary($0, from: path) }
    context.questionCount = questions.count
    context.questionIdsJSON = JSON.encode(questions.map { site.pages[$0].id })
    context.printURL = SiteModel.href(from: path, to: "print/\(levelID).html")
    if let i = site.useCasePages[levelID] {
      context.useCase = .init(title: site.pages[i].title, url: SiteModel.href(from: path, to: site.pages[i].outputPath))
    }
  }

  func generatedLevelContext(_ level: GuideConfig.Level) -> ContentPageContext {
    let path = "levels/\(level.id).html"
    var context = ContentPageContext(common: common(path: path, title: level.name, kind: "level", id: "levels-\(level.id)"))
    context.level = .init(id: level.id, name: level.name, url: SiteModel.href(from: path, to: path))
    context.contentHtml = ""
    context.toc = []
    addLevelQuestions(&context, levelID: level.id, path: path)
    context.breadcrumbs = breadcrumbs([], from: path)
    return context
  }
}

// MARK: - Generated pages

extension SiteRenderer {
  func generatedContext(
    path: String, title: String, kind: String, id: String, breadcrumbs crumbs: [(String, String)] = []
  ) -> GeneratedPageContext {
    GeneratedPageContext(common: common(path: path, title: title, kind: kind, id: id), breadcrumbs: breadcrumbs(crumbs, from: path))
  }

  func tagIndexContext() -> GeneratedPageContext {
    let indexPath = "tags/index.html"
    var index = generatedContext(path: indexPath, title: "Topics", kind: "tags", id: "tags")
    index.tagList = config.tags.map { tag in
      let link = tagLink(tag.id, from: indexPath)
      return .init(
        id: link.id, name: link.name, url: link.url, count: allQuestionIndexes.filter { site.pages[$0].tagIDs.contains(tag.id) }.count)
    }
    return index
  }

  func tagContext(_ tag: GuideConfig.Tag) -> GeneratedPageContext {
    let path = "tags/\(tag.id).html"
    var context = generatedContext(
      path: path, title: tag.name, kind: "tag", id: "tag-\(tag.id)", breadcrumbs: [("Topics", "tags/index.html")])
    context.tag = .init(id: tag.id, name: tag.name)
    let tagged = allQuestionIndexes.filter { site.pages[$0].tagIDs.contains(tag.id) }
    context.questions = tagged.map { questionSummary($0, from: path) }
    context.questionCount = tagged.count
    return context
  }

  func snippetIndexContext() -> GeneratedPageContext {
    let indexPath = "snippets/index.html"
    var index = generatedContext(path: indexPath, title: "Runnable snippets", kind: "snippets", id: "snippets")
    index.snippetList = site.snippets.map {
      .init(
        name: $0.name, title: $0.title, url: SiteModel.href(from: indexPath, to: $0.outputPath),
        usedByCount: site.snippetUsers[$0.name]?.count ?? 0)
    }
    return index
  }

  func snippetContext(_ snippet: Snippet) -> GeneratedPageContext {
    let path = snippet.outputPath
    var context = generatedContext(
      path: path, title: snippet.title, kind: "snippet", id: "snippet-\(snippet.name)",
      breadcrumbs: [("Snippets", "snippets/index.html")])
    let run = runs[snippet.name]
    let duration = run.map { String(format: "%.2f", $0.runSeconds) } ?? "–"
    context.snippet = .init(
      name: snippet.name, title: snippet.title, sourceHtml: SwiftHighlighter.html(snippet.visibleSource),
      outputHtml: outputHTML(snippet), hasOutput: !(run?.stdout.isEmpty ?? true), runCommand: "Guide/snippets/run \(snippet.name)",
      fileName: snippet.name + ".swift", sourcePath: "Guide/" + snippet.sourcePath, ranFromCache: run?.fromCache ?? false,
      durationHtml: "<span data-measured=\"\">\(duration) s</span>",
      sharedFiles: site.sharedClosure(of: snippet).map { $0.fileName }.joined(separator: ", "))
    let figures = run?.figures ?? []
    context.figures = figures.map { figure in
      let label = FigureEmbed.title(of: figure.svg) ?? "Figure '\(figure.name)' drawn by \(snippet.name).swift"
      let html = FigureEmbed.html(
        svg: figure.svg, label: label, idPrefix: "figure-\(figure.name)-",
        captionHTML: "<code>\(HTML.escape(figure.name))</code>", id: "figure-\(figure.name)")
      return .init(name: figure.name, html: html)
    }
    context.hasFigures = !figures.isEmpty
    context.usedBy = pageLinks(site.snippetUsers[snippet.name] ?? [], from: path)
    context.hasUsedBy = !(site.snippetUsers[snippet.name] ?? []).isEmpty
    return context
  }

  func addFilters(_ context: inout GeneratedPageContext) {
    context.levelsForFilter = config.levels.map { .init(id: $0.id, name: $0.name) }
    context.tagsForFilter = config.tags.map { .init(id: $0.id, name: $0.name) }
  }

  func searchContext() -> GeneratedPageContext {
    var search = generatedContext(path: "search.html", title: "Search", kind: "search", id: "search")
    addFilters(&search)
    return search
  }

  func quizContext() -> GeneratedPageContext {
    var quiz = generatedContext(path: "quiz.html", title: "Quiz", kind: "quiz", id: "quiz")
    addFilters(&quiz)
    quiz.levelDataURLs = levelDataURLs()
    return quiz
  }

  /// The levels' question lists (``BuildPlan/levelListPath(_:)``), site-relative, in level order:
  /// the scripts random.html and quiz.html load (the home page loads the ids alone).
  func levelDataURLs() -> [GeneratedPageContext.ScriptURL] {
    config.levels.map { .init(url: BuildPlan.levelListPath($0.id)) }
  }

  /// random.html: with JavaScript it opens a question at random, picked from the levels' question
  /// lists; without, it links the level pages (one link per level, not one per question).
  func randomContext() -> GeneratedPageContext {
    var random = generatedContext(path: "random.html", title: "A random question", kind: "page", id: "random")
    var list = "<ul data-random-pool=\"\">\n"
    for level in config.levels {
      let count = site.questionsByLevel[level.id]?.count ?? 0
      guard count > 0 else { continue }
      list +=
        "<li><a href=\"levels/\(HTML.escape(level.id)).html\">\(HTML.escape(level.name))</a> (\(count) question\(count == 1 ? "" : "s"))</li>\n"
    }
    list += "</ul>\n"
    random.contentHtml = "<p>Opening a random question… (without JavaScript, pick one from a level's page.)</p>\n" + list
    random.levelDataURLs = levelDataURLs()
    random.isRandom = true
    return random
  }

  func notFoundContext() -> GeneratedPageContext {
    var notFound = generatedContext(path: "404.html", title: "Page not found", kind: "404", id: "not-found")
    notFound.breadcrumbs = []
    return notFound
  }

  // MARK: - Publishing files

  func robots() -> String {
    var robots = "User-agent: *\nAllow: /\n"
    if let siteURL = config.siteURL { robots += "Sitemap: \(siteURL)sitemap.xml\n" }
    return robots
  }

  /// sitemap.xml of the given site paths (the plan's indexable pages).
  func sitemap(_ paths: [String]) -> String {
    let siteURL = config.siteURL ?? ""
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    for path in paths {
      xml += "  <url><loc>\(HTML.escape(siteURL + (path == "index.html" ? "" : SiteModel.encodePath(path))))</loc></url>\n"
    }
    xml += "</urlset>\n"
    return xml
  }

  /// The offline search index (``SearchIndexBuilder``): `assets/search-index.js` and its shards.
  /// `previousHas`: true for a shard path the previous output has (an unchanged shard is then
  /// not written out: its contents are nil).
  func searchIndex(previousHas: (String) -> Bool = { _ in false }) -> [SearchIndexBuilder.File] {
    var builder = SearchIndexBuilder(
      levels: config.levels.map { (id: $0.id, name: $0.name) }, tags: config.tags.map { (id: $0.id, name: $0.name) },
      synonyms: config.synonyms)
    builder.analysisCache = searchAnalysis
    return builder.build(SearchSections.source(of: site), previousHas: previousHas).files
  }
}

// MARK: - Aggregates: quiz data, print pages, decks

extension SiteRenderer {
  /// Every part of the aggregates a question has (made while its tree is parsed).
  func fragments(of index: Int) -> [(Fragment, String)] {
    let (framing, answer, note) = printAndAnki(index)
    return Fragment.Kind.allCases.map { kind in
      let fragment = Fragment(page: index, kind: kind)
      switch kind {
      case .printFraming: return (fragment, framing)
      case .printAnswer: return (fragment, answer)
      case .ankiNote: return (fragment, AnkiDeck.line(note))
      case .quizItem: return (fragment, self.fragment(fragment))
      }
    }
  }

  /// A question's print parts and its Anki note, from one rendering of its body: the note's back
  /// is the print rendering of the 60-second answer and key points, links taken out. Every print
  /// page lives in print/, so a question's section (links relative to print/, ids prefixed with
  /// its id) is the same on its level's page and on the whole guide's; a deck in anki/ sits at
  /// the same depth and keeps no link.
  func printAndAnki(_ index: Int) -> (framing: String, answer: String, note: AnkiDeck.Note) {
    let page = site.pages[index]
    let r = renderer(for: index, fromPath: "print/all.html", idPrefix: "\(page.id)-")
    let cursor = MarkdownHTMLRenderer.HeadingCursor(page.headings)
    var framing = ""
    var answer = ""
    var back = ""
    var section: String?
    for block in page.document.children {
      if Self.startsAnswerSection(block) { section = block.plainText.trimmedSpaces.lowercased() }
      let html = r.render([block][...], cursor: cursor)
      if section == nil { framing += html } else { answer += html }
      if section == "60-second answer" || section == "key points" { back += html }
    }
    let note = AnkiDeck.Note(
      guid: "cv-guide/\(page.levelID ?? "")/\(page.id)", front: HTML.escape(page.title), back: AnkiDeck.unlinked(back),
      tags: ["cv-guide", "level::\(page.levelID ?? "")", "level-name::\(levelName(page))"] + page.tagIDs)
    return (framing, answer, note)
  }

  /// A question's fragment, on its own.
  func fragment(_ fragment: Fragment) -> String {
    let index = fragment.page
    let q = site.pages[index]
    switch fragment.kind {
    case .printFraming, .printAnswer:
      let (framing, answer, _) = printAndAnki(index)
      return fragment.kind == .printFraming ? framing : answer
    case .ankiNote:
      return AnkiDeck.line(printAndAnki(index).note)
    case .quizItem:
      let (framing, answer) = bodyHTML(index, split: true, fromPath: "quiz.html", idPrefix: "quiz-\(q.id)-")
      return JSON.encode([
        "id": q.id, "title": q.title, "level": q.levelID ?? "", "levelName": levelName(q), "tags": q.tagIDs,
        "url": SiteModel.encodePath(q.outputPath), "framingHtml": framing, "answerHtml": answer, "summary": q.summary,
      ])
    }
  }

  /// The questions of a level's block (1-based, ``BuildPlan/blocks(_:)``).
  func blockQuestions(level id: String, block: Int) -> ArraySlice<Int> {
    let blocks = BuildPlan.blocks(site.questionsByLevel[id] ?? [])
    return blocks.indices.contains(block - 1) ? blocks[block - 1] : []
  }

  /// A level's question list, `assets/quiz/<level>.js`: its question ids, page URLs and tags in
  /// reading order and the paths of its quiz blocks (``BuildPlan/blockSize`` questions each),
  /// set as `window.GuideLevelData[<level>]`: random.html picks a URL, the quiz selects by level
  /// and tag and loads a question's block when it shows it. With `idsOnly`, the ids alone
  /// (`assets/quiz/<level>/ids.js`), from which the home page counts each level's progress.
  func levelList(level id: String, idsOnly: Bool = false) -> String {
    let questions = site.questionsByLevel[id] ?? []
    if idsOnly {
      let ids = ["ids": questions.map { site.pages[$0].id }]
      return "(window.GuideLevelData = window.GuideLevelData || {})[\(JSON.encode(id))] = \(JSON.encode(ids));\n"
    }
    let blocks = BuildPlan.blocks(questions).enumerated().filter { !$0.element.isEmpty }.map {
      BuildPlan.quizBlockPath(id, block: $0.offset + 1)
    }
    let data: [String: Any] = [
      "blockSize": BuildPlan.blockSize, "blocks": blocks, "ids": questions.map { site.pages[$0].id },
      "urls": questions.map { SiteModel.encodePath(site.pages[$0].outputPath) }, "tags": questions.map { site.pages[$0].tagIDs },
    ]
    return "(window.GuideLevelData = window.GuideLevelData || {})[\(JSON.encode(id))] = \(JSON.encode(data));\n"
  }

  /// The quiz data of one block of a level: one JSON object per question, answers rendered for
  /// quiz.html's location, set as `window.GuideQuizBlocks[<path>]` (quiz.html loads the block
  /// of a question when it shows it).
  func quizData(level id: String, block: Int) -> [Rendered.Part] {
    let path = BuildPlan.quizBlockPath(id, block: block)
    var parts: [Rendered.Part] = [.text("(window.GuideQuizBlocks = window.GuideQuizBlocks || {})[\(JSON.encode(path))] = [")]
    for (n, index) in blockQuestions(level: id, block: block).enumerated() {
      if n > 0 { parts.append(.text(",")) }
      parts.append(.fragment(Fragment(page: index, kind: .quizItem)))
    }
    parts.append(.text("];\n"))
    return parts
  }

  static let fragmentMarker: Character = "\u{1}"

  func printSections(_ indexes: some Sequence<Int>) -> [GeneratedPageContext.PrintSection] {
    indexes.map { index in
      let q = site.pages[index]
      return .init(
        id: q.id, title: q.title, levelName: levelName(q), url: SiteModel.href(from: "print/all.html", to: q.outputPath),
        framingHtml: "\u{1}guide-fragment \(index) framing\u{1}", answerHtml: "\u{1}guide-fragment \(index) answer\u{1}")
    }
  }

  /// "questions 101–200" of a block (1-based) of `count` questions.
  static func blockRange(block: Int, count: Int) -> String {
    let first = (block - 1) * BuildPlan.blockSize + 1
    let last = min(block * BuildPlan.blockSize, count)
    return first == last ? "question \(first)" : "questions \(first)–\(last)"
  }

  /// A print page: a level's block (its questions, the level's introduction on the first, links
  /// to the level's other blocks when there are several), or the whole guide on one page.
  func printContext(level id: String?, block: Int = 1, path: String) -> GeneratedPageContext {
    guard let id, let level = config.level(id) else {
      let title = "The whole guide: all questions and answers"
      var context = generatedContext(path: path, title: title, kind: "print", id: "print-all")
      context.printTitle = title
      context.sections = printSections(allQuestionIndexes)
      return context
    }
    let questions = site.questionsByLevel[level.id] ?? []
    let count = BuildPlan.blocks(questions).count
    var title = "\(level.name): all questions and answers"
    if count > 1 { title += ", part \(block) of \(count) (\(Self.blockRange(block: block, count: questions.count)))" }
    var context = generatedContext(
      path: path, title: title, kind: "print", id: "print-\(level.id)", breadcrumbs: [(level.name, "levels/\(level.id).html")])
    context.printTitle = title
    context.sections = printSections(blockQuestions(level: level.id, block: block))
    if block == 1, let i = site.levelPages[level.id] {
      context.introHtml = bodyHTML(i, split: false, fromPath: path, idPrefix: "intro-").0
    }
    if count > 1 {
      // Every print page is in print/: a block links the others by file name.
      func link(_ n: Int) -> PageContext.Link {
        .init(title: "Part \(n)", url: String(BuildPlan.printPath(level.id, block: n).dropFirst("print/".count)))
      }
      context.hasPrintParts = true
      context.printParts = (1...count).map {
        .init(
          label: "Part \($0): \(Self.blockRange(block: $0, count: questions.count))", url: link($0).url, isCurrent: $0 == block)
      }
      context.printPrev = block > 1 ? link(block - 1) : nil
      context.printNext = block < count ? link(block + 1) : nil
    }
    return context
  }

  /// `print/all.html` of a large guide (over ``BuildPlan/wholeGuideLimit`` questions): for each
  /// level, a link to each of its print blocks with the titles of its first and last questions.
  func printContentsContext() -> GeneratedPageContext {
    let title = "The whole guide, ready to print"
    var context = generatedContext(path: "print/all.html", title: title, kind: "print", id: "print-all")
    context.printTitle = title
    context.isPrintContents = true
    context.questionCount = allQuestionIndexes.count
    context.printBlockSize = BuildPlan.blockSize
    context.printLevels = config.levels.map { level in
      let questions = site.questionsByLevel[level.id] ?? []
      let blocks = BuildPlan.blocks(questions)
      return .init(
        name: level.name, count: questions.count,
        parts: blocks.enumerated().map { n, block in
          .init(
            label: "Part \(n + 1): \(Self.blockRange(block: n + 1, count: questions.count))",
            url: String(BuildPlan.printPath(level.id, block: n + 1).dropFirst("print/".count)), isCurrent: false,
            firstTitle: block.first.map { site.pages[$0].title }, lastTitle: block.count > 1 ? block.last.map { site.pages[$0].title } : nil
          )
        })
    }
    return context
  }

  /// A print page: the template is rendered with a marker in place of each question's
  /// fragment, and cut at the markers into text and fragments.
  func printPage(level: String?, block: Int, path: String) -> [Rendered.Part] {
    let rendered = renderTemplate("print", printContext(level: level, block: block, path: path))
    var parts: [Rendered.Part] = []
    var text = ""
    var rest = Substring(rendered)
    while let start = rest.firstIndex(of: Self.fragmentMarker) {
      text += rest[..<start]
      let afterStart = rest.index(after: start)
      guard let end = rest[afterStart...].firstIndex(of: Self.fragmentMarker) else {
        rest = rest[start...]
        break
      }
      let marker = rest[afterStart..<end].split(separator: " ")
      let whole = rest[start...end]
      rest = rest[rest.index(after: end)...]
      guard marker.count == 3, marker[0] == "guide-fragment", let index = Int(marker[1]), site.pages.indices.contains(index),
        marker[2] == "framing" || marker[2] == "answer"
      else {
        text += whole  // not one of ours: kept as it is
        continue
      }
      parts.append(.text(text))
      text = ""
      parts.append(.fragment(Fragment(page: index, kind: marker[2] == "framing" ? .printFraming : .printAnswer)))
    }
    text += rest
    parts.append(.text(text))
    return parts
  }

  /// An Anki deck: one per level and one for the whole guide (see ``AnkiDeck``): its header, then
  /// one part per question (its note's line, ``Fragment/Kind/ankiNote``), which the executor makes
  /// once per batch and copies from the previous output when the question is unchanged.
  func ankiDeck(level id: String?) -> [Rendered.Part] {
    let indexes = id.map { site.questionsByLevel[$0] ?? [] } ?? allQuestionIndexes
    let deck = id.flatMap { config.level($0) }.map { "\(config.title)::\($0.name)" } ?? config.title
    return [.text(AnkiDeck.header(deck: deck))] + indexes.map { .fragment(Fragment(page: $0, kind: .ankiNote)) }
  }
}
