import Foundation
import Testing

/// Every folder `Tests/Fixtures/bad/<case>/` is a minimal guide (`Guide/`) plus `expected.txt`:
///
///     exit: 1
///     Guide/questions/junior/iou.md:3:8: error: unknown level 'senior'
///
/// The first line is the expected exit code; every other line is one diagnostic line exactly as
/// printed (`path:line:col: severity: message`, in order; `{{any}}` matches any text). Paths are
/// relative to the case folder, the working directory of the run (see `GuideProcess.swift`).
/// Cases whose input cannot be committed (a 10 MB file, a symlink, broken templates, …) are
/// completed at run time by ``BadFixtureTests/prepare(_:in:)``.
/// A failing case must write nothing: no `Site/` appears. Cases named `ok-*` must build.
/// A case may add build options in `arguments.txt` (one per line, e.g. `--warnings-as-errors`).
/// Re-record `expected.txt` files with `RECORD_GOLDEN=1` (then review the diff!).
@Suite struct BadFixtureTests {
  static let directory = E2E.fixtures.appendingPathComponent("bad")

  static let allCases: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { !$0.hasPrefix(".") }.sorted()
  }()

  /// Cases whose guide has a snippet: each costs a swiftc run.
  static let snippetCases = allCases.filter {
    FileManager.default.fileExists(atPath: directory.appendingPathComponent("\($0)/Guide/snippets").path)
  }
  static let quickCases = allCases.filter { !snippetCases.contains($0) }

  @Test func thereAreAtLeastTwentyFiveCases() {
    #expect(Self.allCases.count >= 25)
  }

  @Test(arguments: quickCases)
  func quickCaseGivesExactlyItsDiagnostics(name: String) throws {
    try check(name)
  }

  @Test(arguments: snippetCases)
  func snippetCaseGivesExactlyItsDiagnostics(name: String) throws {
    try check(name)
  }

  /// Finishes the cases that are generated at run time. Returns extra build arguments.
  static func prepare(_ name: String, in work: URL) throws -> (templates: String?, output: String) {
    let fm = FileManager.default
    let guide = work.appendingPathComponent("Guide")
    func copyTemplates() throws -> URL {
      let copy = work.appendingPathComponent("Templates")
      try fm.copyItem(at: E2E.templates, to: copy)
      return copy
    }
    switch name {
    case "large-file":
      var text = "---\ntitle: Big\n---\n\n"
      let line = String(repeating: "lorem ipsum ", count: 8) + "\n"
      let lines = (10 * 1_048_576 - text.utf8.count) / line.utf8.count + 1
      text += String(repeating: line, count: lines)
      try text.write(to: guide.appendingPathComponent("big.md"), atomically: false, encoding: .utf8)
    case "deep-nesting":
      let text = "---\ntitle: Deep\n---\n\n" + String(repeating: "> ", count: 5_000) + "deep\n"
      try text.write(to: guide.appendingPathComponent("deep.md"), atomically: false, encoding: .utf8)
    case "symlink-outside":
      let outside = work.deletingLastPathComponent().appendingPathComponent("\(work.lastPathComponent)-secret.md")
      try "---\ntitle: Secret\n---\n\nOutside the guide.\n".write(to: outside, atomically: false, encoding: .utf8)
      try fm.createSymbolicLink(at: guide.appendingPathComponent("leak.md"), withDestinationURL: outside)
    case "template-syntax-error":
      let templates = try copyTemplates()
      let question = templates.appendingPathComponent("question.mustache")
      let text = try E2E.read(question)
      try ("{{#page}}\n<h1>{{title}}</h1>\n{{/pages}}\n" + text).write(to: question, atomically: false, encoding: .utf8)
      return ("Templates", "Site")
    case "missing-template":
      let templates = try copyTemplates()
      try fm.removeItem(at: templates.appendingPathComponent("tag.mustache"))
      return ("Templates", "Site")
    case "unwritable-output":
      // A regular file where the output's parent folder should be: even root cannot create it.
      try "not a folder\n".write(to: work.appendingPathComponent("blocker"), atomically: false, encoding: .utf8)
      return (nil, "blocker/Site")
    default:
      if let prepared = try prepareHostile(name, in: work) { return prepared }
    }
    return (nil, "Site")
  }

  struct Expectation {
    var exit: Int32
    var lines: [String]
  }

  static func expectation(_ name: String) throws -> Expectation? {
    guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("\(name)/expected.txt").path) else { return nil }
    var lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    let first = try #require(lines.first, "\(name)/expected.txt is empty")
    let exit = try #require(Int32(first.replacingOccurrences(of: "exit: ", with: "")), "first line must be 'exit: N'")
    lines.removeFirst()
    return Expectation(exit: exit, lines: lines)
  }

  static func matches(_ actual: String, _ pattern: String) -> Bool {
    guard pattern.contains("{{any}}") else { return actual == pattern }
    let parts = pattern.components(separatedBy: "{{any}}").map { NSRegularExpression.escapedPattern(for: $0) }
    return actual.range(of: "^" + parts.joined(separator: ".*") + "$", options: .regularExpression) != nil
  }

  func check(_ name: String) throws {
    let root = try E2E.temporaryDirectory("bad-\(name)")
    defer { E2E.remove(root) }
    let work = root.appendingPathComponent(name)
    try FileManager.default.copyItem(at: Self.directory.appendingPathComponent(name), to: work)
    try? FileManager.default.removeItem(at: work.appendingPathComponent("expected.txt"))
    let arguments = FileManager.default.contents(atPath: work.appendingPathComponent("arguments.txt").path) ?? Data()
    let extra = String(decoding: arguments, as: UTF8.self).split(separator: "\n").map(String.init)
    try? FileManager.default.removeItem(at: work.appendingPathComponent("arguments.txt"))
    let (templates, output) = try Self.prepare(name, in: work)
    let result = try E2E.run(
      E2E.buildArguments(output: output, cache: root.appendingPathComponent("cache"), templates: templates, extra: extra), in: work)

    if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
      let text = (["exit: \(result.status)"] + result.diagnosticLines).joined(separator: "\n") + "\n"
      let url = Self.directory.appendingPathComponent("\(name)/expected.txt")
      if (try? E2E.read(url))?.contains("{{any}}") != true {
        try text.write(to: url, atomically: true, encoding: .utf8)
      }
    }
    let expected = try #require(try Self.expectation(name), "missing Tests/Fixtures/bad/\(name)/expected.txt")
    #expect(result.status == expected.exit, "\(result)")
    let actual = result.diagnosticLines
    #expect(actual.count == expected.lines.count, "\(result)")
    for (a, e) in zip(actual, expected.lines) {
      #expect(Self.matches(a, e), "diagnostic differs:\n  actual:   \(a)\n  expected: \(e)")
    }
    if expected.exit == 0 {
      #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("Site/index.html").path))
    } else {
      #expect(result.stderr.contains("nothing was written"), "\(result)")
      #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("Site").path), "a failed build wrote Site/")
      let leftovers =
        (try? FileManager.default.contentsOfDirectory(atPath: work.path))?.filter { $0.contains(".tmp-") || $0.contains(".old-") } ?? []
      #expect(leftovers.isEmpty, "temporary folders left: \(leftovers)")
    }
    if name == "unwritable-output" {
      var isDir: ObjCBool = true
      #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("blocker").path, isDirectory: &isDir) && !isDir.boolValue)
    }
  }

  @Test func scriptInTitlesTagsAndHeadingsIsEscapedInTheBuiltSite() throws {
    let name = "ok-script-in-title"
    let root = try E2E.temporaryDirectory(name)
    defer { E2E.remove(root) }
    let work = root.appendingPathComponent(name)
    try FileManager.default.copyItem(at: Self.directory.appendingPathComponent(name), to: work)
    let result = try E2E.run(E2E.buildArguments(cache: root.appendingPathComponent("cache")), in: work)
    #expect(result.status == 0, "\(result)")
    let site = work.appendingPathComponent("Site")
    for page in ["questions/junior/iou.html", "levels/junior.html", "tags/metrics.html", "tags/index.html", "index.html"] {
      let html = try E2E.read(site.appendingPathComponent(page))
      #expect(!html.contains("<script>alert"), "raw <script> from content in \(page)")
      #expect(!html.contains("</script> &"), "raw </script> from content in \(page)")
    }
    let question = try E2E.read(site.appendingPathComponent("questions/junior/iou.html"))
    #expect(question.contains("What is &lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; IoU?"), "escaped title")
    #expect(question.contains("&lt;script&gt;alert(&#39;tag&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"), "escaped tag name")
    #expect(question.contains("&lt;script&gt;alert(&quot;h&quot;)&lt;/script&gt;"), "escaped heading")
  }
}
