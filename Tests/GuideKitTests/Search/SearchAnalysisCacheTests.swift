import Testing

@testable import GuideKit

@Suite struct SearchAnalysisCacheTests {
  typealias Counted = SearchAnalysisCache.Counted

  static func same(_ a: [Counted], _ b: [Counted]) -> Bool {
    a.count == b.count
      && zip(a, b).allSatisfy { x, y in
        x.length == y.length && x.terms.elementsEqual(y.terms) { $0.term == $1.term && $0.count == $1.count }
      }
  }

  /// A page whose key is unchanged takes its analysis from the previous build's file, through any
  /// number of builds; a page whose key changed, a page with another number of texts, and a
  /// damaged file are analysed again.
  @Test func unchangedPagesAreReusedAndEverythingElseIsAnalysed() {
    let a = [
      Counted(terms: [("iou", 2), ("box", 1)], length: 3), Counted(terms: [], length: 0), Counted(terms: [("überblick", 1)], length: 1),
    ]
    let b = [Counted(terms: [("nms", 4)], length: 4), Counted(terms: [("box", 2), ("iou", 1)], length: 9), Counted(terms: [], length: 2)]
    let b2 = [Counted(terms: [("anchor", 1)], length: 1), Counted(terms: [], length: 0), Counted(terms: [("nms", 1)], length: 1)]
    var calls = 0
    let first = SearchAnalysisCache(keys: ["a.html": "ka", "b.html": "kb"], previous: [])
    _ = first.analysis(url: "a.html", fields: 3) {
      calls += 1; return a
    }
    _ = first.analysis(url: "b.html", fields: 3) {
      calls += 1; return b
    }
    _ = first.analysis(url: "snippets/x.html", fields: 3) {
      calls += 1; return b
    }
    #expect(calls == 3 && first.analysed == 2 && first.reused == 0, "a snippet's page is analysed, not counted")

    let second = SearchAnalysisCache(keys: ["a.html": "ka", "b.html": "kb2"], previous: first.data())
    #expect(
      Self.same(
        second.analysis(url: "a.html", fields: 3) {
          calls += 1; return []
        }, a))
    #expect(
      Self.same(
        second.analysis(url: "b.html", fields: 3) {
          calls += 1; return b2
        }, b2))
    #expect(calls == 4 && second.reused == 1 && second.analysed == 1)

    let third = SearchAnalysisCache(keys: ["a.html": "ka", "b.html": "kb2"], previous: second.data())
    #expect(
      Self.same(
        third.analysis(url: "a.html", fields: 3) {
          calls += 1; return []
        }, a))
    #expect(
      Self.same(
        third.analysis(url: "b.html", fields: 3) {
          calls += 1; return []
        }, b2), "a new term's number is kept")
    #expect(calls == 4 && third.reused == 2)
    #expect(
      Self.same(
        third.analysis(url: "a.html", fields: 5) {
          calls += 1; return b + [b[0], b[1]]
        }, b + [b[0], b[1]]))
    #expect(calls == 5, "another number of sections: analysed")

    let damaged = SearchAnalysisCache(keys: ["a.html": "ka", "b.html": "kb2"], previous: Array(second.data().dropLast(2)))
    #expect(
      Self.same(
        damaged.analysis(url: "b.html", fields: 3) {
          calls += 1; return b2
        }, b2))
    #expect(calls == 6, "a cut entry is analysed")
    let foreign = SearchAnalysisCache(keys: ["a.html": "ka"], previous: Array("not a cache".utf8))
    _ = foreign.analysis(url: "a.html", fields: 3) {
      calls += 1; return a
    }
    #expect(calls == 7)
  }
}
