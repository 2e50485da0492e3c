import Foundation
import Testing

/// Incremental builds: after any edit, a rebuild into the previous output gives exactly the files
/// a clean build of the edited guide gives, and an edit inside one answer rewrites only what shows
/// that answer (the rest is linked unchanged from the previous output).
@Suite struct IncrementalBuildTests {
  struct Workspace {
    var root: URL
    var guideRoot: URL { root.appendingPathComponent("basic") }
    var cache: URL
    var templates: URL { guideRoot.appendingPathComponent("Templates") }
    var site: URL { guideRoot.appendingPathComponent("Site") }

    init(_ label: String) throws {
      let root = try E2E.temporaryDirectory(label)
      self.root = root
      cache = try E2E.warmCacheCopy(in: root)
      try E2E.copyFixture("basic", to: guideRoot)
      try FileManager.default.copyItem(at: E2E.templates, to: templates)
    }

    func build(output: String = "Site", _ extra: [String] = []) throws -> E2E.Result {
      try E2E.run(E2E.buildArguments(output: output, cache: cache, templates: "Templates", extra: extra), in: guideRoot)
    }

    func edit(_ relative: String, _ change: (String) -> String) throws {
      let url = guideRoot.appendingPathComponent(relative)
      let text = try E2E.read(url)
      let changed = change(text)
      #expect(changed != text, "the edit of \(relative) changes nothing")
      try Data(changed.utf8).write(to: url)
    }

    /// Inode of every file of the site, by relative path.
    func inodes() throws -> [String: UInt64] {
      var out: [String: UInt64] = [:]
      for path in E2E.files(in: site).keys {
        let attributes = try FileManager.default.attributesOfItem(atPath: site.appendingPathComponent(path).path)
        out[path] = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value
      }
      return out
    }

    /// Every folder under `directory` (an empty one too), relative.
    static func folders(in directory: URL) -> [String] {
      var out: [String] = []
      let enumerator = FileManager.default.enumerator(atPath: directory.path)
      while let item = enumerator?.nextObject() as? String {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent(item).path, isDirectory: &isFolder),
          isFolder.boolValue
        {
          out.append(item)
        }
      }
      return out.sorted()
    }

    /// The spare site of `Site/` in the cache (the site before the last one, which the next build
    /// stages into): the `spare-site` folder sharing a file with the site; nil when there is none.
    func spareSite() throws -> URL? {
      let builds = cache.appendingPathComponent("builds")
      let siteInodes = Set(try inodes().values)
      for name in (try? FileManager.default.contentsOfDirectory(atPath: builds.path)) ?? [] {
        let spare = builds.appendingPathComponent(name).appendingPathComponent("spare-site")
        for path in E2E.files(in: spare).keys {
          let attributes = try FileManager.default.attributesOfItem(atPath: spare.appendingPathComponent(path).path)
          if let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value, siteInodes.contains(inode) { return spare }
        }
      }
      return nil
    }

    /// Builds the guide as it is now into a fresh folder and compares it with `Site/`.
    func expectSiteEqualsCleanBuild(_ label: String) throws {
      let clean = try build(output: "Clean")
      #expect(clean.status == 0, "\(label): \(clean)")
      let incremental = E2E.files(in: site)
      let expected = E2E.files(in: guideRoot.appendingPathComponent("Clean"))
      #expect(Set(incremental.keys) == Set(expected.keys), "\(label): different file lists")
      #expect(
        Self.folders(in: site) == Self.folders(in: guideRoot.appendingPathComponent("Clean")), "\(label): different folders")
      for (path, data) in expected.sorted(by: { $0.key < $1.key }) {
        let mine = incremental[path].map { E2E.maskMeasured(String(decoding: $0, as: UTF8.self)) }
        #expect(mine == E2E.maskMeasured(String(decoding: data, as: UTF8.self)), "\(label): \(path) differs from a clean build")
      }
      E2E.remove(guideRoot.appendingPathComponent("Clean"))
    }
  }

  static func kept(_ stdout: String) -> Int {
    guard let range = stdout.range(of: #"kept \d+ unchanged"#, options: .regularExpression) else { return 0 }
    return Int(stdout[range].split(separator: " ")[1]) ?? 0
  }

  @Test func anEditInsideOneAnswerRewritesOnlyThatPageAndTheAggregatesShowingIt() throws {
    let ws = try Workspace("incremental-body")
    defer { E2E.remove(ws.root) }
    #expect(try ws.build().status == 0)
    let before = try ws.inodes()
    try ws.edit("Guide/questions/junior/what-is-iou.md") {
      $0.replacingOccurrences(of: "- It is symmetric.", with: "- It is symmetric, and 1 only for identical boxes.")
    }
    let result = try ws.build(output: "Site", ["--verbose"])
    #expect(result.status == 0, "\(result)")
    #expect(Self.kept(result.stdout) > 0, "\(result)")
    // Copied from the previous output, not rendered again, once per file that shows them: the
    // other junior question's quiz entry (1: the mid-level quiz file is kept whole), the other
    // junior question's print fragments (framing and answer) on print/junior.html and
    // print/all.html (4) and the mid question's on print/all.html (2), the other junior
    // question's Anki note in anki/junior.txt and anki/all.txt (2) and the mid question's in
    // anki/all.txt (1; anki/mid.txt is kept whole).
    #expect(result.stdout.contains(", 10 question parts of the aggregates"), "\(result)")
    let after = try ws.inodes()
    let rewritten = Set(after.filter { before[$0.key] != $0.value }.keys.filter { $0.hasSuffix(".html") })
    #expect(
      rewritten == ["questions/junior/what-is-iou.html", "print/junior.html", "print/all.html"],
      "pages rewritten: \(rewritten.sorted())")
    #expect(after["assets/quiz/junior/1.js"] != before["assets/quiz/junior/1.js"], "the level's quiz data holds the answer")
    #expect(after["assets/quiz/mid/1.js"] == before["assets/quiz/mid/1.js"], "another level's quiz data is kept")
    #expect(after["assets/quiz/junior.js"] == before["assets/quiz/junior.js"], "the level's question list is kept")
    #expect(after["anki/junior.txt"] != before["anki/junior.txt"] && after["anki/all.txt"] != before["anki/all.txt"])
    #expect(after["anki/mid.txt"] == before["anki/mid.txt"], "another level's Anki deck is kept")
    #expect(after["assets/search-index.js"] != before["assets/search-index.js"], "the search index holds its words")
    #expect(after["questions/junior/what-is-a-cnn.html"] == before["questions/junior/what-is-a-cnn.html"])
    #expect(try E2E.read(ws.site.appendingPathComponent("print/all.html")).contains("1 only for identical boxes"))
    try ws.expectSiteEqualsCleanBuild("body edit")
  }

  /// The old site is removed after the swap while the build records itself; removing it changes
  /// the status-change times of the files it shares with the new site (hard links), so the
  /// output is fingerprinted after that: edit after edit reuses the previous output, and a build
  /// after them finds nothing changed.
  @Test func editAfterEditReusesThePreviousOutput() throws {
    let ws = try Workspace("incremental-chain")
    defer { E2E.remove(ws.root) }
    #expect(try ws.build().status == 0)
    for round in 1...3 {
      try ws.edit("Guide/questions/junior/what-is-iou.md") { $0 + "\nAn added sentence, round \(round).\n" }
      let result = try ws.build(output: "Site", ["--verbose"])
      #expect(result.status == 0 && Self.kept(result.stdout) > 0, "round \(round): \(result)")
    }
    let again = try ws.build()
    #expect(again.status == 0 && again.stdout.hasPrefix("guide: nothing changed since the last build"), "\(again)")
    try ws.expectSiteEqualsCleanBuild("edit after edit")
  }

  /// A guide over ``BuildPlan/wholeGuideLimit`` questions (the basic fixture and 300 more junior
  /// questions): an edit inside one answer rewrites its page, its block's print page and quiz
  /// data and its level's deck, and nothing else of the aggregates; print/all.html is a contents
  /// page and there is no deck of the whole guide.
  @Test func anEditInsideOneAnswerOfALargeGuideRewritesOnlyItsBlock() throws {
    let ws = try Workspace("incremental-blocks")
    defer { E2E.remove(ws.root) }
    let folder = ws.guideRoot.appendingPathComponent("Guide/questions/junior")
    for n in 0..<300 {
      let text =
        "---\ntitle: Generated question \(n)\nlevel: junior\ntags: [metrics]\nsummary: Generated.\norder: \(100 + n)\n---\n\n"
        + "## 60-second answer\n\nAnswer number \(n).\n\n## Key points\n\n- Point \(n).\n"
      try Data(text.utf8).write(to: folder.appendingPathComponent(String(format: "gen-%03d.md", n)))
    }
    let first = try ws.build()
    #expect(first.status == 0, "\(first)")
    let before = try ws.inodes()
    // The junior level: its 2 questions, then the generated ones (302: blocks of 100, 100, 100, 2).
    #expect(before["print/junior-4.html"] != nil && before["print/junior-5.html"] == nil)
    #expect(before["assets/quiz/junior/4.js"] != nil && before["anki/all.txt"] == nil)
    #expect(try E2E.read(ws.site.appendingPathComponent("print/all.html")).contains("<a href=\"junior-4.html\">"))
    // Generated question 150 is the 153rd junior question: block 2.
    try ws.edit("Guide/questions/junior/gen-150.md") {
      $0.replacingOccurrences(of: "Answer number 150.", with: "Answer number 150, edited.")
    }
    let result = try ws.build(output: "Site", ["--verbose"])
    #expect(result.status == 0, "\(result)")
    let after = try ws.inodes()
    // (The templates' assets are copied on every build; the search index is checked elsewhere.)
    let rewritten = Set(
      after.filter { before[$0.key] != $0.value }.keys.filter {
        $0.hasSuffix(".html") || $0.hasPrefix("assets/quiz/") || $0.hasPrefix("anki/")
      })
    #expect(
      rewritten == ["questions/junior/gen-150.html", "print/junior-2.html", "assets/quiz/junior/2.js", "anki/junior.txt"],
      "files rewritten: \(rewritten.sorted())")
    #expect(try E2E.read(ws.site.appendingPathComponent("print/junior-2.html")).contains("Answer number 150, edited."))
    try ws.expectSiteEqualsCleanBuild("body edit in a block")
  }

  @Test func everyKindOfEditGivesTheSameSiteAsACleanBuild() throws {
    let ws = try Workspace("incremental-kinds")
    defer { E2E.remove(ws.root) }
    #expect(try ws.build().status == 0)
    let edits: [(String, String, (String) -> String)] = [
      (
        "a question's title", "Guide/questions/junior/what-is-a-cnn.md",
        { $0.replacingOccurrences(of: "title: What is a convolutional neural network?", with: "title: How does a CNN work?") }
      ),
      ("a new heading", "Guide/questions/mid/nms.md", { $0 + "\n## A new section\n\nWith text.\n" }),
      (
        "a new link", "Guide/tips.md", { $0 + "\nSee [the IoU question](questions/junior/what-is-iou.md#key-points).\n" }
      ),
      ("a tag's name", "Guide/guide.yml", { $0.replacingOccurrences(of: "metrics: Evaluation metrics", with: "metrics: Metrics") }),
      ("a template", "Templates/partials/foot.mustache", { $0.replacingOccurrences(of: "</footer>", with: "<!-- edited -->\n</footer>") }),
      ("a snippet", "Guide/snippets/greet.swift", { $0 + "\n// a comment that changes the source\n" }),
      (
        "the summary again", "Guide/questions/junior/what-is-iou.md",
        { $0.replacingOccurrences(of: "Overlap area", with: "The overlap area") }
      ),
    ]
    for (label, path, change) in edits {
      try ws.edit(path, change)
      let result = try ws.build()
      #expect(result.status == 0, "\(label): \(result)")
      try ws.expectSiteEqualsCleanBuild(label)
    }
    // A new page.
    let newPage = ws.guideRoot.appendingPathComponent("Guide/questions/mid/anchors.md")
    try Data(
      "---\ntitle: What are anchor boxes?\nlevel: mid\ntags: [detection]\nsummary: Priors.\norder: 5\n---\n\n## 60-second answer\n\nPriors. See [NMS](nms.md).\n"
        .utf8
    ).write(to: newPage)
    #expect(try ws.build().status == 0)
    try ws.expectSiteEqualsCleanBuild("a new page")
    // A page removed again.
    try FileManager.default.removeItem(at: newPage)
    #expect(try ws.build().status == 0)
    try ws.expectSiteEqualsCleanBuild("a removed page")
  }

  /// The counts `guide build --verbose` prints for the search index: (analysed, reused).
  static func searchAnalysis(_ stdout: String) -> (analysed: Int, reused: Int)? {
    guard let range = stdout.range(of: #"search index: \d+ pages analysed, \d+ reused"#, options: .regularExpression) else {
      return nil
    }
    let numbers = stdout[range].split(separator: " ").compactMap { Int($0) }
    return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
  }

  /// The search index analyses only the edited page and takes every other page's terms from the
  /// last build (issue 19); a change to guide.yml (tags, synonyms) analyses every page again; a new
  /// title is found by search and shown by the pages that link to it; the site is always the same
  /// as a clean build's.
  @Test func theSearchIndexAnalysesOnlyTheEditedPages() throws {
    let ws = try Workspace("incremental-search")
    defer { E2E.remove(ws.root) }
    #expect(try ws.build().status == 0)
    try ws.edit("Guide/questions/junior/what-is-iou.md") {
      $0.replacingOccurrences(of: "- It is symmetric.", with: "- It is symmetric, and zanzibarite only for identical boxes.")
    }
    let body = try ws.build(output: "Site", ["--verbose"])
    #expect(body.status == 0, "\(body)")
    let counts = try #require(Self.searchAnalysis(body.stdout), "\(body.stdout)")
    #expect(counts.analysed == 1 && counts.reused > 3, "\(counts)")
    #expect(try E2E.read(ws.site.appendingPathComponent("assets/search-index.js")).contains("zanzibarit"))
    try ws.expectSiteEqualsCleanBuild("a body edit with the search analysis reused")

    try ws.edit("Guide/questions/junior/what-is-a-cnn.md") {
      $0.replacingOccurrences(of: "title: What is a convolutional neural network?", with: "title: How do quokkanets see?")
    }
    let title = try ws.build(output: "Site", ["--verbose"])
    #expect(Self.searchAnalysis(title.stdout).map { $0.analysed == 1 && $0.reused == counts.reused } == true, "\(title.stdout)")
    #expect(try E2E.read(ws.site.appendingPathComponent("assets/search-index.js")).contains("quokkanet"))
    let pages = (FileManager.default.subpaths(atPath: ws.site.path) ?? []).filter { $0.hasSuffix(".html") }
    let showing = try pages.filter { try E2E.read(ws.site.appendingPathComponent($0)).contains("How do quokkanets see?") }
    #expect(showing.contains("levels/junior.html") && showing.count > 2, "pages showing the new title: \(showing.sorted())")
    try ws.expectSiteEqualsCleanBuild("a title edit with the search analysis reused")

    try ws.edit("Guide/guide.yml") { $0.replacingOccurrences(of: "metrics: Evaluation metrics", with: "metrics: Metrics") }
    let config = try ws.build(output: "Site", ["--verbose"])
    #expect(Self.searchAnalysis(config.stdout).map { $0.reused == 0 && $0.analysed == counts.reused + 1 } == true, "\(config.stdout)")
    try ws.expectSiteEqualsCleanBuild("guide.yml edited")
  }

  static func pageSummaries(_ stdout: String) -> (parsed: Int, restored: Int)? {
    guard let range = stdout.range(of: #"pages: \d+ parsed, \d+ taken"#, options: .regularExpression) else { return nil }
    let numbers = stdout[range].split(separator: " ").compactMap { Int($0) }
    return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
  }

  /// Unchanged pages are neither read nor parsed: the build links them from the last build's
  /// summaries, and still finds what an edit elsewhere breaks in them, quoting their lines.
  @Test func unchangedPagesComeFromTheSummariesAndAreStillChecked() throws {
    let ws = try Workspace("incremental-summaries")
    defer { E2E.remove(ws.root) }
    let first = try ws.build(output: "Site", ["--verbose"])
    #expect(first.status == 0 && Self.pageSummaries(first.stdout) == nil, "a first build parses every page: \(first.stdout)")

    try ws.edit("Guide/questions/junior/what-is-iou.md") {
      $0.replacingOccurrences(of: "- It is symmetric.", with: "- It is symmetric, always.")
    }
    let body = try ws.build(output: "Site", ["--verbose"])
    let counts = try #require(Self.pageSummaries(body.stdout), "\(body.stdout)")
    #expect(body.status == 0 && counts.parsed == 1 && counts.restored > 3, "\(body.stdout)")
    try ws.expectSiteEqualsCleanBuild("a body edit with the other pages from their summaries")

    // A heading another page links to is renamed: the linking page is not parsed, yet its link
    // is found broken, at its line and column, with the line quoted.
    try ws.edit("Guide/questions/junior/what-is-a-cnn.md") { $0.replacingOccurrences(of: "## Key points", with: "## Main points") }
    let broken = try ws.build(output: "Site", ["--verbose"])
    #expect(broken.status == 1, "\(broken)")
    #expect(broken.stderr.contains("questions/junior/what-is-iou.md:14:10: error: missing anchor '#key-points'"), "\(broken.stderr)")
    #expect(broken.stderr.contains("See also [CNNs](what-is-a-cnn.md#key-points)"), "the line is quoted: \(broken.stderr)")
    try ws.edit("Guide/questions/junior/what-is-a-cnn.md") { $0.replacingOccurrences(of: "## Main points", with: "## Key points") }
    #expect(try ws.build().status == 0)
    try ws.expectSiteEqualsCleanBuild("a heading renamed and renamed back")

    // A page with a warning is parsed again by every build, so its warning is shown every time.
    try ws.edit("Guide/questions/mid/nms.md") { $0.replacingOccurrences(of: "\n---\n", with: "\ncolour: blue\n---\n") }
    for _ in 0..<2 {
      let warned = try ws.build(output: "Site", ["--verbose"])
      #expect(warned.status == 0 && warned.stderr.contains("unknown front-matter field 'colour'"), "\(warned)")
    }

    // The same for a warning of loading: a byte-order mark.
    let cnn = ws.guideRoot.appendingPathComponent("Guide/questions/junior/what-is-a-cnn.md")
    try Data([0xEF, 0xBB, 0xBF] + Array(try E2E.read(cnn).utf8)).write(to: cnn)
    for _ in 0..<2 {
      let marked = try ws.build(output: "Site", ["--verbose"])
      #expect(marked.status == 0 && marked.stderr.contains("what-is-a-cnn.md:1:1: warning:"), "\(marked)")
    }

    // Summaries that cannot be read are ignored: every page is parsed, the site is the same.
    let cacheFiles = FileManager.default.enumerator(atPath: ws.cache.path)?.compactMap { $0 as? String } ?? []
    let summaries = cacheFiles.filter { $0.hasSuffix("page-summaries.bin") }
    #expect(!summaries.isEmpty)
    for file in summaries { try Data("guide-page-summaries 1\ngarbage".utf8).write(to: ws.cache.appendingPathComponent(file)) }
    try ws.edit("Guide/index.md") { $0 + "\nOne more sentence.\n" }
    let garbled = try ws.build(output: "Site", ["--verbose"])
    #expect(garbled.status == 0 && Self.pageSummaries(garbled.stdout) == nil, "\(garbled.stdout)")
    try ws.expectSiteEqualsCleanBuild("garbled summaries")
  }

  /// The count of pages whose links `guide build --verbose` says the last build's link stands for.
  static func linkedBefore(_ stdout: String) -> Int? {
    guard let range = stdout.range(of: #"links: \d+ pages' links as the last build"#, options: .regularExpression) else {
      return nil
    }
    return Int(stdout[range].split(separator: " ")[1])
  }

  /// An edit that leaves every link's target as it was resolves only the edited page's links (the
  /// last build's link, ``LinkSnapshot``, stands for the others); one that moves a link into the
  /// Related section, keeping every destination, changes related questions and links everything;
  /// a damaged snapshot is not used. The site is always a clean build's.
  @Test func unchangedPagesKeepTheLastBuildsLinks() throws {
    let ws = try Workspace("incremental-links")
    defer { E2E.remove(ws.root) }
    let first = try ws.build(output: "Site", ["--verbose"])
    #expect(first.status == 0 && Self.linkedBefore(first.stdout) == nil, "a first build links every page: \(first.stdout)")

    try ws.edit("Guide/questions/junior/what-is-iou.md") {
      $0.replacingOccurrences(of: "- It is symmetric.", with: "- It is symmetric, too.")
    }
    let body = try ws.build(output: "Site", ["--verbose"])
    let restored = try #require(Self.pageSummaries(body.stdout)?.restored, "\(body.stdout)")
    #expect(body.status == 0 && Self.linkedBefore(body.stdout) == restored, "\(body.stdout)")
    try ws.expectSiteEqualsCleanBuild("a body edit with the last build's links")

    try ws.edit("Guide/questions/junior/what-is-iou.md") {
      $0.replacingOccurrences(of: " and [NMS](../mid/nms.md).", with: ".") + "- [NMS](../mid/nms.md)\n"
    }
    let moved = try ws.build(output: "Site", ["--verbose"])
    #expect(moved.status == 0 && Self.linkedBefore(moved.stdout) == nil, "\(moved.stdout)")
    let page = try E2E.read(ws.site.appendingPathComponent("questions/junior/what-is-iou.html"))
    let related = try #require(page.range(of: "id=\"related\"")).upperBound
    #expect(page[related...].contains("nms.html"), "NMS is now a related question")
    try ws.expectSiteEqualsCleanBuild("a link moved into the Related section")

    let cacheFiles = FileManager.default.enumerator(atPath: ws.cache.path)?.compactMap { $0 as? String } ?? []
    let snapshots = cacheFiles.filter { $0.hasSuffix("links.bin") }
    #expect(!snapshots.isEmpty)
    for file in snapshots { try Data("guide-links 1\ngarbage".utf8).write(to: ws.cache.appendingPathComponent(file)) }
    try ws.edit("Guide/questions/junior/what-is-iou.md") { $0.replacingOccurrences(of: "symmetric, too.", with: "symmetric.") }
    let damaged = try ws.build(output: "Site", ["--verbose"])
    #expect(damaged.status == 0 && Self.linkedBefore(damaged.stdout) == nil, "\(damaged.stdout)")
    try ws.expectSiteEqualsCleanBuild("a damaged link snapshot")
    let again = try ws.build(output: "Site", ["--verbose"])
    #expect(again.status == 0, "\(again)")
    try ws.edit("Guide/questions/junior/what-is-iou.md") { $0.replacingOccurrences(of: "symmetric.", with: "symmetric, still.") }
    let after = try ws.build(output: "Site", ["--verbose"])
    #expect(Self.linkedBefore(after.stdout) != nil, "the next link made a new snapshot: \(after.stdout)")
    try ws.expectSiteEqualsCleanBuild("a body edit after the snapshot was made again")
  }

  @Test func aHandEditedOutputFileIsNotTrusted() throws {
    let ws = try Workspace("incremental-tampered")
    defer { E2E.remove(ws.root) }
    #expect(try ws.build().status == 0)
    let tips = ws.site.appendingPathComponent("tips.html")
    try Data("<p>edited by hand</p>".utf8).write(to: tips)
    try ws.edit("Guide/index.md") { $0 + "\nOne more sentence.\n" }
    let result = try ws.build()
    #expect(result.status == 0, "\(result)")
    #expect(Self.kept(result.stdout) == 0, "a changed output folder is rendered again in full: \(result)")
    #expect(!(try E2E.read(tips)).contains("edited by hand"))
    try ws.expectSiteEqualsCleanBuild("tampered output")
  }

  /// A build stages into the output's spare site (the site before the last one, kept in the
  /// cache after the swap): after an edit, most of its files are the site's own (hard links).
  /// A spare damaged by hand is trusted only for the files it still shares with the site: files
  /// and folders (empty ones too) added to it and a file it does not share rewritten leave the
  /// site reused and the same as a clean build's; a shared file removed from it changes the
  /// site's files (their link count), so the site is rendered again in full, again the same as a
  /// clean build's.
  @Test func editsStageIntoTheSpareSiteAndADamagedSpareChangesNothing() throws {
    let ws = try Workspace("incremental-spare")
    defer { E2E.remove(ws.root) }
    #expect(try ws.build().status == 0)
    try ws.edit("Guide/questions/junior/what-is-iou.md") { $0 + "\nOne more sentence.\n" }
    let edited = try ws.build()
    #expect(edited.status == 0, "\(edited)")
    #if os(Linux)
      let spare = try #require(try ws.spareSite(), "the old site is kept as the spare")
      let site = try ws.inodes()
      let shared = try E2E.files(in: spare).keys.filter { path in
        let attributes = try FileManager.default.attributesOfItem(atPath: spare.appendingPathComponent(path).path)
        return (attributes[.systemFileNumber] as? NSNumber)?.uint64Value == site[path]
      }
      #expect(shared.count * 2 > site.count, "most of the spare is the site's files: \(shared.count) of \(site.count)")
      let page = "questions/junior/what-is-iou.html"
      #expect(!shared.contains(page), "the edited page is a file of its own in the spare")
      try Data("<p>stale, by hand</p>".utf8).write(to: spare.appendingPathComponent(page))
      try Data("<p>extra</p>".utf8).write(to: spare.appendingPathComponent("extra.html"))
      try FileManager.default.createDirectory(at: spare.appendingPathComponent("extra/deeper"), withIntermediateDirectories: true)
      try Data("x".utf8).write(to: spare.appendingPathComponent("extra/deeper/file.txt"))
      try FileManager.default.createDirectory(at: spare.appendingPathComponent("empty/emptier"), withIntermediateDirectories: true)
    #endif
    try ws.edit("Guide/tips.md") { $0 + "\nAnother tip.\n" }
    let again = try ws.build()
    #expect(again.status == 0, "\(again)")
    #expect(Self.kept(again.stdout) > 0, "the site is still reused: \(again)")
    try ws.expectSiteEqualsCleanBuild("a damaged spare")
    #if os(Linux)
      let next = try #require(try ws.spareSite())
      try FileManager.default.removeItem(at: next.appendingPathComponent("index.html"))
    #endif
    try ws.edit("Guide/tips.md") { $0 + "\nA third tip.\n" }
    #expect(try ws.build().status == 0)
    try ws.expectSiteEqualsCleanBuild("a shared file removed from the spare")
  }

  static var tmpfsIsAnotherFileSystem: Bool {
    var shm = stat()
    var here = stat()
    return stat("/dev/shm", &shm) == 0 && stat(FileManager.default.temporaryDirectory.path, &here) == 0
      && shm.st_dev != here.st_dev
  }

  /// Where the cache is on another file system than the output (here tmpfs), the spare site
  /// cannot be exchanged with the output: each build stages into a new folder beside the output,
  /// as before, still links the unchanged files, and leaves nothing behind.
  @Test(.enabled(if: Self.tmpfsIsAnotherFileSystem, "needs /dev/shm on another file system than the temporary folder"))
  func withTheCacheOnAnotherFileSystemABuildStagesBesideTheOutput() throws {
    var ws = try Workspace("incremental-other-fs")
    defer { E2E.remove(ws.root) }
    let cache = URL(fileURLWithPath: "/dev/shm/guide-e2e-cache-\(UUID().uuidString.prefix(8))")
    try FileManager.default.copyItem(at: ws.cache, to: cache)
    defer { E2E.remove(cache) }
    // The warm cache's records of the output it was made with (its snippet runs stay).
    E2E.remove(cache.appendingPathComponent("builds"))
    ws.cache = cache
    #expect(try ws.build().status == 0)
    try ws.edit("Guide/questions/junior/what-is-iou.md") { $0 + "\nOne more sentence.\n" }
    let edited = try ws.build()
    #expect(edited.status == 0, "\(edited)")
    #expect(Self.kept(edited.stdout) > 0, "unchanged files are still linked: \(edited)")
    let builds = cache.appendingPathComponent("builds")
    let spares = try FileManager.default.contentsOfDirectory(atPath: builds.path).filter {
      FileManager.default.fileExists(atPath: builds.appendingPathComponent($0).appendingPathComponent("spare-site").path)
    }
    #expect(spares.isEmpty, "no spare site on another file system")
    let beside = try FileManager.default.contentsOfDirectory(atPath: ws.guideRoot.path).filter { $0.hasPrefix(".Site.") }
    #expect(beside.isEmpty, "nothing left beside the output: \(beside)")
    try ws.expectSiteEqualsCleanBuild("the cache on another file system")
  }
}
