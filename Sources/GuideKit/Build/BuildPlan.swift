import Foundation
import Markdown

/// The Plan stage: one list of every file the build writes, made from the site model before
/// anything is rendered. Each planned file has its path, what it depends on (the inputs of its
/// render key) and how it is made. The sitemap is derived from it, the executor renders from
/// it, and two files on one path are an error here, at the content file that causes it.
public struct BuildPlan: Sendable {
  /// How a file is made.
  public enum Job: Sendable, Hashable {
    /// A content page (index into ``SiteModel/pages``).
    case page(Int)
    /// The page of a level that has no level page of its own.
    case generatedLevel(String)
    case tagIndex
    case tag(String)
    case snippetIndex
    case snippet(String)
    case search
    case quiz
    case random
    case notFound
    case robots
    /// sitemap.xml, listing these site paths (the plan's indexable pages).
    case sitemap(paths: [String])
    /// `assets/quiz/<level>.js` (``BuildPlan/levelListPath(_:)``): a level's question list (ids,
    /// page URLs, tags, the paths of its quiz blocks), for random.html and the quiz's selection;
    /// with `idsOnly`, `assets/quiz/<level>/ids.js` (``BuildPlan/levelIdsPath(_:)``), its ids
    /// alone, for the home page's progress. Both show the structure only.
    case levelList(level: String, idsOnly: Bool)
    /// `assets/quiz/<level>/<block>.js` (``BuildPlan/quizBlockPath(_:block:)``): the questions and
    /// answers of one block of a level, which quiz.html loads when it shows one of them.
    case quizData(level: String, block: Int)
    /// One block of a level's print view (1: `print/<level>.html`, with the level's introduction;
    /// then `print/<level>-2.html`, …; see ``BuildPlan/printPath(_:block:)``), or the whole guide
    /// on one page (level nil, block 1) while the guide has at most ``wholeGuideLimit`` questions.
    case print(level: String?, block: Int)
    /// `print/all.html` of a guide over ``wholeGuideLimit`` questions: a contents page linking
    /// every print block of every level.
    case printContents
    /// A level's Anki deck (nil: the whole guide's, written only up to ``wholeGuideLimit`` questions).
    case anki(level: String?)
    /// `assets/search-index.js`, and the content-addressed shards under `assets/search/` of a
    /// large guide.
    case searchIndex
    /// A file copied as it is (an asset of the templates or of the guide), from this path.
    case copy(source: String)
  }

  /// What a file shows, as the inputs of its render key (``RenderKeys``): a file whose inputs
  /// hash as in the previous build is not made again.
  public enum Inputs: Sendable, Hashable {
    /// The site's structure only (tag pages, the search page, generated pages).
    case structure
    /// The structure and one page's source.
    case page(Int)
    /// The structure and the sources of several pages (print pages, quiz data, decks, search).
    case aggregate(name: String, pages: [Int])
    /// The structure and one snippet's run.
    case snippet(String)
    /// Copied files: not keyed (copied on every build).
    case copied
  }

  /// Who asked for a file: a content file (a page, a linked image) or the generator itself.
  public enum Origin: Sendable, Hashable {
    case content(path: String, location: SourceLocation)
    /// `what` names it in messages ("the search page"); `path`/`location` is where its name comes
    /// from (guide.yml for a level or tag, the snippet's file), if anywhere.
    case generated(what: String, path: String?, location: SourceLocation)
  }

  public struct File: Sendable, Hashable {
    public var path: String
    public var job: Job
    public var inputs: Inputs
    public var origin: Origin
    /// Listed in sitemap.xml (pages with content of their own).
    public var indexable: Bool

    /// Copied as it is, not made.
    var isCopied: Bool { if case .copy = job { true } else { false } }
  }

  /// Every file, in the order the sitemap lists pages (content pages first, home page first).
  public var files: [File]
  /// Folders whose whole content the generator owns: no content page may go inside them.
  public static let reservedFolders: [(folder: String, what: String)] = [
    ("assets/", "the site's scripts and styles"), ("print/", "the print pages"), ("tags/", "the topic pages"),
  ]

  // MARK: - Blocks

  /// The most questions one print page or one quiz data file holds: a level's print view and quiz
  /// data are split, in reading order, into blocks of this many questions, so that an edit
  /// rewrites one block and no file grows with the guide.
  public static let blockSize = 100
  /// Up to this many questions, `print/all.html` is the whole guide on one page and
  /// `anki/all.txt` is written; above it, `print/all.html` is a contents page of the print blocks
  /// and the whole guide's deck is not written (the level decks hold every question).
  public static let wholeGuideLimit = 3 * blockSize

  /// A level's questions cut into blocks of at most ``blockSize``, in order (one empty block for
  /// an empty level, so that the level always has its first print page).
  public static func blocks(_ questions: [Int]) -> [ArraySlice<Int>] {
    guard !questions.isEmpty else { return [questions[...]] }
    return stride(from: 0, to: questions.count, by: blockSize).map { questions[$0..<min($0 + blockSize, questions.count)] }
  }

  /// The print page of a level's block (1-based): `print/<level>.html`, then `print/<level>-2.html`, ….
  public static func printPath(_ level: String, block: Int) -> String {
    block <= 1 ? "print/\(level).html" : "print/\(level)-\(block).html"
  }

  /// A level's question list: `assets/quiz/<level>.js`.
  public static func levelListPath(_ level: String) -> String { "assets/quiz/\(level).js" }

  /// A level's question ids alone (the home page's progress): `assets/quiz/<level>/ids.js`.
  public static func levelIdsPath(_ level: String) -> String { "assets/quiz/\(level)/ids.js" }

  /// The quiz data of a level's block (1-based): `assets/quiz/<level>/<block>.js`.
  public static func quizBlockPath(_ level: String, block: Int) -> String { "assets/quiz/\(level)/\(block).js" }

  /// The site paths sitemap.xml lists, in order.
  public var sitemapPaths: [String] { files.filter(\.indexable).map(\.path) }

  /// The files made from templates and the site model (not copied).
  public var rendered: [File] { files.filter { !$0.isCopied } }

  /// The paths of ``rendered``, without copying the files.
  var renderedPaths: some Sequence<String> { files.lazy.filter { !$0.isCopied }.map(\.path) }

  /// The files copied as they are: (site path, source file).
  public var copies: [(path: String, source: String)] {
    files.compactMap { if case .copy(let source) = $0.job { return ($0.path, source) } else { return nil } }
  }

  // MARK: - Making the plan

  /// The plan for `site`. `templateAssets` are the files of the templates' `assets/` folder
  /// (relative path, source path), `configPath` the displayed path of guide.yml (for a level,
  /// tag or snippet whose generated page collides). Collisions are diagnostics.
  public static func make(
    site: SiteModel, templateAssets: [(relative: String, source: String)] = [], templatesDisplay: String = "Templates",
    configPath: String = "Guide/guide.yml"
  ) -> (BuildPlan, [Diagnostic]) {
    let config = site.config
    let origin = SourceLocation(line: 1, column: 1)
    var files: [File] = []
    func generated(
      _ path: String, _ job: Job, _ inputs: Inputs, _ what: String, indexable: Bool = false, from: String? = nil,
      at location: SourceLocation = SourceLocation(line: 1, column: 1)
    ) {
      files.append(
        File(path: path, job: job, inputs: inputs, origin: .generated(what: what, path: from, location: location), indexable: indexable))
    }
    let allQuestions = config.levels.flatMap { site.questionsByLevel[$0.id] ?? [] }

    // Content pages, the home page first.
    let home = site.pages.indices.filter { site.pages[$0].outputPath == "index.html" }
    let contentOrder = home + site.pages.indices.filter { site.pages[$0].outputPath != "index.html" }
    for index in contentOrder {
      files.append(
        File(
          path: site.pages[index].outputPath, job: .page(index), inputs: .page(index),
          origin: .content(path: site.pages[index].displayPath, location: origin), indexable: true))
    }
    for level in config.levels where site.levelPages[level.id] == nil {
      generated(
        "levels/\(level.id).html", .generatedLevel(level.id), .structure, "the page of level '\(level.id)'", indexable: true,
        from: configPath, at: level.location)
    }
    generated("tags/index.html", .tagIndex, .structure, "the topics page", indexable: true)
    for tag in config.tags {
      generated(
        "tags/\(tag.id).html", .tag(tag.id), .structure, "the page of tag '\(tag.id)'", indexable: true, from: configPath, at: tag.location)
    }
    generated("snippets/index.html", .snippetIndex, .structure, "the snippets page", indexable: true)
    for snippet in site.snippets {
      generated(
        snippet.outputPath, .snippet(snippet.name), .snippet(snippet.name), "the page of snippet '\(snippet.name)'", indexable: true,
        from: snippet.displayPath)
    }
    // search.html and random.html have no content of their own (both are `noindex`).
    generated("quiz.html", .quiz, .structure, "the quiz", indexable: true)
    generated("search.html", .search, .structure, "the search page")
    generated("random.html", .random, .structure, "the random-question page")
    generated("404.html", .notFound, .structure, "the not-found page")
    generated("robots.txt", .robots, .structure, "robots.txt")
    if config.siteURL != nil { generated("sitemap.xml", .sitemap(paths: []), .structure, "the sitemap") }
    // Each level's print view, deck and quiz data are keyed on that level's questions only, and
    // the print view and quiz data in blocks of ``blockSize`` questions: an edit inside an answer
    // rewrites its block's files and its level's deck, and keeps the rest.
    let whole = allQuestions.count <= wholeGuideLimit
    for level in config.levels {
      let questions = site.questionsByLevel[level.id] ?? []
      for (n, block) in blocks(questions).enumerated() {
        let path = printPath(level.id, block: n + 1)
        let intro = n == 0 ? (site.levelPages[level.id].map { [$0] } ?? []) : []
        generated(
          path, .print(level: level.id, block: n + 1), .aggregate(name: path, pages: Array(block) + intro),
          n == 0 ? "the print page of level '\(level.id)'" : "the print page of level '\(level.id)' (part \(n + 1))",
          from: configPath, at: level.location)
      }
    }
    if whole {
      generated(
        "print/all.html", .print(level: nil, block: 1), .aggregate(name: "print/all.html", pages: allQuestions),
        "the print page of the whole guide")
    } else {
      generated("print/all.html", .printContents, .structure, "the print page of the whole guide")
    }
    for level in config.levels {
      let path = "anki/\(level.id).txt"
      generated(
        path, .anki(level: level.id), .aggregate(name: path, pages: site.questionsByLevel[level.id] ?? []),
        "the Anki deck of level '\(level.id)'", from: configPath, at: level.location)
    }
    if whole {
      generated(
        "anki/all.txt", .anki(level: nil), .aggregate(name: "anki/all.txt", pages: allQuestions), "the Anki deck of the whole guide")
    }
    for level in config.levels {
      let questions = site.questionsByLevel[level.id] ?? []
      generated(
        levelListPath(level.id), .levelList(level: level.id, idsOnly: false), .structure, "the question list of level '\(level.id)'",
        from: configPath, at: level.location)
      generated(
        levelIdsPath(level.id), .levelList(level: level.id, idsOnly: true), .structure, "the question ids of level '\(level.id)'",
        from: configPath, at: level.location)
      for (n, block) in blocks(questions).enumerated() where !block.isEmpty {
        let path = quizBlockPath(level.id, block: n + 1)
        generated(
          path, .quizData(level: level.id, block: n + 1), .aggregate(name: path, pages: Array(block)),
          "the quiz data of level '\(level.id)' (part \(n + 1))", from: configPath, at: level.location)
      }
    }
    generated(
      "assets/search-index.js", .searchIndex, .aggregate(name: "search", pages: Array(site.pages.indices)), "the search index")

    // Copied files: the templates' assets (the icon also at the site's root), then the guide's.
    for asset in templateAssets {
      let display = GuideLoader.join(GuideLoader.join(templatesDisplay, "assets"), asset.relative)
      files.append(
        File(
          path: "assets/" + asset.relative, job: .copy(source: asset.source), inputs: .copied,
          origin: .generated(what: "the template asset '\(asset.relative)'", path: display, location: origin), indexable: false))
      if asset.relative == "favicon.svg" {
        files.append(
          File(
            path: "favicon.svg", job: .copy(source: asset.source), inputs: .copied,
            origin: .generated(what: "the icon", path: display, location: origin), indexable: false))
      }
    }
    for (path, source) in site.assets.sorted(by: { $0.key < $1.key }) {
      files.append(
        File(
          path: path, job: .copy(source: source), inputs: .copied,
          origin: .content(path: GuideLoader.join(configPath.dropLastComponent, path), location: origin), indexable: false))
    }
    // The sitemap lists what the plan says is indexable: one list of the site's pages.
    let indexable = files.filter(\.indexable).map(\.path)
    for i in files.indices where files[i].path == "sitemap.xml" && files[i].job == .sitemap(paths: []) {
      files[i].job = .sitemap(paths: indexable)
    }
    let plan = BuildPlan(files: files)
    return (plan, plan.collisions(site: site))
  }

  // MARK: - Collisions

  /// Two files on one path (the later one would replace the earlier, or race with it), content
  /// pages inside a folder the generator owns, and pages whose paths differ only in letter case.
  func collisions(site: SiteModel) -> [Diagnostic] {
    // Indexes, not files and pages: a page is a large value, and this runs over every page.
    var diagnostics: [Diagnostic] = []
    var first: [String: Int] = [:]
    first.reserveCapacity(files.count)
    var collided: Set<String> = []
    for index in files.indices {
      guard let other = first[files[index].path] else {
        first[files[index].path] = index
        continue
      }
      collided.insert(files[index].path)
      diagnostics.append(Self.collision(files[index], files[other]))
    }
    var byLowercased: [String: Int] = [:]
    byLowercased.reserveCapacity(site.pages.count)
    for index in site.pages.indices {
      let path = site.pages[index].outputPath
      let at = SourceLocation(line: 1, column: 1)
      if !collided.contains(path), let (folder, what) = Self.reservedFolders.first(where: { path.hasPrefix($0.folder) }) {
        diagnostics.append(
          .error(
            site.pages[index].displayPath, at, "this page would be written to '\(path)', inside '\(folder)', the folder of \(what)",
            hint: "move the file out of \(folder)"))
      }
      // (Most paths have no capital letter: no new string for them.)
      let lower = path.utf8.contains(where: { $0 >= 65 && $0 <= 90 || $0 >= 0x80 }) ? path.lowercased() : path
      if let other = byLowercased[lower] {
        diagnostics.append(
          .warning(
            site.pages[index].displayPath, at,
            "'\(site.pages[index].sourcePath)' and '\(site.pages[other].sourcePath)' differ only in letter case",
            hint: "they overwrite each other on case-insensitive file systems (macOS, Windows); rename one"))
      } else {
        byLowercased[lower] = index
      }
    }
    return diagnostics
  }

  /// The diagnostic for two planned files on one path: at the content file when one of them is
  /// content, else at the name (in guide.yml, a snippet's file, a template asset) that makes it.
  static func collision(_ a: File, _ b: File) -> Diagnostic {
    func what(_ file: File) -> String {
      switch file.origin {
      case .content(let path, _): return "'\(path)'"
      case .generated(let what, _, _): return what
      }
    }
    let (content, other) = { () -> (File?, File) in
      if case .content = a.origin { return (a, b) }
      if case .content = b.origin { return (b, a) }
      return (nil, a)
    }()
    if let content, case .content(let path, let location) = content.origin {
      if case .content = other.origin {
        return .error(
          path, location, "this file would be written to '\(content.path)', like \(what(other))",
          hint: "rename or move one of them")
      }
      let noun = { if case .page = content.job { return "page" } else { return "file" } }()
      return .error(
        path, location, "this \(noun) would be written to '\(content.path)', which is \(what(other)) the generator writes",
        hint: "rename or move the file; the generator's own pages cannot be replaced by content")
    }
    // Two generated files: the later one's name is the cause (a tag 'index', a level 'all', …).
    // Two generated files: the one whose name comes from the guide is the cause (a tag 'index',
    // a level 'all', a snippet 'index', a template asset named like a generated file).
    guard case .generated(let whatA, let pathA, let locationA) = a.origin, case .generated(let whatB, let pathB, let locationB) = b.origin
    else { return .error("", SourceLocation(line: 1, column: 1), "two files would be written to '\(a.path)'") }
    let (cause, causePath, location, taken) =
      pathB != nil ? (whatB, pathB!, locationB, whatA) : (whatA, pathA ?? "", locationA, whatB)
    return .error(
      causePath, location, "\(cause) would be written to '\(a.path)', which is \(taken)",
      hint: "choose another name; the generator's own files need their paths")
  }
}

extension String {
  /// The path without its last component (`Guide/guide.yml` → `Guide`).
  fileprivate var dropLastComponent: String {
    guard let slash = lastIndex(of: "/") else { return "." }
    return String(self[..<slash])
  }
}
