import Foundation
import Markdown
import Testing

@testable import GuideKit

/// What a teacher needs from `guide check`: unfinished and misfiled questions are reported, with positions.
@Suite struct TeacherChecksTests {
  static func parse(_ relativePath: String, _ text: String) -> (Page?, [Diagnostic]) {
    PageParser.parse(SourceFile(relativePath: relativePath, displayPath: "Guide/" + relativePath, text: text), config: InMemoryGuide.config)
  }

  static func lines(_ diagnostics: [Diagnostic]) -> [String] { diagnostics.sorted().map(\.description) }

  static let complete = """
    ## 60-second answer

    a

    ## Deeper explanation

    b

    ## Key points

    - c

    ## Follow-up questions

    - d

    ## Pitfalls and red flags

    - e

    """

  static func temporaryGuide() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("teacher-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let yml = "title: T\nlevels:\n  - id: junior\n    name: Junior\n  - id: mid\n    name: Mid-level\ntags:\n  metrics: Metrics\n"
    try yml.write(to: dir.appendingPathComponent("guide.yml"), atomically: true, encoding: .utf8)
    return dir
  }

  @Test func aCompleteQuestionHasNoWarnings() {
    let (page, diagnostics) = Self.parse("questions/junior/a.md", InMemoryGuide.question("A", body: Self.complete))
    #expect(page != nil)
    #expect(diagnostics.isEmpty, "\(diagnostics)")
  }

  @Test func anUntouchedNewQuestionIsReportedLineByLine() throws {
    let guide = try Self.temporaryGuide()
    defer { try? FileManager.default.removeItem(at: guide) }
    let path = try Scaffold.newQuestion(guideDirectory: guide, level: "mid", title: "What is NMS?", tags: [])
    let text = try String(
      contentsOfFile: path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path, encoding: .utf8)
    let (_, diagnostics) = Self.parse("questions/mid/what-is-nms.md", text)
    #expect(!diagnostics.hasErrors)
    #expect(
      Self.lines(diagnostics) == [
        "Guide/questions/mid/what-is-nms.md:4:7: warning: the question has no tags",
        "Guide/questions/mid/what-is-nms.md:5:10: warning: the summary is empty",
        "Guide/questions/mid/what-is-nms.md:10:1: warning: placeholder text from 'guide new question'",
        "Guide/questions/mid/what-is-nms.md:12:1: warning: section '## Deeper explanation' is empty",
        "Guide/questions/mid/what-is-nms.md:16:1: warning: empty list item",
        "Guide/questions/mid/what-is-nms.md:20:3: warning: placeholder text from 'guide new question'",
        "Guide/questions/mid/what-is-nms.md:24:1: warning: empty list item",
        "Guide/questions/mid/what-is-nms.md:26:1: warning: section '## Related' is empty",
      ])
  }

  @Test func aNearMissHeadingSaysDidYouMeanAndCountsAsTheSection() {
    let body = Self.complete.replacingOccurrences(of: "## 60-second answer", with: "## 60 second answer")
    let (_, diagnostics) = Self.parse("questions/junior/a.md", InMemoryGuide.question("A", body: body))
    #expect(Self.lines(diagnostics) == ["Guide/questions/junior/a.md:6:1: warning: unknown section '## 60 second answer'"])
    #expect(diagnostics.first?.hint == "did you mean '## 60-second answer'?")
  }

  @Test func missingAndOutOfOrderSectionsWarn() {
    let body = "## 60-second answer\n\na\n\n## Key points\n\n- c\n\n## Deeper explanation\n\nb\n"
    let (_, diagnostics) = Self.parse("questions/junior/a.md", InMemoryGuide.question("A", body: body))
    #expect(
      Self.lines(diagnostics) == [
        "Guide/questions/junior/a.md:14:1: warning: question has no '## Follow-up questions', '## Pitfalls and red flags' sections",
        "Guide/questions/junior/a.md:14:1: warning: section '## Deeper explanation' comes after '## Key points'",
      ])
  }

  @Test func aLevelThatDisagreesWithTheFolderIsAnError() {
    let (_, diagnostics) = Self.parse("questions/junior/a.md", InMemoryGuide.question("A", level: "mid", body: Self.complete))
    #expect(
      Self.lines(diagnostics) == ["Guide/questions/junior/a.md:3:8: error: level 'mid' does not match the folder 'questions/junior/'"])
  }

  @Test func aSecondUseCasePageForALevelIsReported() {
    let useCase = { (title: String) in "---\ntitle: \(title)\nlevel: junior\nsummary: s\n---\nText.\n" }
    var pages = InMemoryGuide.basePages
    pages["use-case/junior.md"] = useCase("Junior")
    pages["use-case/junior-2.md"] = useCase("Another")
    let (_, diagnostics) = SiteLinker.link(InMemoryGuide.sources(pages), jobs: 1)
    #expect(
      diagnostics.filter { $0.severity == .error }.map(\.description) == [
        "Guide/use-case/junior.md:3:8: error: a second use-case page for level 'junior'"
      ])
  }

  @Test func relatedFrontMatterIsHonouredAndCheckedWithPositions() throws {
    var pages = InMemoryGuide.basePages
    pages["questions/junior/b.md"] =
      "---\ntitle: B\nlevel: junior\ntags: [metrics]\nrelated: [iou.md, ../mid/map.md]\n---\n## 60-second answer\n\nx\n"
    pages["questions/junior/c.md"] =
      "---\ntitle: C\nlevel: junior\ntags: [metrics]\nrelated: [iou.md, nope.md]\n---\n## 60-second answer\n\nx\n"
    let (model, diagnostics) = SiteLinker.link(InMemoryGuide.sources(pages), jobs: 1)
    let b = try #require(model.pages.firstIndex { $0.title == "B" })
    #expect(model.related[b].map { model.pages[$0].title } == ["What is IoU?", "What is mAP?"])
    #expect(
      diagnostics.filter { $0.severity == .error }.map(\.description) == [
        "Guide/questions/junior/c.md:5:19: error: broken link: no page 'nope.md'"
      ])
  }

  @Test func newQuestionTakesAShortIdAndRefusesASecondQuestionWithTheSameTitle() throws {
    let guide = try Self.temporaryGuide()
    defer { try? FileManager.default.removeItem(at: guide) }
    let path = try Scaffold.newQuestion(
      guideDirectory: guide, level: "mid", title: "How does Soft-NMS differ from NMS?", tags: [], id: "soft-nms")
    #expect(path.hasSuffix("questions/mid/soft-nms.md"))
    #expect(throws: Scaffold.ScaffoldError.self) {
      try Scaffold.newQuestion(guideDirectory: guide, level: "junior", title: "how does soft-NMS differ from NMS? ", tags: [])
    }
    #expect(throws: Scaffold.ScaffoldError.self) {
      try Scaffold.newQuestion(guideDirectory: guide, level: "junior", title: "Another", tags: [], id: "Bad Id")
    }
    #expect(throws: Scaffold.ScaffoldError.self) {
      try Scaffold.newQuestion(guideDirectory: guide, level: "junior", title: "Another", tags: [], id: "soft-nms")
    }
  }

  @Test func newSnippetWritesASkeletonAndAnEmptyExpectedFile() throws {
    let guide = try Self.temporaryGuide()
    defer { try? FileManager.default.removeItem(at: guide) }
    let paths = try SnippetAcceptance.newSnippet(guideDirectory: guide, name: "soft-nms", title: "Soft-NMS")
    #expect(paths.count == 2)
    let expected = try String(contentsOf: guide.appendingPathComponent("snippets/soft-nms.expected"), encoding: .utf8)
    #expect(expected.isEmpty)
    let source = try String(contentsOf: guide.appendingPathComponent("snippets/soft-nms.swift"), encoding: .utf8)
    #expect(source.hasPrefix("// snippet.title: Soft-NMS\n"))
    #expect(throws: SnippetAcceptance.Failure.self) {
      try SnippetAcceptance.newSnippet(guideDirectory: guide, name: "soft-nms", title: nil)
    }
    #expect(throws: SnippetAcceptance.Failure.self) { try SnippetAcceptance.newSnippet(guideDirectory: guide, name: "../x", title: nil) }
  }

  @Test func acceptKeepsMatchingPatternLinesAndTakesTheRestLiterally() {
    let (old, _) = ExpectedOutput.parse("time: {{measured}}\nmAP {{0.5 ± 0.01}}\ncount 3\nlast\n", displayPath: "x.expected")
    let merged = SnippetAcceptance.merge(old: old, output: "time: 12 ms\nmAP 0.9\ncount 4\n")
    #expect(merged.text == "time: {{measured}}\nmAP 0.9\ncount 4\n")
    #expect(merged.kept == 1)
    #expect(merged.changed == 3)
    #expect(SnippetAcceptance.merge(old: nil, output: "a\nb\n").text == "a\nb\n")
  }
}
