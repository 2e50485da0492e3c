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

  /// A build that analysed a few pages appends their terms and entries to the file; the file
  /// read back has every page's analysis, as the file written afresh has. Once replaced entries
  /// outweigh the live ones, or when the file was damaged, it is written afresh.
  @Test func fewChangesAreAppended() {
    func analysis(_ i: Int, _ version: Int) -> [Counted] {
      [Counted(terms: [("t\(i)", 1), ("v\(version)", 2), ("shared", 1)], length: 4)]
    }
    let urls = (0..<10).map { "p\($0).html" }
    var versions = Array(repeating: 0, count: 10)
    func keys() -> [String: String] { Dictionary(uniqueKeysWithValues: urls.indices.map { (urls[$0], "k\($0)-\(versions[$0])") }) }
    var file: [UInt8] = []
    var appended = 0
    for round in 0..<12 {
      if round > 0 { versions[round % 10] += 1 }
      let cache = SearchAnalysisCache(keys: keys(), previous: file)
      for i in urls.indices {
        #expect(Self.same(cache.analysis(url: urls[i], fields: 1) { analysis(i, versions[i]) }, analysis(i, versions[i])))
      }
      #expect(cache.analysed == (round == 0 ? 10 : 1), "round \(round)")
      let fresh = cache.data()
      if let appendix = cache.appendix() {
        appended += 1
        file += appendix
      } else {
        file = fresh
      }
      // Read back: every page's analysis, with no call to analyse.
      for bytes in [file, fresh] {
        let next = SearchAnalysisCache(keys: keys(), previous: bytes)
        for i in urls.indices {
          #expect(Self.same(next.analysis(url: urls[i], fields: 1) { [] }, analysis(i, versions[i])), "round \(round), page \(i)")
        }
        #expect(next.analysed == 0)
      }
    }
    #expect(appended >= 5 && appended < 11, "appended while the replaced entries are few: \(appended)")
    let damaged = SearchAnalysisCache(keys: keys(), previous: Array(file.dropLast(1)))
    _ = damaged.analysis(url: urls[0], fields: 1) { analysis(0, 9) }
    #expect(damaged.appendix() == nil, "a damaged file is written afresh")
  }
}
