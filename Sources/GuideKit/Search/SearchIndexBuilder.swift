import Foundation

/// Builds the offline search index: `assets/search-index.js` (`window.GuideSearchIndex = …`, the
/// manifest: vocabulary, page list, lengths and the names of the shards) and, for large guides,
/// shard files under `assets/search/` that the page loads with `<script>` on demand. Shards are
/// named by their content and hold term frequencies, not scores, so an edit rewrites only the
/// shards of the terms (and the pages) it changed; the browser computes the ranking statistics.
/// The format, the ranking and the sizes are described in docs/search.md.
public struct SearchIndexBuilder: Sendable {
  struct Named: Sendable, Equatable {
    var id: String
    var name: String
  }

  let levels: [Named]
  let tags: [Named]
  let synonyms: [[String]]

  /// Up to this many bytes in all, everything goes in `assets/search-index.js`.
  var singleFileLimit = 1_500_000
  /// Postings shards start where the terms' two-letter prefix changes and the new prefix's hash is
  /// a multiple of this (or, inside a prefix, where the three-letter prefix changes and its hash
  /// is a multiple of 4 × this): bounds that depend on the terms, not on the sizes of the others,
  /// so that a change to one term's postings rewrites one shard.
  var prefixesPerShard = 16
  /// A term whose postings take at least this many bytes has a shard of its own (so no shard is
  /// much larger than this); only a change across this size moves a bound (and rewrites the
  /// shard before too).
  var bigTermBytes = 50_000
  /// Display shards start at the pages whose URL's hash is a multiple of this.
  var pagesPerDisplayShard = 64
  /// Section text longer than this (UTF-16 units) is cut for excerpts (all of it is indexed).
  var excerptTextLimit = 6_000
  /// The excerpt text of all sections together stays about within this: the limit per section
  /// is this divided by the number of sections rounded up to a power of two (so it changes, and
  /// every display shard with it, only when that count passes a power of two).
  var excerptBudget = 6_144_000
  /// The previous build's analysis of unchanged pages (nil: analyse every page).
  var analysisCache: SearchAnalysisCache?

  public init(
    levels: [(id: String, name: String)], tags: [(id: String, name: String)], synonyms: [[String]]
  ) {
    self.levels = levels.map { Named(id: $0.id, name: $0.name) }
    self.tags = tags.map { Named(id: $0.id, name: $0.name) }
    self.synonyms = synonyms
  }

  /// Files to write, paths relative to the site root (e.g. "assets/search-index.js", shards),
  /// contents deterministic (byte-identical for the same input). Shard paths are content hashes.
  public func build(_ sections: [SearchSection]) -> [(path: String, contents: String)] {
    let model = SearchIndexModel(builder: self, sections: sections)
    return model.files()
  }

  /// A file of the index: its contents, or nil for a shard the previous output has (same name,
  /// same bytes), and its size.
  struct File: Sendable {
    var path: String
    var contents: String?
    var size: Int
  }

  /// The index's files and what the next build needs to update it.
  struct Output: Sendable {
    var files: [File]
    var state: SearchIndexState
  }

  /// The index of `source`: updated from the last build's (the analysis cache's
  /// ``SearchAnalysisCache/previousIndex``) when only a few pages changed and none gained or lost
  /// a section (``SearchIndexUpdate``), else made from every page. A shard the previous output
  /// has (`previousHas` of its path) is named but not written out when it is unchanged. The
  /// result is byte for byte the index a build from scratch makes.
  func build(_ source: SearchIndexSource, previousHas: (String) -> Bool) -> Output {
    if let cache = analysisCache, let previous = cache.previousIndex,
      let updated = SearchIndexUpdate(builder: self, cache: cache, previous: previous).run(source, previousHas: previousHas)
    {
      cache.keepIndex(updated.state)
      return updated
    }
    let model = SearchIndexModel(builder: self, sections: source.sections(0..<source.urls.count))
    let output = model.output(keys: analysisCache?.keys ?? [:])
    analysisCache?.keepIndex(output.state)
    return output
  }

  /// Everything the index's bytes depend on besides the pages: a state made under other settings
  /// (or by another generator) is not updated but made again.
  var settings: String {
    var parts = [
      "search-index v1", BuildManifest.generatorIdentity, String(singleFileLimit), String(prefixesPerShard), String(bigTermBytes),
      String(pagesPerDisplayShard), String(excerptTextLimit), String(excerptBudget),
    ]
    parts += levels.flatMap { [$0.id, $0.name] } + ["tags"] + tags.flatMap { [$0.id, $0.name] }
    parts += ["synonyms"] + synonyms.map { $0.joined(separator: "\u{1f}") }
    return Hashing.sha256(parts)
  }

  /// True for a path this builder writes under a name made from the file's content (a shard):
  /// the same path always has the same bytes, so a previous build's copy can be kept.
  public static func isContentAddressed(_ path: String) -> Bool {
    path.hasPrefix("assets/search/")
  }

  /// The excerpt length limit for a guide of `sections` sections.
  func excerptLimit(sections: Int) -> Int {
    var rounded = 1
    while rounded < sections { rounded *= 2 }
    return min(excerptTextLimit, max(40, excerptBudget / rounded))
  }
}

/// Ranking constants (docs/search.md, "Ranking"). The browser (search-engine.js) computes the
/// scores from the term frequencies and lengths in the index, with these same constants; the
/// Swift side computes them too (``SearchIndexModel/impacts()``), as the reference the tests use.
enum SearchRanking {
  static let k1 = 1.2
  static let headingBoost = 2.5
  static let headingB = 0.5
  static let bodyB = 0.75
  static let titleWeight = 3.0
  static let titleB = 0.5
  static let tagWeight = 0.5
  /// The page's summary says what the page is about in one line: its words count for the page
  /// (between tags and title), so "yolo" finds the question whose summary names YOLO before a
  /// section that only mentions it.
  static let summaryWeight = 1.5
  /// Pages for teachers (`audience: authors`) rank after the students' pages.
  static let authorsPrior = 0.2
  /// Scores are rounded as integers: round(score × scale), at least 1.
  static let scale = 4.0

  /// Sections that mostly list links to other pages (docs/format.md: "Try it", "Related") count
  /// for less: their words are other pages' titles.
  static func sectionWeight(heading: String) -> Double {
    ["related", "try it"].contains(heading.lowercased()) ? 0.3 : 1
  }

  static func prior(kind: String, forAuthors: Bool = false) -> Double {
    if forAuthors { return authorsPrior }
    switch kind {
    case "question": return 1.0
    case "use-case": return 0.95
    case "level": return 0.9
    default: return 0.85
    }
  }

  static func idf(documentFrequency df: Int, documents n: Int) -> Double {
    log(1 + (Double(n) - Double(df) + 0.5) / (Double(df) + 0.5))
  }

  static func saturate(_ tf: Double) -> Double { tf * (k1 + 1) / (tf + k1) }

  static func quantize(_ score: Double) -> Int { max(1, Int((score * scale).rounded())) }
}

/// The analysed guide, ready to be written out.
struct SearchIndexModel {
  struct Section {
    var fragment: String
    var heading: String
    var text: String
    var breadcrumb: String
    var headingLength = 0
    var bodyLength = 0
  }

  struct Page {
    var title: String
    var url: String
    var kind: String
    var forAuthors = false
    var summary = ""
    var level: Int
    var tags: [Int]
    var breadcrumb: String
    var sections: [Section] = []
    var titleLength = 0
    var tagLength = 0
    var summaryLength = 0
  }

  /// A term in one section: the global section number and its counts in heading and body.
  /// (Stored as 32-bit numbers: a large guide has millions of postings. Counts and section
  /// numbers stay far below 2³¹: a file is at most 8 MB.)
  struct SectionPosting: Equatable {
    @Compact var section: Int
    @Compact var heading: Int
    @Compact var body: Int
  }

  /// A term in a page's title, tag names or summary.
  struct PagePosting: Equatable {
    @Compact var page: Int
    @Compact var title: Int
    @Compact var tags: Int
    @Compact var summary: Int
  }

  /// An `Int` stored in 32 bits (the postings above: millions of them in a large guide).
  @propertyWrapper struct Compact: Equatable {
    private var stored: Int32
    init(wrappedValue: Int) { stored = Int32(wrappedValue) }
    var wrappedValue: Int {
      get { Int(stored) }
      set { stored = Int32(newValue) }
    }
  }

  let builder: SearchIndexBuilder
  var pages: [Page] = []
  /// Sorted vocabulary (by UTF-16 code units, the order JavaScript compares strings in).
  var vocabulary: [String] = []
  /// Synonym groups as terms (phrases joined with "_").
  var synonymGroups: [[String]] = []
  /// Per term (sorted order): where it occurs in sections, by section.
  var sectionPostings: [[SectionPosting]] = []
  /// Per term (sorted order): where it occurs in titles, tags and summaries, by page.
  var pagePostings: [[PagePosting]] = []

  init(builder: SearchIndexBuilder, sections: [SearchSection]) {
    self.builder = builder
    pages = Self.group(sections, builder: builder)
    analyse()
  }

  // MARK: Pages and sections

  /// The sections grouped into their pages (by URL, in order of first appearance).
  static func group(_ sections: [SearchSection], builder: SearchIndexBuilder) -> [Page] {
    var pages: [Page] = []
    var pageIndex: [String: Int] = [:]
    let levelIndex = Dictionary(
      builder.levels.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    let tagIndex = Dictionary(
      builder.tags.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    for s in sections {
      let (url, fragment) = Self.split(s.url)
      let index: Int
      if let existing = pageIndex[url] {
        index = existing
      } else {
        index = pages.count
        pageIndex[url] = index
        var tagIDs: [Int] = []
        for tag in s.tagIDs { if let t = tagIndex[tag], !tagIDs.contains(t) { tagIDs.append(t) } }
        pages.append(
          Page(
            title: s.pageTitle, url: url, kind: s.kind, forAuthors: s.forAuthors, summary: s.summary,
            level: s.levelID.flatMap { levelIndex[$0] } ?? -1, tags: tagIDs,
            breadcrumb: s.breadcrumb))
      }
      pages[index].sections.append(
        Section(
          fragment: fragment, heading: s.heading ?? "", text: s.text, breadcrumb: s.breadcrumb))
    }
    return pages
  }

  static func split(_ url: String) -> (String, String) {
    guard let hash = url.firstIndex(of: "#") else { return (url, "") }
    return (String(url[..<hash]), String(url[url.index(after: hash)...]))
  }

  // MARK: Analysis

  private mutating func analyse() {
    var analyzer = SearchAnalyzer(builder: builder)
    synonymGroups = analyzer.synonymGroups
    // The analysis cache's term numbers → this build's ids, each looked up by its string once
    // (-1: not met yet). Ids are still given in the order terms are first met, as without it.
    var idOfCached: [Int] = Array(repeating: -1, count: builder.analysisCache?.vocabularyCount ?? 0)
    func numberedCached(_ text: SearchAnalysisCache.NumberedText) -> SearchAnalyzer.Numbered {
      let counts = text.terms.map { pair -> (term: Int, count: Int) in
        var known = idOfCached[pair.term]
        if known < 0 {
          known = analyzer.id(builder.analysisCache!.term(pair.term))
          idOfCached[pair.term] = known
        }
        return (known, pair.count)
      }
      return SearchAnalyzer.Numbered(counts: counts, length: text.length)
    }

    // Postings by first-seen term id, remapped to sorted order below.
    var sectionByID: [[SectionPosting]] = []
    var pageByID: [[PagePosting]] = []
    var sectionIndex = 0
    for p in pages.indices {
      // Title, tag names, summary, then each section's heading and body: from the previous
      // build when the page is unchanged.
      let fields: [SearchAnalyzer.Numbered]
      // A page analysed now keeps its numbered texts: the cache gets them by term, and they are
      // not numbered again from the terms.
      var analysed: [SearchAnalyzer.Numbered] = []
      let found = builder.analysisCache?.lookup(url: pages[p].url, fields: 3 + 2 * pages[p].sections.count) {
        analysed = analyzer.numbered(pages[p])
        return analyzer.counted(analysed)
      }
      switch found {
      case .cached(let texts)?: fields = texts.map(numberedCached)
      case .analysed?: fields = analysed
      case nil: fields = analyzer.numbered(pages[p])
      }
      Self.setLengths(of: &pages[p], fields)
      while sectionByID.count < analyzer.names.count {
        sectionByID.append([])
        pageByID.append([])
      }
      Self.post(fields, page: p, firstSection: sectionIndex, sections: &sectionByID, pages: &pageByID)
      sectionIndex += pages[p].sections.count
    }
    while sectionByID.count < analyzer.names.count {
      sectionByID.append([])
      pageByID.append([])
    }

    // Sorted vocabulary.
    let names = analyzer.names
    let order = names.indices.sorted { names[$0].utf16.lexicographicallyPrecedes(names[$1].utf16) }
    vocabulary = order.map { names[$0] }
    sectionPostings = order.map { sectionByID[$0] }
    pagePostings = order.map { pageByID[$0] }
  }

  /// A page's lengths in terms (title, tag names, summary, each section's heading and body) from
  /// its analysed fields.
  static func setLengths(of page: inout Page, _ fields: [SearchAnalyzer.Numbered]) {
    page.titleLength = fields[0].length
    page.tagLength = fields[1].length
    page.summaryLength = fields[2].length
    for s in page.sections.indices {
      page.sections[s].headingLength = fields[3 + 2 * s].length
      page.sections[s].bodyLength = fields[4 + 2 * s].length
    }
  }

  /// Appends a page's postings (page `p`, its sections numbered from `firstSection`) to the
  /// postings by term id, which must have a slot for every id in `fields`.
  static func post(
    _ fields: [SearchAnalyzer.Numbered], page p: Int, firstSection: Int, sections: inout [[SectionPosting]],
    pages: inout [[PagePosting]]
  ) {
    var merged: [Int: PagePosting] = [:]
    for (term, n) in fields[0].counts { merged[term, default: PagePosting(page: p, title: 0, tags: 0, summary: 0)].title = n }
    for (term, n) in fields[1].counts { merged[term, default: PagePosting(page: p, title: 0, tags: 0, summary: 0)].tags = n }
    for (term, n) in fields[2].counts { merged[term, default: PagePosting(page: p, title: 0, tags: 0, summary: 0)].summary = n }
    for (term, posting) in merged { pages[term].append(posting) }
    for s in 0..<((fields.count - 3) / 2) {
      let section = firstSection + s
      for (term, n) in fields[3 + 2 * s].counts {
        sections[term].append(SectionPosting(section: section, heading: n, body: 0))
      }
      for (term, n) in fields[4 + 2 * s].counts {
        if let last = sections[term].last, last.section == section {
          sections[term][sections[term].count - 1].body = n
        } else {
          sections[term].append(SectionPosting(section: section, heading: 0, body: n))
        }
      }
    }
  }

  // MARK: Ranking (the reference for the browser's)

  /// Document frequency of a term: the pages that have it in a title, tag name or section (a
  /// word only in the summary does not count, as the summary is also the lead section's text).
  func documentFrequency(_ term: Int) -> Int {
    var pagesSeen = Set(pagePostings[term].filter { $0.title > 0 || $0.tags > 0 }.map(\.page))
    var sectionStart = 0
    var page = 0
    for posting in sectionPostings[term] {
      while posting.section >= sectionStart + pages[page].sections.count {
        sectionStart += pages[page].sections.count
        page += 1
      }
      pagesSeen.insert(page)
    }
    return pagesSeen.count
  }

  /// The scores the browser computes, as integers (``SearchRanking/quantize(_:)``): per term,
  /// (global section, impact) and (page, impact) pairs.
  func impacts() -> (sections: [[(Int, Int)]], pages: [[(Int, Int)]]) {
    func average(_ values: [Int]) -> Double {
      let nonZero = values.filter { $0 > 0 }
      return nonZero.isEmpty ? 1 : Double(nonZero.reduce(0, +)) / Double(nonZero.count)
    }
    let allSections = pages.flatMap(\.sections)
    let avgHeading = average(allSections.map(\.headingLength))
    let avgBody = average(allSections.map(\.bodyLength))
    let avgTitle = average(pages.map(\.titleLength))
    let avgTags = average(pages.map(\.tagLength))
    let avgSummary = average(pages.map(\.summaryLength))
    func norm(_ length: Int, _ avg: Double, _ b: Double) -> Double { 1 - b + b * Double(length) / avg }
    var pageOf: [Int] = []
    for (p, page) in pages.enumerated() { pageOf += Array(repeating: p, count: page.sections.count) }
    var sectionImpacts: [[(Int, Int)]] = []
    var pageImpacts: [[(Int, Int)]] = []
    for t in vocabulary.indices {
      let idf = SearchRanking.idf(documentFrequency: documentFrequency(t), documents: pages.count)
      sectionImpacts.append(
        sectionPostings[t].map { posting in
          let page = pages[pageOf[posting.section]]
          let section = allSections[posting.section]
          let hNorm = norm(section.headingLength, avgHeading, SearchRanking.headingB)
          let bNorm = norm(section.bodyLength, avgBody, SearchRanking.bodyB)
          let weight =
            SearchRanking.prior(kind: page.kind, forAuthors: page.forAuthors)
            * SearchRanking.sectionWeight(heading: section.heading)
          let tf = SearchRanking.headingBoost * Double(posting.heading) / hNorm + Double(posting.body) / bNorm
          return (posting.section, SearchRanking.quantize(weight * idf * SearchRanking.saturate(tf)))
        })
      pageImpacts.append(
        pagePostings[t].map { posting in
          let page = pages[posting.page]
          var score = 0.0
          if posting.title > 0 {
            score +=
              SearchRanking.titleWeight
              * SearchRanking.saturate(Double(posting.title) / norm(page.titleLength, avgTitle, SearchRanking.titleB))
          }
          if posting.tags > 0 {
            score +=
              SearchRanking.tagWeight
              * SearchRanking.saturate(Double(posting.tags) / norm(page.tagLength, avgTags, SearchRanking.titleB))
          }
          if posting.summary > 0 {
            score +=
              SearchRanking.summaryWeight
              * SearchRanking.saturate(Double(posting.summary) / norm(page.summaryLength, avgSummary, SearchRanking.titleB))
          }
          let prior = SearchRanking.prior(kind: page.kind, forAuthors: page.forAuthors)
          return (posting.page, SearchRanking.quantize(prior * idf * score))
        })
    }
    return (sectionImpacts, pageImpacts)
  }

  // MARK: Output

  static let mainPath = "assets/search-index.js"

  /// A shard file's path: `assets/search/<name>.js`, the name being `p-` (postings) or `d-`
  /// (display) and a hash of the shard's content.
  static func shardPath(_ name: String) -> String { "assets/search/\(name).js" }

  /// One term's section postings as a ``Varints`` string, per section: `8 × section Δ + 2 ×
  /// min(body count, 3) + (1 if the heading has the term)`, then `body count − 3` if it is 3 or
  /// more, then `heading count − 1` if the heading has the term. Most postings are one character.
  static func sectionText(_ postings: [SectionPosting], into w: inout Varints, after start: Int = 0) {
    var previous = start
    for posting in postings {
      w.add((posting.section - previous) * 8 + min(posting.body, 3) * 2 + (posting.heading > 0 ? 1 : 0))
      if posting.body >= 3 { w.add(posting.body - 3) }
      if posting.heading > 0 { w.add(posting.heading - 1) }
      previous = posting.section
    }
  }

  /// One term's page postings, per page: `8 × page Δ + (1: in the title) + (2: in a tag name) +
  /// (4: in the summary)`, then `count − 1` for each of those it is in, in that order.
  static func pageText(_ postings: [PagePosting], into w: inout Varints, after start: Int = 0) {
    var previous = start
    for posting in postings {
      let flags = (posting.title > 0 ? 1 : 0) + (posting.tags > 0 ? 2 : 0) + (posting.summary > 0 ? 4 : 0)
      w.add((posting.page - previous) * 8 + flags)
      if posting.title > 0 { w.add(posting.title - 1) }
      if posting.tags > 0 { w.add(posting.tags - 1) }
      if posting.summary > 0 { w.add(posting.summary - 1) }
      previous = posting.page
    }
  }

  /// A page's display record; its sections' (fragment, heading) pairs are numbers in `headings`,
  /// the shard's table (headings such as "Key points" recur on nearly every page).
  private static func pageRecord(
    _ page: Page, levels: [SearchIndexBuilder.Named], limit: Int, headings: inout [String: Int], table: inout [[String]]
  ) -> String {
    var w = JSWriter()
    w.raw("[")
    w.string(page.title)
    w.raw(",")
    w.string(page.url)
    w.raw(",")
    w.string(page.kind)
    w.raw(",")
    // The breadcrumb only when it is not the usual "Level › Title" (or the title alone).
    let usual = page.level >= 0 ? levels[page.level].name + " › " + page.title : page.title
    w.string(page.breadcrumb == usual ? "" : page.breadcrumb)
    w.raw(",[")
    for (i, s) in page.sections.enumerated() {
      if i > 0 { w.raw(",") }
      let key = s.fragment + "\u{1f}" + s.heading
      let number: Int
      if let known = headings[key] {
        number = known
      } else {
        number = table.count
        headings[key] = number
        table.append([s.fragment, s.heading])
      }
      w.raw("[\(number),")
      w.string(Self.excerptText(s.text, limit: limit))
      if s.breadcrumb != page.breadcrumb {
        w.raw(",")
        w.string(s.breadcrumb)
      }
      w.raw("]")
    }
    w.raw("]]")
    return w.out
  }

  static func excerptText(_ text: String, limit: Int) -> String {
    // Runs of spaces, tabs and line breaks become one space (byte by byte: this runs on every
    // section of every page).
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var pendingSpace = false
    for byte in text.utf8 {
      if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D {
        pendingSpace = !bytes.isEmpty
      } else {
        if pendingSpace { bytes.append(0x20) }
        pendingSpace = false
        bytes.append(byte)
      }
      // Far enough past the limit (bytes ≥ UTF-16 units): the rest is never shown.
      if bytes.count > 4 * limit + 8 { break }
    }
    let collapsed = String(decoding: bytes, as: UTF8.self)
    let units = collapsed.utf16
    guard units.count > limit else { return collapsed }
    let cut = units.index(units.startIndex, offsetBy: limit)
    var end = cut
    while end > units.startIndex, units[end] != 0x20 { end = units.index(before: end) }
    if end == units.startIndex {
      // No space to cut at (one long word, a URL, CJK text): cut at the limit, never inside a surrogate pair.
      end = cut
      while end > units.startIndex, UTF16.isTrailSurrogate(units[end]) { end = units.index(before: end) }
    }
    return String(collapsed[..<end]) + " …"
  }

  /// The first term of each postings shard (indexes into the vocabulary): see
  /// ``SearchIndexBuilder/prefixesPerShard``.
  func postingShardStarts(sizes: [Int]? = nil) -> [Int] {
    let sizes = sizes ?? postingTexts().map { $0.section.utf8.count + $0.page.utf8.count }
    return Self.postingShardStarts(vocabulary: vocabulary, sizes: sizes, builder: builder)
  }

  /// The first term of each postings shard of `vocabulary`, whose terms' postings take `sizes` bytes.
  static func postingShardStarts(vocabulary: [String], sizes: [Int], builder: SearchIndexBuilder) -> [Int] {
    var starts = [0]
    let every = UInt64(max(1, builder.prefixesPerShard))
    for i in vocabulary.indices.dropFirst() {
      let (a, b) = (vocabulary[i - 1], vocabulary[i])
      let two = b.prefix(2)
      if sizes[i] >= builder.bigTermBytes || sizes[i - 1] >= builder.bigTermBytes {
        starts.append(i)
      } else if a.prefix(2) != two {
        if FNV1a64.hash(String(two)) % every == 0 { starts.append(i) }
      } else if a.prefix(3) != b.prefix(3), FNV1a64.hash(String(b.prefix(3))) % (every * 4) == 0 {
        starts.append(i)
      }
    }
    return starts
  }

  /// Every term's postings as written: (section postings, page postings).
  func postingTexts() -> [(section: String, page: String)] {
    // In runs of 4,096 terms over the cores (a large guide has 100,000 terms and more).
    let runs = stride(from: 0, to: vocabulary.count, by: 4096).map { $0..<min($0 + 4096, vocabulary.count) }
    return ParallelMap.map(runs, jobs: Self.jobs) { run in
      run.map { t -> (section: String, page: String) in
        var v = Varints()
        Self.sectionText(sectionPostings[t], into: &v)
        var p = Varints()
        Self.pageText(pagePostings[t], into: &p)
        return (v.text, p.text)
      }
    }.flatMap { $0 }
  }

  /// Threads for writing the index out (the output is the same with any number).
  static let jobs = ProcessInfo.processInfo.activeProcessorCount

  /// The first page of each display shard: pages whose URL hashes to a multiple of
  /// ``SearchIndexBuilder/pagesPerDisplayShard``.
  func displayShardStarts() -> [Int] {
    Self.displayShardStarts(urls: pages.map(\.url), builder: builder)
  }

  static func displayShardStarts(urls: [String], builder: SearchIndexBuilder) -> [Int] {
    guard !urls.isEmpty else { return [] }
    let every = UInt64(max(1, builder.pagesPerDisplayShard))
    return [0] + urls.indices.dropFirst().filter { FNV1a64.hash(urls[$0]) % every == 0 }
  }

  /// A postings shard: the section postings of the terms `range`, then their page postings by
  /// their number in the shard (terms without any left out).
  static func postingShard(_ range: Range<Int>, sectionTexts: [String], pageTexts: [String]) -> String {
    var w = JSWriter()
    w.raw("[[")
    for t in range {
      if t > range.lowerBound { w.raw(",\n") }
      w.raw("\"" + sectionTexts[t] + "\"")
    }
    w.raw("],{")
    var first = true
    for t in range where !pageTexts[t].isEmpty {
      w.raw(first ? "\n\"\(t - range.lowerBound)\":\"" : ",\n\"\(t - range.lowerBound)\":\"")
      w.raw(pageTexts[t] + "\"")
      first = false
    }
    w.raw("}]")
    return w.out
  }

  /// A display shard: the records of `pages`, their (fragment, heading) pairs numbered in a table.
  static func displayShard(_ pages: ArraySlice<Page>, limit: Int, builder: SearchIndexBuilder) -> String {
    var headings: [String: Int] = [:]
    var table: [[String]] = []
    let records = pages.map { pageRecord($0, levels: builder.levels, limit: limit, headings: &headings, table: &table) }
    var w = JSWriter()
    w.raw("[[")
    for (i, pair) in table.enumerated() {
      if i > 0 { w.raw(",") }
      w.strings(pair)
    }
    w.raw("],\n[")
    w.raw(records.joined(separator: ",\n"))
    w.raw("]]")
    return w.out
  }

  /// The index's files, every one with its contents.
  func files() -> [(path: String, contents: String)] {
    output().files.map { ($0.path, $0.contents ?? "") }
  }

  /// The index's files and its state for the next build's update (``SearchIndexUpdate``).
  /// `keys`: page URL → the key of its search content (a page without one is keyed by its content).
  func output(keys: [String: String] = [:]) -> SearchIndexBuilder.Output {
    let texts = postingTexts()
    var state = SearchIndexState(
      settings: builder.settings, pages: pages.map { SearchIndexState.PageEntry($0, key: keys[$0.url] ?? Self.contentKey($0)) },
      vocabulary: vocabulary, sectionTexts: texts.map(\.section), pageTexts: texts.map(\.page))
    let sectionCount = pages.reduce(0) { $0 + $1.sections.count }
    let limit = builder.excerptLimit(sections: sectionCount)
    state.postingStarts = Self.postingShardStarts(
      vocabulary: vocabulary, sizes: texts.map { $0.section.utf8.count + $0.page.utf8.count }, builder: builder)
    state.displayStarts = displayShardStarts()
    // Each shard's body and name on its own (in parallel).
    let bounds = state
    let postingShards = ParallelMap.map(Array(bounds.postingStarts.indices), jobs: Self.jobs) { c -> Shard in
      let body = Self.postingShard(bounds.postingRange(c), sectionTexts: bounds.sectionTexts, pageTexts: bounds.pageTexts)
      return Shard(name: "p-" + FNV1a64.hex(body), body: body, size: body.utf8.count)
    }
    let displayShards = ParallelMap.map(Array(bounds.displayStarts.indices), jobs: Self.jobs) { c -> Shard in
      let body = Self.displayShard(pages[bounds.displayRange(c)], limit: limit, builder: builder)
      return Shard(name: "d-" + FNV1a64.hex(body), body: body, size: body.utf8.count)
    }
    state.postingShards = postingShards.map { SearchIndexState.ShardEntry(name: $0.name, size: $0.size) }
    state.displayShards = displayShards.map { SearchIndexState.ShardEntry(name: $0.name, size: $0.size) }
    let files = Self.assemble(state, shards: postingShards + displayShards, synonymGroups: synonymGroups, builder: builder)
    return SearchIndexBuilder.Output(files: files ?? [], state: state)
  }

  /// A shard's name and body (nil: the previous output's file of that name is kept) and its size.
  struct Shard {
    var name: String
    var body: String?
    var size: Int
  }

  /// The key of a page that has no analysis key (a snippet's page): its searchable content.
  static func contentKey(_ page: Page) -> String {
    var parts = ["search-content v1", page.title, page.url, page.kind, page.forAuthors ? "1" : "0", page.summary]
    parts += [String(page.level), page.tags.map(String.init).joined(separator: ","), page.breadcrumb]
    for s in page.sections { parts += [s.fragment, s.heading, s.text, s.breadcrumb] }
    return Hashing.sha256(parts)
  }

  /// The manifest, `assets/search-index.js`, from the state, then the shard files (or, for a small
  /// index, the shards inside the manifest). Nil when the shards must go inside the manifest and
  /// one of their bodies was not made.
  static func assemble(
    _ state: SearchIndexState, shards: [Shard], synonymGroups: [[String]], builder: SearchIndexBuilder
  ) -> [SearchIndexBuilder.File]? {
    var head = JSWriter()
    head.raw("{\"v\":2,\"l\":[")
    for (i, level) in builder.levels.enumerated() {
      if i > 0 { head.raw(",") }
      head.strings([level.id, level.name])
    }
    head.raw("],\"g\":[")
    for (i, tag) in builder.tags.enumerated() {
      if i > 0 { head.raw(",") }
      head.strings([tag.id, tag.name])
    }
    head.raw("],\"s\":[")
    for (i, group) in synonymGroups.enumerated() {
      if i > 0 { head.raw(",") }
      head.strings(group)
    }
    head.raw("],\n\"w\":")
    head.string(state.vocabulary.joined(separator: " "))
    head.raw(",\n\"p\":[")
    for (i, page) in state.pages.enumerated() {
      if i > 0 { head.raw(",") }
      head.raw("[\(page.level),")
      head.ints(page.tags)
      head.raw(",\(page.sectionCount),\(SearchRanking.prior(kind: page.kind, forAuthors: page.forAuthors))]")
    }
    // Lengths for the ranking: per page (title, tags, summary), per section (2 × heading length
    // + 1 for a link-list section, body length).
    var pageLengths = Varints()
    var sectionLengths = Varints()
    for page in state.pages {
      for length in page.lengths[0..<3] { pageLengths.add(length) }
      for length in page.lengths[3...] { sectionLengths.add(length) }
    }
    head.raw("],\n\"pl\":\"")
    head.raw(pageLengths.text)
    head.raw("\",\n\"sl\":\"")
    head.raw(sectionLengths.text)
    head.raw("\"")

    let total = head.out.utf8.count + shards.reduce(0) { $0 + $1.size + 24 }
    let inline = total <= builder.singleFileLimit
    if inline, shards.contains(where: { $0.body == nil }) { return nil }

    var main = JSWriter(capacity: head.out.utf8.count + (inline ? total : 1024))
    main.raw("/* Generated by StudyGuide: the search index (docs/search.md). */\n")
    main.raw("window.GuideSearchIndex=")
    main.raw(head.out)
    main.raw(",\n\"pc\":")
    main.ints(state.postingStarts)
    main.raw(",\"pn\":")
    main.strings(state.postingShards.map(\.name))
    main.raw(",\n\"dc\":")
    main.ints(state.displayStarts)
    main.raw(",\"dn\":")
    main.strings(state.displayShards.map(\.name))
    main.raw(",\n\"c\":{")
    var files: [SearchIndexBuilder.File] = []
    // Two shards with the same content (a few rare terms with the same postings) are one file.
    var written: Set<String> = []
    for shard in shards where written.insert(shard.name).inserted {
      if inline {
        main.raw(written.count > 1 ? ",\n\"\(shard.name)\":" : "\n\"\(shard.name)\":")
        main.raw(shard.body ?? "")
      } else {
        let prefix = "(window.GuideSearchShards=window.GuideSearchShards||{})[\"\(shard.name)\"]=\n"
        files.append(
          SearchIndexBuilder.File(
            path: shardPath(shard.name), contents: shard.body.map { prefix + $0 + ";\n" },
            size: prefix.utf8.count + shard.size + 2))
      }
    }
    main.raw("}};\n")
    return [SearchIndexBuilder.File(path: mainPath, contents: main.out, size: main.out.utf8.count)] + files
  }
}

/// Non-negative integers as a string of printable ASCII (no `"` and no `\`, so the string needs
/// no escaping): 91 digits, `#` (35) to `~` (126) without `\` (92); digits 0–63 end a number,
/// 64–90 continue it (the number's high part in bijective base 27), so 0–63 take one character,
/// up to 1,791 two, up to 48,447 three. search-engine.js decodes it (`decode`).
struct Varints {
  private(set) var bytes: [UInt8] = []

  private static func digit(_ d: Int) -> UInt8 {
    let c = 35 + d
    return UInt8(c >= 92 ? c + 1 : c)
  }

  mutating func add(_ value: Int) {
    precondition(value >= 0)
    var n = value / 64
    if n > 0 {
      // The high part's digits, least significant first, then turned around in place.
      let start = bytes.count
      while n > 0 {
        n -= 1
        bytes.append(Self.digit(64 + n % 27))
        n /= 27
      }
      bytes[start...].reverse()
    }
    bytes.append(Self.digit(value % 64))
  }

  /// Appends bytes already written as varints.
  mutating func append(raw: some Sequence<UInt8>) { bytes.append(contentsOf: raw) }

  init() {}

  init(capacity: Int) { bytes.reserveCapacity(capacity) }

  /// Reads one number at `position` of `bytes` (varint text), moving past it; nil at the end.
  static func next(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int) -> Int? {
    var v = 0
    while position < bytes.count {
      var d = Int(bytes[position]) - 35
      position += 1
      if d > 57 { d -= 1 }
      if d >= 64 {
        v = v * 27 + d - 63
      } else {
        return v * 64 + d
      }
    }
    return nil
  }

  var text: String { String(decoding: bytes, as: UTF8.self) }

  /// The numbers back (for tests; the browser has its own).
  static func decode(_ text: String) -> [Int] {
    var out: [Int] = []
    var v = 0
    for byte in text.utf8 {
      var d = Int(byte) - 35
      if d > 57 { d -= 1 }
      if d >= 64 {
        v = v * 27 + d - 63
      } else {
        out.append(v * 64 + d)
        v = 0
      }
    }
    return out
  }
}

/// 64-bit FNV-1a, for content names of shards and content-defined shard bounds.
enum FNV1a64 {
  static func hash(_ text: String) -> UInt64 {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      value ^= UInt64(byte)
      value = value &* 0x0000_0100_0000_01B3
    }
    return value
  }

  static func hex(_ text: String) -> String {
    let h = String(hash(text), radix: 16)
    return String(repeating: "0", count: 16 - h.count) + h
  }
}
