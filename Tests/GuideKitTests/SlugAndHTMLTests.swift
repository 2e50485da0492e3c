import Testing

@testable import GuideKit

@Suite struct SlugTests {
  @Test(arguments: [
    ("COCO mAP @[.5:.95]", "coco-map-5-95"),
    ("60-second answer", "60-second-answer"),
    ("Key points", "key-points"),
    ("Follow-up questions", "follow-up-questions"),
    ("  Leading and trailing  ", "leading-and-trailing"),
    ("IoU == 0.5?", "iou-0-5"),
    ("snake_case and CamelCase", "snake-case-and-camelcase"),
  ])
  func makesLowerCaseDashedSlugs(text: String, slug: String) {
    #expect(Slug.make(text) == slug)
  }

  @Test(arguments: [("Réseau de neurones", "reseau-de-neurones"), ("Ça marche", "ca-marche"), ("naïve Bayes", "naive-bayes")])
  func foldsDiacritics(text: String, slug: String) {
    #expect(Slug.make(text) == slug)
  }

  @Test(arguments: ["", "   ", "@#$%", "---"])
  func fallsBackToSectionWhenNothingIsLeft(text: String) {
    #expect(Slug.make(text) == "section")
  }

  @Test func duplicatesGetNumberedSuffixes() {
    var allocator = Slug.Allocator()
    #expect(
      ["Intro", "Intro", "intro!", "Other", "Intro"].map { allocator.allocate($0) } == ["intro", "intro-2", "intro-3", "other", "intro-4"])
  }

  @Test(arguments: ["Answer", "Main", "Search results", "Site search"])
  func reservedTemplateIdsAreNeverTaken(heading: String) {
    var allocator = Slug.Allocator()
    let id = allocator.allocate(heading)
    #expect(!Slug.reserved.contains(id))
    #expect(id == Slug.make(heading) + "-2")
  }

  @Test func aSuffixedSlugDoesNotCollideWithALaterLiteralHeading() {
    var allocator = Slug.Allocator()
    let ids = ["Intro", "Intro", "Intro 2"].map { allocator.allocate($0) }
    #expect(Set(ids).count == 3, "ids must be unique: \(ids)")
  }
}

@Suite struct HTMLEscapingTests {
  @Test(arguments: [
    ("<script>alert(\"x\")</script>", "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"),
    ("Tom & Jerry's", "Tom &amp; Jerry&#39;s"),
    ("a > b < c", "a &gt; b &lt; c"),
    ("plain text é ✓", "plain text é ✓"),
    ("&amp;", "&amp;amp;"),
    ("", ""),
  ])
  func escapesTextAndAttributeCharacters(raw: String, escaped: String) {
    #expect(HTML.escape(raw) == escaped)
  }

  @Test func escapedTextIsSafeInsideAQuotedAttribute() {
    let value = HTML.escape("\" onmouseover='alert(1)' x=\"")
    #expect(!value.contains("\""))
    #expect(!value.contains("'"))
    #expect(!value.contains("<"))
  }

  @Test(arguments: [
    ("a b.html", "a%20b.html"),
    ("q.html#x", "q.html#x"),
    ("r\u{E9}seau.html", "r%C3%A9seau.html"),
    ("x\"y", "x%22y"),
    ("search.html?q=a&b=c", "search.html?q=a&b=c"),
  ])
  func encodesURLs(url: String, encoded: String) {
    #expect(HTML.encodeURL(url) == encoded)
  }
}

@Suite struct SuggestionTests {
  @Test(arguments: [("juniour", "junior"), ("Senoir", "senior"), ("mid", "mid"), ("metric", "metrics")])
  func suggestsTheClosestCandidate(word: String, suggestion: String) {
    #expect(Suggestions.closest(to: word, in: ["junior", "mid", "senior", "metrics"]) == suggestion)
  }

  @Test(arguments: ["xyzzy", "completely-different"])
  func suggestsNothingWhenNothingIsClose(word: String) {
    #expect(Suggestions.closest(to: word, in: ["junior", "mid", "senior"]) == nil)
  }

  @Test func noCandidatesMeansNoSuggestion() {
    #expect(Suggestions.closest(to: "a", in: []) == nil)
  }

  @Test func hintListsValidValuesAndTheSuggestion() {
    #expect(
      Suggestions.hint(for: "juniour", in: ["senior", "junior", "mid"], noun: "level")
        == "did you mean 'junior'? valid levels: junior, mid, senior")
    #expect(Suggestions.hint(for: "zzz", in: ["b", "a"], noun: "tag") == "valid tags: a, b")
    let many = (0..<30).map { "tag\($0)" }
    #expect(Suggestions.hint(for: "qqqqqq", in: many, noun: "tag") == "see guide.yml for the valid tags")
  }

  @Test(arguments: [("kitten", "sitting", 3), ("", "abc", 3), ("abc", "", 3), ("same", "same", 0), ("é", "e", 1)])
  func levenshteinDistance(a: String, b: String, distance: Int) {
    #expect(Suggestions.distance(a, b) == distance)
    #expect(Suggestions.distance(b, a) == distance)
  }
}
