import Foundation
import Testing

/// Hostile inputs that need more than a diagnostic list (issue 20): pages built to cost quadratic
/// time, file names that need percent-encoding, and `guide new question` with hostile arguments.
@Suite struct HostileInputTests {
  static let config = """
    title: Hostile
    levels:
      - id: junior
        name: Junior
    tags:
      metrics: Evaluation metrics

    """

  /// A working folder with a minimal guide plus `files` (path → text); returns (root, work).
  static func guide(_ label: String, _ files: [String: String]) throws -> (URL, URL) {
    let root = try E2E.temporaryDirectory(label)
    let work = root.appendingPathComponent("work")
    var all = ["guide.yml": config, "index.md": "---\ntitle: Home\n---\n\nWelcome.\n"]
    all.merge(files) { _, new in new }
    for (path, text) in all {
      let url = work.appendingPathComponent("Guide/" + path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: false, encoding: .utf8)
    }
    return (root, work)
  }

  /// Runs the binary under bash and returns its result and the CPU seconds (user + system) it
  /// used: a bound on CPU time holds on a machine busy with other tests, where wall time does not.
  static func timed(_ arguments: [String], in work: URL) throws -> (E2E.Result, Double) {
    let binary = try #require(E2E.binary)
    let script = "\"$0\" \"$@\"; status=$?; times >&2; exit $status"
    var result = try E2E.run(["-c", script, binary.path] + arguments, in: work, executable: URL(fileURLWithPath: "/bin/bash"))
    // `times` prints the shell's own times, then its children's: "0m1.234s 0m0.056s".
    var lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    while lines.last == "" { lines.removeLast() }
    let children = lines.popLast() ?? ""
    _ = lines.popLast()
    result.stderr = lines.joined(separator: "\n") + "\n"
    let seconds = children.split(separator: " ").compactMap { field -> Double? in
      guard let m = field.firstIndex(of: "m") else { return nil }
      return (Double(field[..<m]) ?? 0) * 60 + (Double(field[field.index(after: m)...].dropLast()) ?? 0)
    }.reduce(0, +)
    return (result, seconds)
  }

  /// CPU seconds; generous: the release binary takes well under 2 s for each case.
  static let bound = 10.0

  @Test func fortyThousandIdenticalHeadingsBuildInLinearTime() throws {
    let page = "---\ntitle: Same\n---\n\n" + String(repeating: "## Same\n\n", count: 40_000)
    let (root, work) = try Self.guide("headings", ["same.md": page])
    defer { E2E.remove(root) }
    let (result, seconds) = try Self.timed(E2E.buildArguments(cache: root.appendingPathComponent("cache")), in: work)
    #expect(result.status == 0, "\(result)")
    #expect(seconds < Self.bound, "40,000 identical headings took \(seconds) s")
    let html = try E2E.read(work.appendingPathComponent("Site/same.html"))
    #expect(html.contains("id=\"same-40000\""))
  }

  @Test func threeThousandBrokenAnchorsAgainstThreeThousandHeadings() throws {
    var page = "---\ntitle: Anchors\n---\n\n"
    for i in 0..<3_000 { page += "## Heading number \(i)\n\n" }
    for i in 0..<3_000 { page += "[to \(i)](#heading-numbr-\(i))\n\n" }
    let (root, work) = try Self.guide("anchors", ["anchors.md": page])
    defer { E2E.remove(root) }
    let (result, seconds) = try Self.timed(["check", "--guide", "Guide", "--templates", E2E.templates.path], in: work)
    #expect(result.status == 1)
    #expect(seconds < Self.bound, "3,000 broken anchors took \(seconds) s")
    let lines = result.diagnosticLines
    #expect(lines.count == 3_000)
    #expect(lines.first == "Guide/anchors.md:6005:1: error: missing anchor '#heading-numbr-0' in this page")
    #expect(result.stderr.contains("hint: did you mean '#heading-number-0'?"))
  }

  @Test func eightThousandErrorsOnOneLinePrintQuickly() throws {
    let page = "---\ntitle: One line\n---\n\n" + String(repeating: "[x](#nope) ", count: 8_000) + "\n"
    let (root, work) = try Self.guide("one-line", ["line.md": page])
    defer { E2E.remove(root) }
    let (result, seconds) = try Self.timed(["check", "--guide", "Guide", "--templates", E2E.templates.path], in: work)
    #expect(result.status == 1)
    #expect(seconds < Self.bound, "8,000 errors on one line took \(seconds) s to print")
    #expect(result.diagnosticLines.count == 8_000)
    #expect(result.diagnosticLines.last == "Guide/line.md:5:87990: error: missing anchor '#nope' in this page")
  }

  @Test func fileNamesWithSpacesHashAndQuestionMarkGetEncodedHrefs() throws {
    let (root, work) = try Self.guide(
      "hrefs",
      [
        "index.md": "---\ntitle: Home\n---\n\nSee [the odd page](%231%20what%3F%20a%20b.md).\n",
        "#1 what? a b.md": "---\ntitle: Odd name\n---\n\nHello.\n",
      ])
    defer { E2E.remove(root) }
    let result = try E2E.run(E2E.buildArguments(cache: root.appendingPathComponent("cache")), in: work)
    #expect(result.status == 0, "\(result)")
    #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("Site/#1 what? a b.html").path))
    let home = try E2E.read(work.appendingPathComponent("Site/index.html"))
    #expect(home.contains("href=\"%231%20what%3F%20a%20b.html\""), "\(home)")
    let index = try E2E.read(work.appendingPathComponent("Site/assets/search-index.js"))
    #expect(index.contains("%231%20what%3F%20a%20b.html"))
  }

  @Test func newQuestionRefusesControlCharactersAndPathLevels() throws {
    let (root, work) = try Self.guide("new-question", [:])
    defer { E2E.remove(root) }
    let before = E2E.files(in: work)
    var result = try E2E.run(
      ["new", "question", "--guide", "Guide", "--level", "junior", "--title", "What is \u{1B}[31mIoU\u{07}?"], in: work)
    #expect(result.status == 64, "\(result)")
    #expect(result.stderr.hasPrefix("error: the title contains the control character U+001B: 'What is \\u{1b}[31mIoU\\u{7}?'"))
    #expect(!result.stderr.contains("\u{1B}"), "the escape reached the terminal")
    result = try E2E.run(
      ["new", "question", "--guide", "Guide", "--level", "../../../pwned", "--title", "What is IoU?"], in: work)
    #expect(result.status == 64, "\(result)")
    #expect(result.stderr.hasPrefix("error: level '../../../pwned' is not a level id"))
    #expect(E2E.files(in: work) == before, "a file was written")
    // A tab or a newline is refused too; a plain title works.
    result = try E2E.run(["new", "question", "--guide", "Guide", "--level", "junior", "--title", "Line\nbreak"], in: work)
    #expect(result.status == 64)
    result = try E2E.run(["new", "question", "--guide", "Guide", "--level", "junior", "--title", "What is IoU?"], in: work)
    #expect(result.status == 0, "\(result)")
  }
}
