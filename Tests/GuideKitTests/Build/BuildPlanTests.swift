import Foundation
import Markdown
import Synchronization
import Testing

@testable import GuideKit

/// The build stages one by one: the plan of a fixture guide, its collisions, the sitemap derived
/// from it, and the typed template contexts against the templates.
@Suite struct BuildPlanTests {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let templates = packageRoot.appendingPathComponent("Templates")
  static let basic = packageRoot.appendingPathComponent("Tests/Fixtures/basic/Guide")

  static func options(guide: URL = basic, output: URL = URL(fileURLWithPath: "/nonexistent/Site")) -> BuildOptions {
    BuildOptions(
      guideDirectory: guide, templatesDirectory: templates, outputDirectory: output, cacheDirectory: nil, jobs: 1, writeOutput: false,
      runSnippets: false)
  }

  /// Load → link → plan of the basic fixture, stage by stage.
  static func basicPlan() throws -> (SiteModel, BuildPlan, [Diagnostic]) {
    let options = options()
    let loaded = Stages.load(options)
    let sources = try #require(loaded.value, "\(loaded.diagnostics)")
    let site = Stages.link(sources, kept: nil, options).value
    let plan = Stages.plan(site, options)
    return (site, plan.value, plan.diagnostics)
  }

  @Test func thePlanOfTheBasicFixtureListsEveryFileOfTheSite() throws {
    let (_, plan, diagnostics) = try Self.basicPlan()
    #expect(diagnostics.isEmpty, "\(diagnostics)")
    let paths = plan.files.map(\.path)
    #expect(Set(paths).count == paths.count, "no path twice")
    let expected: Set<String> = [
      "index.html", "levels/junior.html", "levels/mid.html", "levels/senior.html", "questions/junior/what-is-a-cnn.html",
      "questions/junior/what-is-iou.html", "questions/mid/nms.html", "tips.html", "use-case/junior.html", "tags/index.html",
      "tags/cnn.html", "tags/metrics.html", "tags/detection.html", "snippets/index.html", "snippets/count.html",
      "snippets/greet.html", "quiz.html", "search.html", "random.html", "404.html", "robots.txt", "print/junior.html",
      "print/mid.html", "print/senior.html", "print/all.html", "anki/junior.txt", "anki/mid.txt", "anki/senior.txt",
      "anki/all.txt", "assets/quiz/junior.js", "assets/quiz/mid.js", "assets/quiz/senior.js", "assets/quiz/junior/ids.js",
      "assets/quiz/junior/1.js",
      "assets/quiz/mid/1.js",
      "assets/search-index.js", "favicon.svg", "assets/style.css", "assets/site.js",
    ]
    #expect(expected.subtracting(paths).sorted() == [], "planned: \(paths)")
    #expect(!paths.contains("sitemap.xml"), "no site_url, no sitemap")
    // Every file says what it depends on: the pages their source, the generated pages the structure.
    let byPath = Dictionary(plan.files.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    #expect(byPath["levels/junior.html"].map { if case .page = $0.inputs { true } else { false } } == true)
    #expect(byPath["levels/mid.html"]?.inputs == .structure, "a level without its page gets a generated one")
    #expect(byPath["tags/cnn.html"]?.inputs == .structure)
    #expect(byPath["snippets/count.html"]?.inputs == .snippet("count"))
    if case .aggregate(_, let pages)? = byPath["print/junior.html"]?.inputs {
      #expect(pages.count == 3, "two junior questions and the junior level page")
    } else {
      Issue.record("print/junior.html depends on its questions")
    }
    #expect(plan.files.first?.path == "index.html", "the home page comes first")
  }

  /// Each level's quiz data and Anki deck depend on that level's questions only (an edit keeps
  /// the other levels' files); the whole guide's deck on every question; the quiz page loads
  /// the levels' question lists in level order (and a question's quiz data when it shows it).
  @Test func eachLevelsQuizDataAndDeckAreKeyedOnItsOwnQuestions() throws {
    let (site, plan, _) = try Self.basicPlan()
    let byPath = Dictionary(plan.files.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    let all = site.config.levels.flatMap { site.questionsByLevel[$0.id] ?? [] }
    for level in site.config.levels {
      let questions = site.questionsByLevel[level.id] ?? []
      let quizPaths = questions.isEmpty ? [] : [BuildPlan.quizBlockPath(level.id, block: 1)]
      for path in quizPaths + ["anki/\(level.id).txt"] {
        let file = try #require(byPath[path], "\(path) is planned")
        #expect(file.inputs == .aggregate(name: path, pages: questions), "\(path) is keyed on its level's questions")
      }
      if !questions.isEmpty {
        #expect(byPath[BuildPlan.quizBlockPath(level.id, block: 1)]?.job == .quizData(level: level.id, block: 1))
      }
      #expect(byPath[BuildPlan.levelListPath(level.id)]?.inputs == .structure, "a level's question list shows the structure")
      #expect(byPath[BuildPlan.levelIdsPath(level.id)]?.job == .levelList(level: level.id, idsOnly: true))
    }
    #expect(byPath["anki/all.txt"]?.inputs == .aggregate(name: "anki/all.txt", pages: all))
    #expect(!byPath.keys.contains("assets/quiz-data.js"), "no quiz data file for the whole guide")

    let (library, _, _) = TemplateLoader.load(Self.templates)
    let renderer = SiteRenderer(site: site, runs: [:], templates: try #require(library))
    let quizFile = try #require(byPath["quiz.html"])
    let quiz = try #require(renderer.context(quizFile))
    let urls = (quiz["levelDataURLs"] as? [[String: Any]])?.compactMap { $0["url"] as? String }
    #expect(urls == site.config.levels.map { BuildPlan.levelListPath($0.id) })
    var memo = SiteRenderer.Memo()
    let midData = try #require(byPath["assets/quiz/mid/1.js"])
    guard case .assembled(let parts) = renderer.render(midData, memo: &memo) else {
      Issue.record("the quiz data is assembled from its questions' parts")
      return
    }
    let pages = parts.compactMap { if case .fragment(let fragment) = $0 { fragment.page } else { nil } }
    #expect(pages == site.questionsByLevel["mid"], "the mid-level file holds the mid-level questions")
    // The decks too are assembled from one part per question (its note), so an edit of one
    // question copies the other notes from the previous output.
    for (path, level) in [("anki/mid.txt", "mid"), ("anki/all.txt", nil)] as [(String, String?)] {
      guard case .assembled(let deck) = renderer.render(try #require(byPath[path]), memo: &memo) else {
        Issue.record("\(path) is assembled from its questions' notes")
        continue
      }
      let notes = deck.compactMap { if case .fragment(let fragment) = $0, fragment.kind == .ankiNote { fragment.page } else { nil } }
      #expect(notes == (level.map { site.questionsByLevel[$0] ?? [] } ?? renderer.allQuestionIndexes), "\(path)")
      guard case .text(let header)? = deck.first else { continue }
      #expect(header.hasPrefix("#separator:tab\n") && header.hasSuffix("#guid column:4\n"), "\(path): \(header)")
    }
    guard case .text(let head)? = parts.first else { return }
    #expect(
      head.hasPrefix("(window.GuideQuizBlocks = window.GuideQuizBlocks || {})[\"assets/quiz/mid/1.js\"] = ["),
      "each block sets its own entry: \(head)")
  }

  // MARK: - Collisions

  /// A content page on each kind of path the generator writes is an error at the page.
  @Test(arguments: [
    ("search.md", "search.html", "the search page"),
    ("quiz.md", "quiz.html", "the quiz"),
    ("404.md", "404.html", "the not-found page"),
    ("random.md", "random.html", "the random-question page"),
    ("tags/index.md", "tags/index.html", "the topics page"),
    ("tags/metrics.md", "tags/metrics.html", "the page of tag 'metrics'"),
    ("print/all.md", "print/all.html", "the print page of the whole guide"),
    ("print/junior.md", "print/junior.html", "the print page of level 'junior'"),
    ("snippets/index.md", "snippets/index.html", "the snippets page"),
    ("snippets/iou.md", "snippets/iou.html", "the page of snippet 'iou'"),
    ("levels/mid.md", "", ""),
  ])
  func aContentPageOnAGeneratedPathIsAnError(file: String, path: String, what: String) {
    var pages = InMemoryGuide.basePages
    pages[file] = file.hasPrefix("levels/") ? "---\ntitle: Mid\nlevel: mid\n---\nThe mid level.\n" : "---\ntitle: Page\n---\nText.\n"
    pages["questions/junior/iou.md"] = InMemoryGuide.question(
      "What is IoU?", body: "## 60-second answer\n\n[IoU](../../snippets/iou.swift)\n")
    let (site, _) = SiteLinker.link(InMemoryGuide.sources(pages, snippets: ["iou": InMemoryGuide.snippet]), jobs: 1)
    let (plan, diagnostics) = BuildPlan.make(site: site)
    let errors = diagnostics.filter { $0.severity == .error }
    guard !path.isEmpty else {
      // A level page takes the place of the generated one: no collision.
      #expect(errors.isEmpty, "\(errors)")
      #expect(plan.files.filter { $0.path == "levels/mid.html" }.count == 1)
      return
    }
    #expect(errors.count == 1, "\(errors)")
    let error = errors.first
    #expect(error?.path == "Guide/" + file)
    #expect(error?.location == SourceLocation(line: 1, column: 1))
    #expect(error?.message == "this page would be written to '\(path)', which is \(what) the generator writes")
    #expect(error?.hint == "rename or move the file; the generator's own pages cannot be replaced by content")
  }

  @Test func aContentPageInsideAFolderTheGeneratorOwnsIsAnError() {
    var pages = InMemoryGuide.basePages
    pages["assets/notes.md"] = "---\ntitle: Notes\n---\nText.\n"
    let (site, _) = SiteLinker.link(InMemoryGuide.sources(pages), jobs: 1)
    let (_, diagnostics) = BuildPlan.make(site: site)
    #expect(
      diagnostics.map(\.message) == [
        "this page would be written to 'assets/notes.html', inside 'assets/', the folder of the site's scripts and styles"
      ])
  }

  /// Two generated files on one path: the name in guide.yml that causes it is the error.
  @Test func aTagNamedIndexOrALevelNamedAllCollidesWithAGeneratedPage() {
    var config = InMemoryGuide.config
    config.tags.append(.init(id: "index", name: "Index"))
    config.levels.append(.init(id: "all", name: "All"))
    var sources = InMemoryGuide.sources(InMemoryGuide.basePages)
    sources.config = config
    let (site, _) = SiteLinker.link(sources, jobs: 1)
    let (_, diagnostics) = BuildPlan.make(site: site, configPath: "Guide/guide.yml")
    #expect(
      diagnostics.map { "\($0.path): \($0.message)" } == [
        "Guide/guide.yml: the page of tag 'index' would be written to 'tags/index.html', which is the topics page",
        "Guide/guide.yml: the print page of level 'all' would be written to 'print/all.html', which is the print page of the whole guide",
        "Guide/guide.yml: the Anki deck of level 'all' would be written to 'anki/all.txt', which is the Anki deck of the whole guide",
      ], "\(diagnostics)")
  }

  // MARK: - The sitemap

  /// sitemap.xml lists exactly the HTML pages written, but for those without content of their
  /// own (search, random, 404) and the print pages.
  @Test func theSitemapDerivedFromThePlanListsEveryWrittenPage() throws {
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("plan-sitemap-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: work) }
    let guide = work.appendingPathComponent("Guide")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: Self.basic, to: guide)
    let yml = guide.appendingPathComponent("guide.yml")
    try String(contentsOf: yml, encoding: .utf8).replacingOccurrences(of: "site_url: \"\"", with: "site_url: https://example.org/g/")
      .write(to: yml, atomically: true, encoding: .utf8)
    var options = Self.options(guide: guide, output: work.appendingPathComponent("Site"))
    options.writeOutput = true
    let report = GuideBuild.run(options)
    #expect(!report.diagnostics.hasErrors, "\(report.diagnostics)")
    let site = work.appendingPathComponent("Site")
    let written = Set(FileTree.list(site).map(\.path).filter { $0.hasSuffix(".html") })
    let xml = try String(contentsOf: site.appendingPathComponent("sitemap.xml"), encoding: .utf8)
    let listed = xml.split(separator: "\n").compactMap { line -> String? in
      guard let start = line.range(of: "<loc>https://example.org/g/"), let end = line.range(of: "</loc>") else { return nil }
      let path = String(line[start.upperBound..<end.lowerBound])
      return path.isEmpty ? "index.html" : path
    }
    #expect(Set(listed).count == listed.count, "no page listed twice")
    let unlisted = written.subtracting(listed)
    #expect(
      unlisted == ["search.html", "random.html", "404.html", "print/junior.html", "print/mid.html", "print/senior.html", "print/all.html"],
      "\(unlisted.sorted())")
    #expect(Set(listed).subtracting(written).isEmpty, "every listed page is written")
  }

  // MARK: - Typed contexts against the templates

  /// The variable and section names a template reads (partials, comments, pragmas and
  /// transforms left out), each split at its dots.
  static func keys(inTemplate text: String) -> Set<String> {
    var names: Set<String> = []
    var rest = text[...]
    while let open = rest.range(of: "{{") {
      rest = rest[open.upperBound...]
      guard let close = rest.range(of: "}}") else { break }
      var tag = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
      rest = rest[close.upperBound...]
      if tag.hasPrefix("{") { tag = String(tag.dropFirst()) }
      guard let first = tag.first, !"!>%<=".contains(first) else { continue }
      if "#^/&".contains(first) { tag = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces) }
      guard !tag.isEmpty, tag != ".", !tag.contains("(") else { continue }
      for part in tag.split(separator: ".") { names.insert(String(part)) }
    }
    return names
  }

  /// Every key in a context, at any depth.
  static func contextKeys(_ value: Any, into keys: inout Set<String>) {
    if let dictionary = value as? [String: Any] {
      for (key, child) in dictionary {
        keys.insert(key)
        contextKeys(child, into: &keys)
      }
    } else if let array = value as? [Any] {
      for child in array { contextKeys(child, into: &keys) }
    }
  }

  static func templateKeys() throws -> [String: Set<String>] {
    var out: [String: Set<String>] = [:]
    for entry in FileTree.list(templates) where entry.path.hasSuffix(".mustache") {
      out[entry.path] = keys(inTemplate: try String(contentsOf: templates.appendingPathComponent(entry.path), encoding: .utf8))
    }
    return out
  }

  /// The typed context of every page of the basic fixture, with what it lacks to use every key
  /// (a site URL, the how-to-use page, which lists the decks, and a snippet run that drew a
  /// figure), and of the print pages and how-to-use page of a guide over the whole-guide limit
  /// (print parts, the contents page, the note on the decks).
  static func everyContext() throws -> [any TemplateContext] {
    let options = Self.options()
    var sources = try #require(Stages.load(options).value)
    sources.config.siteURL = "https://example.org/"
    sources.markdown.append(
      SourceFile(relativePath: "how-to-use.md", displayPath: "Guide/how-to-use.md", text: "---\ntitle: How to use\n---\nRead.\n"))
    let site = Stages.link(sources, kept: nil, options).value
    let plan = Stages.plan(site, options).value
    let (library, diagnostics, _) = TemplateLoader.load(Self.templates)
    #expect(diagnostics.isEmpty)
    let runs = [
      "count": SnippetRun(
        name: "count", stdout: "1\n", stderr: "", runSeconds: 0, compileSeconds: 0, fromCache: true,
        figures: [SnippetFigure(name: "bars", svg: "<svg viewBox=\"0 0 1 1\"></svg>")])
    ]
    let renderer = SiteRenderer(site: site, runs: runs, templates: try #require(library))
    var contexts = plan.files.compactMap { renderer.typedContext($0) }
    let large = AggregateBlockTests.site(
      junior: BuildPlan.wholeGuideLimit + 1, pages: ["how-to-use.md": "---\ntitle: How to use\n---\nRead.\n"])
    let largeRenderer = SiteRenderer(site: large, runs: [:], templates: try #require(library))
    for file in BuildPlan.make(site: large).0.files where file.path.hasPrefix("print/") || file.path == "how-to-use.html" {
      if let context = largeRenderer.typedContext(file) { contexts.append(context) }
    }
    return contexts
  }

  @Test func everyKeyTheTemplatesReadIsOneTheContextsProvide() throws {
    var provided: Set<String> = []
    for context in try Self.everyContext() { Self.contextKeys(TemplateData.dictionary(context), into: &provided) }
    // `page.is.<kind>`: the kinds are values, not keys of a struct.
    let kinds: Set<String> = ["search", "question", "home", "level", "use-case", "page", "tags", "tag", "snippets", "snippet", "quiz"]
    for (template, keys) in try Self.templateKeys() {
      let unknown = keys.subtracting(provided).subtracting(kinds)
      #expect(unknown.isEmpty, "\(template) reads keys no context provides: \(unknown.sorted())")
    }
  }

  /// The contexts list their properties by hand (``TemplateContext/fields(_:)``): every one of
  /// them, nested ones included, offers exactly its stored properties in declaration order, and
  /// becomes the dictionary reflection would make of it.
  @Test func everyContextOffersExactlyItsPropertiesAndConvertsAsReflectionWould() throws {
    var checked: Set<String> = []
    func check(_ value: Any) {
      if let context = value as? any TemplateContext {
        let properties = Mirror(reflecting: context).children.compactMap(\.label)
        #expect(TemplateFields.names(of: context) == properties, "\(type(of: context))")
        checked.insert("\(type(of: context))")
      }
      for child in Mirror(reflecting: value).children { check(child.value) }
    }
    // The fixtures' use-case pages have no other level to link.
    let contexts = try Self.everyContext() + [ContentPageContext.OtherLevel(name: "Senior", url: "senior.html")]
    for context in contexts {
      check(context)
      #expect(Self.canonical(TemplateData.dictionary(context)) == Self.canonical(Self.reflected(context)))
    }
    // Every context type the generator has was among them (a new one belongs in this list).
    let types = [
      "PageContext", "SiteInfo", "PageInfo", "LevelItem", "Link", "ContentPageContext", "TocItem", "PageLink", "SnippetLink",
      "LevelRef", "TagLink", "QuestionRef", "QuestionSummary", "LevelCard", "UseCaseLink", "UseCaseLevel", "OtherLevel",
      "AnkiDeckLink", "GeneratedPageContext", "TagItem", "TagRef", "SnippetItem", "SnippetInfo", "FigureItem", "FilterItem",
      "ScriptURL", "PrintPart", "PrintLevel", "PrintSection",
    ]
    #expect(checked == Set(types))
  }

  /// A typed context as reflection sees it: what the templates read before the contexts listed
  /// their own fields, kept here as the reference.
  static func reflected(_ value: Any) -> Any? {
    let mirror = Mirror(reflecting: value)
    if mirror.displayStyle == .optional { return mirror.children.first.flatMap { reflected($0.value) } }
    switch value {
    case let string as String: return string
    case let int as Int: return int
    case let bool as Bool: return bool
    case let double as Double: return double
    case let flags as [String: Bool]: return flags
    case let array as [Any]: return array.compactMap(reflected)
    default: break
    }
    guard mirror.displayStyle == .struct else { return value }
    var out: [String: Any] = [:]
    for child in mirror.children {
      guard let label = child.label, let converted = reflected(child.value) else { continue }
      if label == "common", let shared = converted as? [String: Any] {
        out.merge(shared) { own, _ in own }
      } else {
        out[label] = converted
      }
    }
    return out
  }

  /// A template value as text, keys sorted, types named: equal texts, equal values.
  static func canonical(_ value: Any?) -> String {
    switch value {
    case nil: return "nil"
    case let dictionary as [String: Any]:
      return "{" + dictionary.keys.sorted().map { "\($0): \(canonical(dictionary[$0]))" }.joined(separator: ", ") + "}"
    case let flags as [String: Bool]:
      return "flags{" + flags.keys.sorted().map { "\($0): \(flags[$0]!)" }.joined(separator: ", ") + "}"
    case let array as [Any]: return "[" + array.map(canonical).joined(separator: ", ") + "]"
    case let string as String: return "s:" + string.debugDescription
    case let int as Int: return "i:\(int)"
    case let bool as Bool: return "b:\(bool)"
    case let value?: return "\(type(of: value)):\(value)"
    }
  }

  @Test func aMisspeltKeyInATemplateIsCaught() throws {
    let (site, plan, _) = try Self.basicPlan()
    let (library, _, _) = TemplateLoader.load(Self.templates)
    let renderer = SiteRenderer(site: site, runs: [:], templates: try #require(library))
    let question = try #require(plan.files.first { $0.path == "questions/mid/nms.html" })
    var provided: Set<String> = []
    Self.contextKeys(try #require(renderer.context(question)), into: &provided)
    let keys = Self.keys(inTemplate: "<h1>{{page.titel}}</h1>{{#hasRelated}}{{#related}}{{url}}{{/related}}{{/hasRelated}}")
    #expect(keys.subtracting(provided) == ["titel"])
  }

  /// The typed context of a question becomes exactly the dictionary the templates read.
  @Test func aQuestionsTypedContextHasItsKeysAndLeavesOutWhatItLacks() throws {
    let (site, plan, _) = try Self.basicPlan()
    let (library, _, _) = TemplateLoader.load(Self.templates)
    let renderer = SiteRenderer(site: site, runs: [:], templates: try #require(library))
    let question = try #require(plan.files.first { $0.path == "questions/mid/nms.html" })
    let context = try #require(renderer.context(question))
    let page = try #require(context["page"] as? [String: Any])
    #expect(page["title"] as? String == site.pages.first { $0.outputPath == "questions/mid/nms.html" }?.title)
    #expect(page["is"] as? [String: Bool] == ["question": true])
    #expect(page["noindex"] == nil, "a nil optional is left out")
    #expect(context["levelCards"] == nil, "only the home page has level cards")
    #expect((context["question"] as? [String: Any])?["id"] as? String == "nms")
    #expect(context["root"] as? String == "../../")
  }
}

/// The stages after the plan, on their own.
@Suite struct BuildStageTests {
  @Test func theExecutorWritesExactlyThePlannedFiles() throws {
    let (site, plan, _) = try BuildPlanTests.basicPlan()
    let (library, _, _) = TemplateLoader.load(BuildPlanTests.templates)
    let executor = BuildExecutor(
      plan: plan, renderer: SiteRenderer(site: site, runs: [:], templates: try #require(library)), keys: nil, previous: nil)
    let written = Mutex<[String]>([])
    let result = executor.run(jobs: 2) { path, _ in written.withLock { $0.append(path) } }
    let paths = written.withLock { $0 }
    #expect(Set(paths).count == paths.count, "each file written once")
    #expect(Set(paths) == Set(plan.rendered.map(\.path)), "the written files are the planned ones")
    #expect(result.files.map(\.path) == paths.sorted())
    #expect(result.searchIndexBytes > 0)
  }

  @Test func checkingSnippetsReportsAMissingExpectedOutputAndAnUnusedSnippet() {
    let (site, _) = SiteLinker.link(InMemoryGuide.sources(InMemoryGuide.basePages, snippets: ["iou": InMemoryGuide.snippet]), jobs: 1)
    let runs = [
      "iou": SnippetRun(name: "iou", stdout: "1\n", stderr: "", runSeconds: 0, compileSeconds: 0, fromCache: true, figures: [])
    ]
    var options = BuildPlanTests.options()
    options.runSnippets = true
    let checked = Stages.checkSnippets(site, runs: runs, options)
    #expect(
      checked.diagnostics.map(\.message) == [
        "snippet 'iou' declares no expected output", "snippet 'iou' is not used by any page",
      ])
  }

  @Test func aFolderTheGeneratorDidNotWriteIsRefusedBeforeAnythingElse() throws {
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("stage-refuse-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: work) }
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    try "mine\n".write(to: work.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
    var options = BuildPlanTests.options(output: work)
    options.writeOutput = true
    let refusal = try #require(Stages.refuseForeignOutput(options))
    #expect(refusal.severity == .error)
    options.writeOutput = false
    #expect(Stages.refuseForeignOutput(options) == nil, "guide check writes nothing and refuses nothing")
  }
}
