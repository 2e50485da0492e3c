import Foundation
import Markdown
import Testing

@testable import GuideKit

/// The text-level defences of issue 20: control characters, YAML anchors, suggestions in bounded
/// time, safe path components, percent-encoded hrefs.
@Suite struct HostileTextTests {
  @Test func controlCharactersAreDroppedFromHTML() {
    #expect(HTML.escape("a\u{0}b\u{1B}[31mc\td\u{7F}<") == "ab[31mc\td&lt;")
    #expect(HTML.escape("line\nnext\r") == "line\nnext\r")
  }

  @Test func diagnosticsShowControlCharactersEscaped() {
    let printer = DiagnosticPrinter(sources: ["a.md": "one\ntwo \u{1B}[2J\u{0}\n"])
    let text = printer.format(.error("a.md", SourceLocation(line: 2, column: 1), "bad \u{1B}title"))
    #expect(!text.contains("\u{1B}") && !text.contains("\u{0}"))
    #expect(text.contains("bad \\u{1b}title"))
    #expect(text.contains("two \\u{1b}[2J\\u{0}"))
  }

  @Test(arguments: [
    ("a: &x 1", 1, 4), ("- &x [1]", 1, 3), ("k: [1, &x 2]", 1, 8), ("? &k a\n: b", 1, 3), ("a:\n  b: &deep {c: 1}", 2, 6),
    ("&top\na: 1", 1, 1),
  ])
  func findsAnchors(yaml: String, line: Int, column: Int) {
    let found = YAMLAnchors.first(in: yaml)
    #expect(found?.line == line && found?.column == column, "\(yaml): \(String(describing: found))")
  }

  @Test(arguments: [
    "title: \"Q&A\"", "title: R&D and R & D", "summary: |\n  &not an anchor\n  *nor an alias", "a: 1 # &comment",
    "title: 'it''s &fine'", "tags: [q&a, b]", "summary: >\n  & more text\nlevel: mid",
  ])
  func ignoresAmpersandsThatAreNotAnchors(yaml: String) {
    #expect(YAMLAnchors.first(in: yaml) == nil, "\(yaml)")
  }

  /// The reference: every candidate compared in full, sorted, first minimum.
  static func fullClosest(to word: String, in candidates: [String]) -> String? {
    let lower = word.lowercased()
    var best: (String, Int)?
    for candidate in candidates.sorted() {
      let d = Suggestions.distance(lower, candidate.lowercased())
      if best == nil || d < best!.1 { best = (candidate, d) }
    }
    guard let (candidate, d) = best else { return nil }
    return d <= max(2, min(lower.count, candidate.count) / 3) ? candidate : nil
  }

  @Test func boundedSuggestionsEqualFullOnes() {
    var generator = SystemRandomNumberGenerator()
    let alphabet = Array("abcde-")
    func word() -> String { String((0..<Int.random(in: 0...9, using: &generator)).map { _ in alphabet.randomElement()! }) }
    for _ in 0..<400 {
      let candidates = (0..<Int.random(in: 0...12, using: &generator)).map { _ in word() }
      let target = word()
      #expect(Suggestions.closest(to: target, in: candidates) == Self.fullClosest(to: target, in: candidates), "\(target) in \(candidates)")
    }
  }

  @Test func suggestionsStopWhenTheBudgetIsSpent() {
    let candidates = (0..<3_000).map { "heading-number-\($0)" }
    let budget = SuggestionBudget(comparisons: 6_000)
    #expect(budget.closest(to: "heading-numbr-7", in: candidates) == "heading-number-7")
    #expect(budget.closest(to: "heading-numbr-8", in: candidates) == "heading-number-8")
    #expect(budget.closest(to: "heading-numbr-9", in: candidates) == nil, "the budget of 6,000 comparisons is spent")
  }

  @Test func safePathComponents() {
    for id in ["junior", "mid-level", "senior_2", "A1"] { #expect(Slug.isSafePathComponent(id)) }
    for id in ["", "../x", "a/b", ".hidden", "-flag", "a b", "é", "a#b", String(repeating: "a", count: 101)] {
      #expect(!Slug.isSafePathComponent(id), "\(id)")
    }
  }

  @Test func hrefsArePercentEncoded() {
    #expect(SiteModel.href(from: "questions/mid/a.html", to: "#1 what? a b.html") == "../../%231%20what%3F%20a%20b.html")
    #expect(SiteModel.href(from: "index.html", to: "levels/junior.html", fragment: "x") == "levels/junior.html#x")
    #expect(SiteModel.encodePath("ré.html") == "r%C3%A9.html")
  }

  @Test func identicalHeadingsGetTheSameIdsAsBefore() {
    var allocator = Slug.Allocator()
    let ids = ["A", "A", "A-2", "A", "main", "Main"].map { allocator.allocate($0) }
    #expect(ids == ["a", "a-2", "a-2-2", "a-3", "main-2", "main-3"])
  }
}
