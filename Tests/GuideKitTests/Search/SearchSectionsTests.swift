import Foundation
import Testing

@testable import GuideKit

/// Defects 3 and 4 of issue 17: section anchors after a nested heading, excerpts of text without spaces.
@Suite struct SearchSectionsTests {
  @Test func aHeadingInsideAQuoteOrListDoesNotShiftLaterAnchors() throws {
    var pages = InMemoryGuide.basePages
    pages["questions/junior/q.md"] = InMemoryGuide.question(
      "Q", body: "## 60-second answer\n\n> ## Quoted\n\n- ## Listed\n\n## Deeper explanation\n\nd\n\n## Key points\n\n- k\n")
    let (model, _) = SiteLinker.link(InMemoryGuide.sources(pages), jobs: 1)
    let urls = SearchSections.sections(of: model).filter { $0.url.hasPrefix("questions/junior/q.html") }.map {
      "\($0.url) \($0.heading ?? "-")"
    }
    #expect(
      urls == [
        "questions/junior/q.html -", "questions/junior/q.html#60-second-answer 60-second answer",
        "questions/junior/q.html#deeper-explanation Deeper explanation", "questions/junior/q.html#key-points Key points",
      ])
  }

  @Test func aLongSectionWithoutSpacesStillGetsAnExcerpt() {
    let text = String(repeating: "a", count: 7_000)
    let m = SearchIndexBuilderTests.model([SearchIndexBuilderTests.section("a.html", text: text)])
    let js = m.files()[0].contents
    #expect(js.contains(String(repeating: "a", count: 6_000) + " \\u2026"))
  }

  @Test func anExcerptCutWithoutSpacesNeverSplitsASurrogatePair() {
    var b = SearchIndexBuilder(levels: [], tags: [], synonyms: [])
    b.excerptTextLimit = 5
    let m = SearchIndexModel(builder: b, sections: [SearchIndexBuilderTests.section("a.html", text: "abcd😀😀😀")])
    let js = m.files()[0].contents
    #expect(js.contains("abcd \\u2026"))
  }
}
