import Foundation
import Testing

/// End-to-end runs of the built binary on `Tests/Fixtures/basic` and `Tests/Fixtures/three-mistakes`
/// (conventions in `GuideProcess.swift`). Golden files: `Tests/Fixtures/basic-golden/`, re-recorded
/// with `RECORD_GOLDEN=1`, compared after masking the contents of `data-measured` elements.
@Suite struct BasicBuildTests {
  /// A temporary folder holding a copy of the basic fixture (`basic/`) and a warm cache (`cache/`).
  struct Workspace {
    var root: URL
    var guideRoot: URL { root.appendingPathComponent("basic") }
    var cache: URL
    var site: URL { guideRoot.appendingPathComponent("Site") }

    init(_ label: String, warm: Bool = true) throws {
      root = try E2E.temporaryDirectory(label)
      try E2E.copyFixture("basic", to: root.appendingPathComponent("basic"))
      cache = warm ? try E2E.warmCacheCopy(in: root) : root.appendingPathComponent("cache")
    }

    func build(_ extra: [String] = [], output: String = "Site") throws -> E2E.Result {
      try E2E.run(E2E.buildArguments(output: output, cache: cache, extra: extra), in: guideRoot)
    }

    func append(_ text: String, to relative: String) throws {
      let url = guideRoot.appendingPathComponent("Guide/" + relative)
      let handle = try FileHandle(forWritingTo: url)
      try handle.seekToEnd()
      try handle.write(contentsOf: Data(text.utf8))
      try handle.close()
    }
  }

  @Test func buildsTheBasicFixture() throws {
    let ws = try Workspace("basic")
    defer { E2E.remove(ws.root) }
    let result = try ws.build()
    #expect(result.status == 0, "\(result)")
    #expect(result.stderr.isEmpty, "no warnings expected:\n\(result.stderr)")
    #expect(
      result.stdout.range(
        of: #"^guide: wrote \d+ files \(7 pages\) to Site in [0-9.]+ s; snippets: 0 ran, 2 from cache; 0 warning\(s\)\n$"#,
        options: .regularExpression) != nil, "\(result)")
    for page in [
      "index.html", "levels/junior.html", "levels/mid.html", "levels/senior.html", "questions/junior/what-is-iou.html",
      "questions/junior/what-is-a-cnn.html", "questions/mid/nms.html", "use-case/junior.html", "tips.html", "tags/index.html",
      "tags/metrics.html", "snippets/index.html", "snippets/greet.html", "snippets/count.html", "search.html", "quiz.html",
      "404.html", "assets/search-index.js", "assets/style.css",
    ] {
      #expect(FileManager.default.fileExists(atPath: ws.site.appendingPathComponent(page).path), "missing \(page)")
    }
    let iou = try E2E.read(ws.site.appendingPathComponent("questions/junior/what-is-iou.html"))
    #expect(iou.contains(#"<a href="../../questions/junior/what-is-a-cnn.html#key-points">CNNs</a>"#))
    #expect(iou.contains(#"<a href="../../questions/mid/nms.html">NMS</a>"#))
    #expect(
      iou.contains("Hello, Ada!\nHello, Grace!\nratio: 0.9123\ntook: <span data-measured=\"\">some</span> time"),
      "snippet output with the measured piece marked")
    #expect(iou.contains(#"<a href="../../snippets/greet.html">greet.swift</a>"#))
    #expect(!iou.contains("started = Date()"), "hidden snippet lines are not shown")
    let level = try E2E.read(ws.site.appendingPathComponent("levels/junior.html"))
    #expect(level.contains(#"href="../questions/junior/what-is-iou.html#60-second-answer""#))
    #expect(level.contains(#"href="../snippets/greet.html""#))
    let cnn = try E2E.read(ws.site.appendingPathComponent("questions/junior/what-is-a-cnn.html"))
    #expect(cnn.contains("greeting"), "the embedded slice")
    #expect(!cnn.contains("ratio"), "only the slice is embedded")
    let useCase = try E2E.read(ws.site.appendingPathComponent("use-case/junior.html"))
    #expect(useCase.contains("sum: 55"))
    let snippetPage = try E2E.read(ws.site.appendingPathComponent("snippets/greet.html"))
    #expect(snippetPage.range(of: #"<span data-measured="">[0-9.]+ s</span>"#, options: .regularExpression) != nil, "duration is measured")
    for (path, data) in E2E.files(in: ws.site) where path.hasSuffix(".html") {
      let html = String(decoding: data, as: UTF8.self)
      #expect(html.range(of: ##"href="[^"#:]*\.md[#"]"##, options: .regularExpression) == nil, "\(path) links to a .md file")
      #expect(html.range(of: #"href="[^"]*/""#, options: .regularExpression) == nil, "\(path) links to a folder")
      #expect(html.contains(#"type="search""#), "\(path) has no search box")
    }
  }

  @Test func matchesTheGoldenFiles() throws {
    let ws = try Workspace("golden")
    defer { E2E.remove(ws.root) }
    let result = try ws.build()
    try #require(result.status == 0, "\(result)")
    let golden = E2E.fixtures.appendingPathComponent("basic-golden")
    let record = ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"
    for page in ["index.html", "questions/junior/what-is-iou.html"] {
      let actual = E2E.maskMeasured(try E2E.read(ws.site.appendingPathComponent(page)))
      let url = golden.appendingPathComponent(page)
      if record {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
        continue
      }
      let expected = try E2E.read(url)
      if actual != expected {
        let a = actual.components(separatedBy: "\n")
        let e = expected.components(separatedBy: "\n")
        let line = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
        Issue.record(
          "\(page) differs from Tests/Fixtures/basic-golden/\(page) at line \(line + 1) (RECORD_GOLDEN=1 re-records):\n- \(line < e.count ? e[line] : "(end)")\n+ \(line < a.count ? a[line] : "(end)")"
        )
      }
    }
  }

  @Test func threeMistakesGiveThreeDiagnosticsAndKeepThePreviousSite() throws {
    let ws = try Workspace("three")
    defer { E2E.remove(ws.root) }
    let output = ws.root.appendingPathComponent("out/Site")
    let first = try ws.build(output: output.path)
    try #require(first.status == 0, "\(first)")
    let before = E2E.files(in: output)
    #expect(before["index.html"] != nil)

    let bad = ws.root.appendingPathComponent("three-mistakes")
    try E2E.copyFixture("three-mistakes", to: bad)
    let result = try E2E.run(E2E.buildArguments(output: output.path, cache: ws.cache), in: bad)
    #expect(result.status == 1, "\(result)")
    let expectedLines: [String] = [
      "Guide/questions/junior/what-is-a-cnn.md:3:8: error: unknown level 'juniour'",
      "Guide/questions/junior/what-is-iou.md:14:50: error: broken link: no page '../mid/nmss.md'",
      "Guide/questions/mid/nms.md:4:19: error: unknown tag 'detecton'",
    ]
    let actualLines = result.diagnosticLines
    #expect(actualLines == expectedLines, "\(result)")
    #expect(result.stderr.contains("guide: 3 error(s), 0 warning(s); nothing was written"))
    #expect(result.stderr.contains("    hint: did you mean 'junior'?"))
    #expect(result.stderr.contains("    hint: did you mean '../mid/nms.md'?"))
    #expect(result.stdout.isEmpty)
    #expect(E2E.files(in: output) == before, "the previous site is unchanged")
    let beside = try FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path)
    #expect(beside.filter { $0 != "Site" && !$0.hasSuffix(".lock") }.isEmpty, "left beside the output: \(beside)")
  }

  @Test func checkFormatJSONListsTheDiagnostics() throws {
    let root = try E2E.temporaryDirectory("json")
    defer { E2E.remove(root) }
    let work = root.appendingPathComponent("three-mistakes")
    try E2E.copyFixture("three-mistakes", to: work)
    let result = try E2E.run(
      [
        "check", "--guide", "Guide", "--templates", E2E.templates.path, "--cache", root.appendingPathComponent("cache").path, "--format",
        "json",
      ],
      in: work)
    #expect(result.status == 1, "\(result)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]], "\(result)")
    #expect(json.count == 3)
    let paths: [String] = [
      "Guide/questions/junior/what-is-a-cnn.md", "Guide/questions/junior/what-is-iou.md", "Guide/questions/mid/nms.md",
    ]
    let actualPaths = json.compactMap { $0["path"] as? String }
    #expect(actualPaths == paths)
    #expect(json.compactMap { $0["line"] as? Int } == [3, 14, 4])
    #expect(json.compactMap { $0["column"] as? Int } == [8, 50, 19])
    #expect(json.allSatisfy { ($0["severity"] as? String) == "error" } == true)
    #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("Site").path), "check writes nothing")
  }

  @Test func twoBuildsFromTwoCopiesAreIdenticalApartFromMeasuredValues() throws {
    let a = try Workspace("repro-a")
    defer { E2E.remove(a.root) }
    let first = try a.build()
    try #require(first.status == 0, "\(first)")
    Thread.sleep(forTimeInterval: 1.1)
    let b = try Workspace("repro-b")
    defer { E2E.remove(b.root) }
    let second = try b.build(output: "Other")
    try #require(second.status == 0, "\(second)")
    let filesA = E2E.files(in: a.site)
    let filesB = E2E.files(in: b.guideRoot.appendingPathComponent("Other"))
    #expect(filesA.keys.sorted() == filesB.keys.sorted())
    for (path, dataA) in filesA {
      guard let dataB = filesB[path] else { continue }
      if dataA == dataB { continue }
      let maskedA = E2E.maskMeasured(String(decoding: dataA, as: UTF8.self))
      let maskedB = E2E.maskMeasured(String(decoding: dataB, as: UTF8.self))
      #expect(maskedA == maskedB, "\(path) differs outside data-measured elements")
    }
    for (path, data) in filesA {
      let text = String(decoding: data, as: UTF8.self)
      #expect(!text.contains(a.root.path), "\(path) contains the absolute path of the working copy")
    }
  }

  @Test func warmRebuildRunsNoSnippets() throws {
    let ws = try Workspace("warm-rebuild")
    defer { E2E.remove(ws.root) }
    let result = try ws.build()
    #expect(result.status == 0, "\(result)")
    let counts = try #require(E2E.snippetCounts(result.stdout), "\(result)")
    #expect(counts.ran == 0)
    #expect(counts.cached == 2)
  }

  @Test func aSecondBuildWithNothingChangedDoesNothingAndAnEditRebuilds() throws {
    let ws = try Workspace("no-change")
    defer { E2E.remove(ws.root) }
    #expect(try ws.build().status == 0)
    let index = ws.site.appendingPathComponent("index.html")
    let before = try E2E.read(index)
    let again = try ws.build()
    #expect(again.status == 0, "\(again)")
    #expect(again.stdout.hasPrefix("guide: nothing changed since the last build"), "\(again)")
    #expect(try E2E.read(index) == before)
    // Touching the output (a deleted page) or the input makes the next build a real one.
    try FileManager.default.removeItem(at: ws.site.appendingPathComponent("tips.html"))
    let repaired = try ws.build()
    #expect(repaired.stdout.hasPrefix("guide: wrote"), "\(repaired)")
    #expect(FileManager.default.fileExists(atPath: ws.site.appendingPathComponent("tips.html").path))
    try ws.append("\nOne more sentence.\n", to: "tips.md")
    let edited = try ws.build()
    #expect(edited.stdout.hasPrefix("guide: wrote"), "\(edited)")
    #expect(try E2E.read(ws.site.appendingPathComponent("tips.html")).contains("One more sentence."))
  }

  @Test func siteURLGivesSitemapCanonicalLinksAndRobotsWhileLinksStayRelative() throws {
    let ws = try Workspace("site-url")
    defer { E2E.remove(ws.root) }
    let config = ws.guideRoot.appendingPathComponent("Guide/guide.yml")
    let yaml = try E2E.read(config).replacingOccurrences(of: "site_url: \"\"", with: "site_url: https://example.org/cv/guide")
    try yaml.write(to: config, atomically: true, encoding: .utf8)
    let result = try ws.build()
    #expect(result.status == 0, "\(result)")
    let sitemap = try E2E.read(ws.site.appendingPathComponent("sitemap.xml"))
    #expect(sitemap.contains("<loc>https://example.org/cv/guide/</loc>"))
    #expect(sitemap.contains("<loc>https://example.org/cv/guide/questions/junior/what-is-iou.html</loc>"))
    // Pages with no content of their own stay out of the sitemap (and are marked noindex).
    #expect(!sitemap.contains("search.html"), "search.html is not a page to index")
    #expect(!sitemap.contains("random.html"), "random.html is not a page to index")
    #expect(try E2E.read(ws.site.appendingPathComponent("search.html")).contains("<meta name=\"robots\" content=\"noindex\">"))
    let question = try E2E.read(ws.site.appendingPathComponent("questions/junior/what-is-iou.html"))
    #expect(question.contains("<meta property=\"og:title\""), "Open Graph tags")
    #expect(question.contains("<meta property=\"og:url\" content=\"https://example.org/cv/guide/questions/junior/what-is-iou.html\">"))
    let robots = try E2E.read(ws.site.appendingPathComponent("robots.txt"))
    #expect(robots.contains("Sitemap: https://example.org/cv/guide/sitemap.xml"))
    let iou = try E2E.read(ws.site.appendingPathComponent("questions/junior/what-is-iou.html"))
    #expect(iou.contains(#"<link rel="canonical" href="https://example.org/cv/guide/questions/junior/what-is-iou.html">"#))
    #expect(iou.contains(#"<a href="../../questions/mid/nms.html">NMS</a>"#), "links stay relative")
    let notFound = try E2E.read(ws.site.appendingPathComponent("404.html"))
    #expect(notFound.contains("https://example.org/cv/guide/assets/style.css"), "404 is served at any depth: absolute links")
  }

  @Test func editingASnippetRerunsExactlyThatSnippetAndVerboseSaysWhy() throws {
    let ws = try Workspace("edit-snippet")
    defer { E2E.remove(ws.root) }
    try ws.append("// an edit that changes nothing\n", to: "snippets/greet.swift")
    let result = try ws.build(["--verbose"])
    #expect(result.status == 0, "\(result)")
    let counts = try #require(E2E.snippetCounts(result.stdout), "\(result)")
    #expect(counts.ran == 1)
    #expect(counts.cached == 1)
    #expect(result.stdout.contains("snippet greet: ran: its source changed"), "\(result)")
    #expect(result.stdout.contains("snippet count: from the cache"), "\(result)")
  }

  /// Snippets are compiled against the whole shared module, so a snippet may use (and the optimiser
  /// inline) code from a shared file it does not name in `snippet.uses`: every snippet runs again.
  @Test func editingASharedFileRerunsOnlyTheSnippetsThatUseIt() throws {
    let ws = try Workspace("edit-shared")
    defer { E2E.remove(ws.root) }
    try ws.append("// an edit that changes nothing\n", to: "snippets/Shared/Greeting.swift")
    let result = try ws.build(["--verbose"])
    #expect(result.status == 0, "\(result)")
    let counts = try #require(E2E.snippetCounts(result.stdout), "\(result)")
    #expect(counts.ran == 1, "greet calls into Greeting.swift; count does not")
    #expect(counts.cached == 1)
    #expect(result.stdout.contains("snippet greet: ran: shared code it uses changed: Greeting.swift"), "\(result)")
    #expect(result.stdout.contains("snippet count: from the cache"), "\(result)")
  }

  @Test func rerunSnippetsRunsThemAll() throws {
    let ws = try Workspace("rerun")
    defer { E2E.remove(ws.root) }
    let result = try ws.build(["--rerun-snippets", "--verbose"])
    #expect(result.status == 0, "\(result)")
    let counts = try #require(E2E.snippetCounts(result.stdout), "\(result)")
    #expect(counts.ran == 2)
    #expect(counts.cached == 0)
    #expect(result.stdout.contains("snippet count: ran: --rerun-snippets"), "\(result)")
  }

  @Test func twoConcurrentBuildsIntoTheSameOutputBothSucceed() throws {
    let ws = try Workspace("concurrent")
    defer { E2E.remove(ws.root) }
    let output = ws.root.appendingPathComponent("shared-out/Site")
    let results = ConcurrentResults()
    let args = E2E.buildArguments(output: output.path, cache: ws.cache)
    let directory = ws.guideRoot
    DispatchQueue.concurrentPerform(iterations: 2) { i in
      do {
        let r = try E2E.run(args, in: directory)
        results.lock.withLock { results.values[i] = r }
      } catch {
        results.lock.withLock { results.errors.append("\(error)") }
      }
    }
    #expect(results.errors.isEmpty, "\(results.errors)")
    for result in results.values {
      let r = try #require(result)
      #expect(r.status == 0, "\(r)")
    }
    // The final output is complete: the same files as a single build.
    let single = try ws.build()
    try #require(single.status == 0)
    let expectedFiles = E2E.files(in: ws.site).keys.sorted()
    let actual = E2E.files(in: output)
    #expect(actual.keys.sorted() == expectedFiles)
    let index = String(decoding: actual["index.html"] ?? Data(), as: UTF8.self)
    #expect(index.hasSuffix("</html>\n") || index.hasSuffix("</html>"), "index.html is complete")
    let beside = try FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path)
    #expect(beside.filter { $0 != "Site" && !$0.hasSuffix(".lock") }.isEmpty, "left beside the output: \(beside)")
  }
}

/// Results of processes run from several threads at once.
final class ConcurrentResults: @unchecked Sendable {
  var values: [E2E.Result?] = [nil, nil]
  var errors: [String] = []
  let lock = NSLock()
}

@Suite struct CommandLineTests {
  @Test func unknownFlagIsAUsageError() throws {
    let root = try E2E.temporaryDirectory("flag")
    defer { E2E.remove(root) }
    let result = try E2E.run(["build", "--no-such-flag"], in: root)
    #expect(result.status == 64, "\(result)")
    #expect(result.stderr.contains("--no-such-flag"), "\(result)")
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("Site").path))
  }

  @Test func newQuestionThenCheckThenBuild() throws {
    let root = try E2E.temporaryDirectory("new")
    defer { E2E.remove(root) }
    let work = root.appendingPathComponent("basic")
    try E2E.copyFixture("basic", to: work)
    let cache = try E2E.warmCacheCopy(in: root)
    let created = try E2E.run(["new", "question", "--guide", "Guide", "--level", "mid", "--title", "X", "--tags", "detection"], in: work)
    #expect(created.status == 0, "\(created)")
    #expect(created.stdout == "Guide/questions/mid/x.md\n", "\(created)")
    let text = try E2E.read(work.appendingPathComponent("Guide/questions/mid/x.md"))
    #expect(text.hasPrefix("---\ntitle: \"X\"\nlevel: mid\ntags: [detection]\n"))

    let checked = try E2E.run(["check", "--guide", "Guide", "--templates", E2E.templates.path, "--cache", cache.path], in: work)
    #expect(checked.status == 0, "\(checked)")
    #expect(checked.stdout.hasPrefix("guide check: no errors"), "\(checked)")
    #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("Site").path), "check writes nothing")

    let built = try E2E.run(E2E.buildArguments(cache: cache), in: work)
    #expect(built.status == 0, "\(built)")
    #expect(built.stdout.contains("(8 pages)"), "\(built)")
    let level = try E2E.read(work.appendingPathComponent("Site/levels/mid.html"))
    #expect(level.contains(#"href="../questions/mid/x.html""#))
  }

  @Test func newQuestionWithAnUnknownLevelListsTheValidLevels() throws {
    let root = try E2E.temporaryDirectory("new-bad")
    defer { E2E.remove(root) }
    let work = root.appendingPathComponent("basic")
    try E2E.copyFixture("basic", to: work)
    let result = try E2E.run(["new", "question", "--guide", "Guide", "--level", "midd", "--title", "X"], in: work)
    #expect(result.status == 64, "\(result)")
    #expect(result.stderr.contains("unknown level 'midd'"), "\(result)")
    #expect(result.stderr.contains("valid levels: junior, mid, senior"), "\(result)")
    #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("Guide/questions/midd").path))
  }
}
