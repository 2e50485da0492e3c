import Testing

@testable import GuideKit

/// The search index updated from the last build's (``SearchIndexUpdate``) is byte for byte the
/// index made from scratch, over hundreds of random edits of a random guide; unchanged shards are
/// left to the previous output, and edits the update does not take are made from scratch.
@Suite struct SearchIndexUpdateTests {
  /// A small deterministic generator (SplitMix64).
  struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  }

  static let words = [
    "anchor", "box", "iou", "nms", "recall", "precision", "yolo", "detr", "focal", "loss", "stride", "pooling", "lidar",
    "camera", "fusion", "latency", "quantization", "int8", "batch", "epoch", "the", "and", "überblick", "naïve", "x2",
    "non", "maximum", "suppression", "tracking", "kalman", "drift", "psi", "map", "ap50", "cnn", "relu", "conv", "kernel",
  ]

  struct GuidePage {
    var url: String
    var title: String
    var summary: String
    var tags: [String]
    var level: String?
    var sections: [(heading: String?, text: String)]
  }

  static func text(_ random: inout Random, words count: Int) -> String {
    (0..<count).map { _ in words[random.below(words.count)] }.joined(separator: " ")
  }

  static func page(_ i: Int, _ random: inout Random) -> GuidePage {
    let sections = (0..<(1 + random.below(4))).map { s in
      (heading: s == 0 ? nil : "Part \(s) " + text(&random, words: 2), text: text(&random, words: 5 + random.below(60)))
    }
    return GuidePage(
      url: "questions/q\(i).html", title: "Question \(i) " + text(&random, words: 3), summary: text(&random, words: 6),
      tags: random.below(3) == 0 ? [] : ["nms"], level: ["junior", "senior", nil][random.below(3)], sections: sections)
  }

  static func sections(_ pages: [GuidePage]) -> [SearchSection] {
    pages.flatMap { page in
      page.sections.enumerated().map { s, section in
        SearchSection(
          url: page.url + (s == 0 ? "" : "#part-\(s)"), pageTitle: page.title, heading: section.heading, kind: "question",
          levelID: page.level, tagIDs: page.tags, breadcrumb: page.title, text: section.text, summary: page.summary)
      }
    }
  }

  static func source(_ pages: [GuidePage]) -> SearchIndexSource {
    let all = sections(pages)
    let urls = pages.map(\.url)
    return SearchIndexSource(urls: urls) { range in
      let wanted = Set(urls[range])
      return all.filter { wanted.contains(SearchIndexModel.split($0.url).0) }
    }
  }

  /// The analysis key of a page: its content (as a build keys it by its source).
  static func keys(_ pages: [GuidePage]) -> [String: String] {
    Dictionary(
      uniqueKeysWithValues: pages.map { page in
        (
          page.url,
          Hashing.sha256(
            [page.title, page.summary, page.tags.joined(), page.level ?? "-"] + page.sections.flatMap { [$0.heading ?? "-", $0.text] })
        )
      })
  }

  static func builder(cache: SearchAnalysisCache?) -> SearchIndexBuilder {
    var builder = SearchIndexBuilder(
      levels: [("junior", "Junior"), ("senior", "Senior")], tags: [("nms", "Non-maximum suppression")],
      synonyms: [["nms", "non maximum suppression"], ["map", "mean average precision"]])
    builder.singleFileLimit = 0
    builder.prefixesPerShard = 2
    builder.bigTermBytes = 400
    builder.pagesPerDisplayShard = 4
    builder.analysisCache = cache
    return builder
  }

  /// One random edit: a body, a title, a summary, tags, a heading's words (same sections), or a
  /// section added or removed (which the update leaves to a build from scratch).
  static func edit(_ pages: inout [GuidePage], _ random: inout Random) -> (changedSections: Bool, pages: Int) {
    let count = 1 + random.below(3)
    var changedSections = false
    for _ in 0..<count {
      let i = random.below(pages.count)
      switch random.below(7) {
      case 0: pages[i].title = "Question " + text(&random, words: 3)
      case 1: pages[i].summary = text(&random, words: random.below(8))
      case 2: pages[i].tags = pages[i].tags.isEmpty ? ["nms"] : []
      case 3:
        let s = random.below(pages[i].sections.count)
        if s > 0 { pages[i].sections[s].heading = "Part \(s) " + text(&random, words: 2) }
      case 4:
        pages[i].sections.append((heading: "Extra", text: text(&random, words: 9)))
        changedSections = true
      default:
        let s = random.below(pages[i].sections.count)
        pages[i].sections[s].text = random.below(4) == 0 ? "" : text(&random, words: 1 + random.below(80))
      }
    }
    return (changedSections, count)
  }

  @Test func updatesEqualBuildsFromScratch() throws {
    var random = Random(state: 19)
    var pages = (0..<40).map { Self.page($0, &random) }
    var cache = SearchAnalysisCache(keys: Self.keys(pages), previous: [])
    var output = Self.builder(cache: cache).build(Self.source(pages), previousHas: { _ in false })
    var files = Dictionary(uniqueKeysWithValues: output.files.map { ($0.path, $0.contents ?? "") })
    var updates = 0
    var kept = 0
    // The state file as builds keep it: the first state whole, then each build's change appended
    // while the changes stay small, else the state whole again.
    var stateFile = output.state.encoded()
    var appended = 0
    var longestRun = 0
    for round in 0..<150 {
      let (changedSections, _) = Self.edit(&pages, &random)
      let next = SearchAnalysisCache(keys: Self.keys(pages), previous: cache.data(), previousIndex: output.state)
      let updated = SearchIndexUpdate(builder: Self.builder(cache: next), cache: next, previous: output.state).run(
        Self.source(pages), previousHas: { files[$0] != nil })
      if changedSections {
        #expect(updated == nil, "round \(round): a page with another number of sections is not updated")
      } else {
        #expect(updated != nil, "round \(round): an edit keeping every page's sections is updated")
      }
      let built = Self.builder(cache: next).build(Self.source(pages), previousHas: { files[$0] != nil })
      let scratch = SearchIndexModel(builder: Self.builder(cache: nil), sections: Self.sections(pages)).output(keys: Self.keys(pages))
      #expect(built.state == scratch.state, "round \(round)")
      #expect(built.files.map(\.path) == scratch.files.map(\.path), "round \(round)")
      for (file, expected) in zip(built.files, scratch.files) {
        if let contents = file.contents {
          #expect(contents == expected.contents, "round \(round): \(file.path)")
        } else {
          kept += 1
          #expect(files[file.path] == expected.contents, "round \(round): \(file.path) kept from the previous output")
        }
        #expect(file.size == expected.contents?.utf8.count, "round \(round): \(file.path)'s size")
      }
      if updated != nil { updates += 1 }
      let read = try #require(SearchIndexState.read(FileBytes(stateFile)), "round \(round)")
      #expect(read.state == output.state, "round \(round): the state file reads back as the last build's state")
      if let appendix = built.state.appendix(after: read) {
        stateFile += appendix
        appended += 1
        longestRun = max(longestRun, read.changes + 1)
      } else {
        stateFile = built.state.encoded()
      }
      #expect(SearchIndexState(decoding: stateFile) == built.state, "round \(round): and so does the file after this build")
      files = Dictionary(uniqueKeysWithValues: scratch.files.map { ($0.path, $0.contents ?? "") })
      cache = next
      output = built
    }
    #expect(updates > 100)
    #expect(kept > 1_000, "unchanged shards are left to the previous output")
    #expect(appended > 50, "most builds append their change to the state file")
    #expect(appended < 150, "and the file is written whole again once the changes outweigh half of it")
    #expect(longestRun > 1, "reads apply several changes at once (\(longestRun) at most)")
    #expect(longestRun <= SearchIndexState.maximumChanges)
  }

  /// The state file reads back as written; a damaged one is not read.
  @Test func stateRoundTrips() throws {
    var random = Random(state: 7)
    let pages = (0..<12).map { Self.page($0, &random) }
    let state = SearchIndexModel(builder: Self.builder(cache: nil), sections: Self.sections(pages)).output(keys: Self.keys(pages))
      .state
    let bytes = state.encoded()
    #expect(SearchIndexState(decoding: bytes) == state)
    #expect(SearchIndexState(decoding: Array(bytes.dropLast())) == nil)
    #expect(SearchIndexState(decoding: bytes + [0]) == nil)
    #expect(SearchIndexState(decoding: Array("guide-search-index 0\n".utf8) + bytes.dropFirst(21)) == nil)

    // A change appended reads back as the changed state; a damaged change is not read.
    var changed = state
    changed.pages[3].key = "another"
    changed.vocabulary.remove(at: 5)
    changed.sectionTexts.remove(at: 5)
    changed.pageTexts.remove(at: 5)
    changed.sectionTexts[0] += "x"
    changed.postingStarts = [0]
    changed.postingShards = [.init(name: "p-0", size: 1)]
    let read = try #require(SearchIndexState.read(FileBytes(bytes)))
    let appendix = try #require(changed.appendix(after: read))
    #expect(appendix.count < bytes.count / 2)
    #expect(SearchIndexState(decoding: bytes + appendix) == changed)
    #expect(SearchIndexState(decoding: bytes + appendix.dropLast()) == nil)
    #expect(SearchIndexState(decoding: bytes + appendix + appendix) == changed, "a change applied twice is applied once")
    #expect(SearchIndexState.read(FileBytes(bytes + appendix + appendix))?.changes == 2)
  }

  /// Splicing pages' postings into a term's text equals encoding the whole list again.
  @Test func splicedPostingsEqualEncodedOnes() {
    var random = Random(state: 3)
    for _ in 0..<1_000 {
      var sections: [SearchIndexModel.SectionPosting] = []
      var s = 0
      for _ in 0..<random.below(14) {
        s += 1 + random.below(40)
        sections.append(.init(section: s, heading: random.below(3), body: random.below(3) == 0 ? 0 : 1 + random.below(200)))
      }
      sections = sections.map { $0.heading == 0 && $0.body == 0 ? .init(section: $0.section, heading: 0, body: 1) : $0 }
      // Up to three disjoint runs of sections (pages), and new postings inside them.
      var ranges: [Range<Int>] = []
      var low = random.below(20)
      for _ in 0..<(1 + random.below(3)) {
        let range = low..<(low + 1 + random.below(15))
        ranges.append(range)
        low = range.upperBound + random.below(30)
      }
      let replacement = ranges.flatMap { range in
        Set((0..<random.below(4)).map { _ in range.lowerBound + random.below(range.count) }).sorted().map {
          SearchIndexModel.SectionPosting(section: $0, heading: random.below(2), body: 1 + random.below(200))
        }
      }
      var whole = Varints()
      SearchIndexModel.sectionText(sections, into: &whole)
      var expected = Varints()
      SearchIndexModel.sectionText(
        (sections.filter { p in !ranges.contains { $0.contains(p.section) } } + replacement).sorted { $0.section < $1.section },
        into: &expected)
      #expect(SearchIndexUpdate.splice(whole.text, replacing: ranges, with: replacement) == expected.text)
      #expect(SearchIndexUpdate.postings(whole.text, number: \.section, read: SearchIndexUpdate.readSection) == sections)

      let pages = Set((0..<random.below(10)).map { _ in random.below(40) }).sorted().map {
        SearchIndexModel.PagePosting(page: $0, title: random.below(3), tags: random.below(2), summary: 1 + random.below(70))
      }
      let changed = Set((0..<(1 + random.below(3))).map { _ in random.below(45) }).sorted()
      let new = changed.filter { _ in random.below(2) == 0 }.map {
        SearchIndexModel.PagePosting(page: $0, title: 1 + random.below(2), tags: random.below(2), summary: random.below(2))
      }
      var wholePages = Varints()
      SearchIndexModel.pageText(pages, into: &wholePages)
      var expectedPages = Varints()
      SearchIndexModel.pageText((pages.filter { !changed.contains($0.page) } + new).sorted { $0.page < $1.page }, into: &expectedPages)
      #expect(SearchIndexUpdate.splice(wholePages.text, replacing: changed.map { $0..<($0 + 1) }, with: new) == expectedPages.text)
      #expect(SearchIndexUpdate.postings(wholePages.text, number: \.page, read: SearchIndexUpdate.readPage) == pages)
    }
  }
}
