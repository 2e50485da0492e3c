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
    private var storedSection: Int32
    private var storedHeading: Int32
    private var storedBody: Int32
    var section: Int {
      get { Int(storedSection) }
      set { storedSection = Int32(newValue) }
    }
    var heading: Int {
      get { Int(storedHeading) }
      set { storedHeading = Int32(newValue) }
    }
    var body: Int {
      get { Int(storedBody) }
      set { storedBody = Int32(newValue) }
    }
    init(section: Int, heading: Int, body: Int) {
      storedSection = Int32(section)
      storedHeading = Int32(heading)
      storedBody = Int32(body)
    }
  }

  /// A term in a page's title, tag names or summary.
  struct PagePosting: Equatable {
    private var storedPage: Int32
    private var storedTitle: Int32
    private var storedTags: Int32
    private var storedSummary: Int32
    var page: Int {
      get { Int(storedPage) }
      set { storedPage = Int32(newValue) }
    }
    var title: Int {
      get { Int(storedTitle) }
      set { storedTitle = Int32(newValue) }
    }
    var tags: Int {
      get { Int(storedTags) }
      set { storedTags = Int32(newValue) }
    }
    var summary: Int {
      get { Int(storedSummary) }
      set { storedSummary = Int32(newValue) }
    }
    init(page: Int, title: Int, tags: Int, summary: Int) {
      storedPage = Int32(page)
      storedTitle = Int32(title)
      storedTags = Int32(tags)
      storedSummary = Int32(summary)
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
    groupPages(sections)
    analyse()
  }

  // MARK: Pages and sections

  private mutating func groupPages(_ sections: [SearchSection]) {
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
  }

  static func split(_ url: String) -> (String, String) {
    guard let hash = url.firstIndex(of: "#") else { return (url, "") }
    return (String(url[..<hash]), String(url[url.index(after: hash)...]))
  }

  // MARK: Analysis

  private mutating func analyse() {
    // Synonyms: each member becomes a term; multi-word members are matched as phrases.
    var phrases: [String: [[String]]] = [:]
    for group in builder.synonyms {
      var members: [String] = []
      for member in group {
        let tokens = SearchText.analyze(member).map(\.term)
        guard !tokens.isEmpty else { continue }
        let term = tokens.joined(separator: "_")
        if !members.contains(term) { members.append(term) }
        if tokens.count > 1, !(phrases[tokens[0]] ?? []).contains(tokens) {
          phrases[tokens[0], default: []].append(tokens)
        }
      }
      if members.count > 1 { synonymGroups.append(members) }
    }

    var ids: [String: Int] = [:]
    var names: [String] = []
    func id(_ term: String) -> Int {
      if let existing = ids[term] { return existing }
      ids[term] = names.count
      names.append(term)
      return names.count - 1
    }
    var memo: [String: SearchText.Token] = [:]
    // Per term id: its count in the text being counted (zero between texts). An array, not a
    // dictionary: this runs on every section.
    var scratch: [Int] = []
    func touch(_ term: Int, _ touched: inout [Int]) {
      // Ids of terms met only in reused analyses have no slot yet.
      if term >= scratch.count { scratch += repeatElement(0, count: term - scratch.count + 1) }
      if scratch[term] == 0 { touched.append(term) }
      scratch[term] += 1
    }
    /// Term counts of a text, sorted by term id, and its length in indexed terms.
    func count(_ text: String) -> (counts: [(term: Int, count: Int)], length: Int) {
      let tokens = SearchText.analyze(text, memo: &memo)
      var touched: [Int] = []
      var length = 0
      for (i, token) in tokens.enumerated() {
        if !token.isStop {
          touch(id(token.term), &touched)
          length += 1
        }
        for phrase in phrases[token.term] ?? [] where i + phrase.count <= tokens.count {
          if (1..<phrase.count).allSatisfy({ tokens[i + $0].term == phrase[$0] }) {
            touch(id(phrase.joined(separator: "_")), &touched)
          }
        }
      }
      touched.sort()
      let counts = touched.map { (term: $0, count: scratch[$0]) }
      for term in touched { scratch[term] = 0 }
      return (counts, length)
    }

    // Postings by first-seen term id, remapped to sorted order below.
    var sectionByID: [[SectionPosting]] = []
    var pageByID: [[PagePosting]] = []
    func grow() {
      while sectionByID.count < names.count {
        sectionByID.append([])
        pageByID.append([])
      }
    }
    /// A text's terms by name, for the analysis cache (the ids are this build's).
    func counted(_ text: String) -> SearchAnalysisCache.Counted {
      let (counts, length) = count(text)
      return SearchAnalysisCache.Counted(terms: counts.map { (names[$0.term], $0.count) }, length: length)
    }
    func numbered(_ counted: SearchAnalysisCache.Counted) -> (counts: [(term: Int, count: Int)], length: Int) {
      (counted.terms.map { (id($0.term), $0.count) }, counted.length)
    }
    // The analysis cache's term numbers → this build's ids, each looked up by its string once
    // (-1: not met yet). Ids are still given in the order terms are first met, as without it.
    var idOfCached: [Int] = Array(repeating: -1, count: builder.analysisCache?.vocabularyCount ?? 0)
    func numberedCached(_ text: SearchAnalysisCache.NumberedText) -> (counts: [(term: Int, count: Int)], length: Int) {
      let counts = text.terms.map { pair -> (term: Int, count: Int) in
        var known = idOfCached[pair.term]
        if known < 0 {
          known = id(builder.analysisCache!.term(pair.term))
          idOfCached[pair.term] = known
        }
        return (known, pair.count)
      }
      return (counts, text.length)
    }

    var sectionIndex = 0
    for p in pages.indices {
      let tagText = pages[p].tags.map { builder.tags[$0].name }.joined(separator: ", ")
      // Title, tag names, summary, then each section's heading and body: from the previous
      // build when the page is unchanged.
      func analysePage() -> [SearchAnalysisCache.Counted] {
        [counted(pages[p].title), counted(tagText), counted(pages[p].summary)]
          + pages[p].sections.flatMap { [counted($0.heading), counted($0.text)] }
      }
      let fields: [(counts: [(term: Int, count: Int)], length: Int)]
      switch builder.analysisCache?.lookup(url: pages[p].url, fields: 3 + 2 * pages[p].sections.count, analysePage) {
      case .cached(let texts)?: fields = texts.map(numberedCached)
      case .analysed(let counted)?: fields = counted.map(numbered)
      case nil: fields = analysePage().map(numbered)
      }
      let title = fields[0]
      let tagCounts = fields[1]
      let summary = fields[2]
      pages[p].titleLength = title.length
      pages[p].tagLength = tagCounts.length
      pages[p].summaryLength = summary.length
      grow()
      var merged: [Int: PagePosting] = [:]
      for (term, n) in title.counts { merged[term, default: PagePosting(page: p, title: 0, tags: 0, summary: 0)].title = n }
      for (term, n) in tagCounts.counts { merged[term, default: PagePosting(page: p, title: 0, tags: 0, summary: 0)].tags = n }
      for (term, n) in summary.counts { merged[term, default: PagePosting(page: p, title: 0, tags: 0, summary: 0)].summary = n }
      for (term, posting) in merged { pageByID[term].append(posting) }
      for s in pages[p].sections.indices {
        let heading = fields[3 + 2 * s]
        let body = fields[4 + 2 * s]
        pages[p].sections[s].headingLength = heading.length
        pages[p].sections[s].bodyLength = body.length
        grow()
        for (term, n) in heading.counts {
          sectionByID[term].append(SectionPosting(section: sectionIndex, heading: n, body: 0))
        }
        for (term, n) in body.counts {
          if let last = sectionByID[term].last, last.section == sectionIndex {
            sectionByID[term][sectionByID[term].count - 1].body = n
          } else {
            sectionByID[term].append(SectionPosting(section: sectionIndex, heading: 0, body: n))
          }
        }
        sectionIndex += 1
      }
    }
    grow()

    // Sorted vocabulary.
    let order = names.indices.sorted { names[$0].utf16.lexicographicallyPrecedes(names[$1].utf16) }
    vocabulary = order.map { names[$0] }
    sectionPostings = order.map { sectionByID[$0] }
    pagePostings = order.map { pageByID[$0] }
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
  static func sectionText(_ postings: [SectionPosting], into w: inout Varints) {
    var previous = 0
    for posting in postings {
      w.add((posting.section - previous) * 8 + min(posting.body, 3) * 2 + (posting.heading > 0 ? 1 : 0))
      if posting.body >= 3 { w.add(posting.body - 3) }
      if posting.heading > 0 { w.add(posting.heading - 1) }
      previous = posting.section
    }
  }

  /// One term's page postings, per page: `8 × page Δ + (1: in the title) + (2: in a tag name) +
  /// (4: in the summary)`, then `count − 1` for each of those it is in, in that order.
  static func pageText(_ postings: [PagePosting], into w: inout Varints) {
    var previous = 0
    for posting in postings {
      let flags = (posting.title > 0 ? 1 : 0) + (posting.tags > 0 ? 2 : 0) + (posting.summary > 0 ? 4 : 0)
      w.add((posting.page - previous) * 8 + flags)
      for count in [posting.title, posting.tags, posting.summary] where count > 0 { w.add(count - 1) }
      previous = posting.page
    }
  }

  /// A page's display record; its sections' (fragment, heading) pairs are numbers in `headings`,
  /// the shard's table (headings such as "Key points" recur on nearly every page).
  private func pageRecord(_ page: Page, limit: Int, headings: inout [String: Int], table: inout [[String]]) -> String {
    var w = JSWriter()
    w.raw("[")
    w.string(page.title)
    w.raw(",")
    w.string(page.url)
    w.raw(",")
    w.string(page.kind)
    w.raw(",")
    // The breadcrumb only when it is not the usual "Level › Title" (or the title alone).
    let usual = page.level >= 0 ? builder.levels[page.level].name + " › " + page.title : page.title
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
      w.string(excerptText(s.text, limit: limit))
      if s.breadcrumb != page.breadcrumb {
        w.raw(",")
        w.string(s.breadcrumb)
      }
      w.raw("]")
    }
    w.raw("]]")
    return w.out
  }

  private func excerptText(_ text: String, limit: Int) -> String {
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
    let every = UInt64(max(1, builder.pagesPerDisplayShard))
    return [0] + pages.indices.dropFirst().filter { FNV1a64.hash(pages[$0].url) % every == 0 }
  }

  func files() -> [(path: String, contents: String)] {
    let sectionCount = pages.reduce(0) { $0 + $1.sections.count }
    let limit = builder.excerptLimit(sections: sectionCount)

    // The manifest: everything but the shards.
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
    head.string(vocabulary.joined(separator: " "))
    head.raw(",\n\"p\":[")
    for (i, page) in pages.enumerated() {
      if i > 0 { head.raw(",") }
      head.raw("[\(page.level),")
      head.ints(page.tags)
      head.raw(",\(page.sections.count),\(SearchRanking.prior(kind: page.kind, forAuthors: page.forAuthors))]")
    }
    // Lengths for the ranking: per page (title, tags, summary), per section (2 × heading length
    // + 1 for a link-list section, body length).
    var pageLengths = Varints()
    var sectionLengths = Varints()
    for page in pages {
      pageLengths.add(page.titleLength)
      pageLengths.add(page.tagLength)
      pageLengths.add(page.summaryLength)
      for s in page.sections {
        sectionLengths.add(s.headingLength * 2 + (SearchRanking.sectionWeight(heading: s.heading) < 1 ? 1 : 0))
        sectionLengths.add(s.bodyLength)
      }
    }
    head.raw("],\n\"pl\":\"")
    head.raw(pageLengths.text)
    head.raw("\",\n\"sl\":\"")
    head.raw(sectionLengths.text)
    head.raw("\"")

    // Shard bodies.
    let texts = postingTexts()
    let postingStarts = postingShardStarts(sizes: texts.map { $0.section.utf8.count + $0.page.utf8.count })
    let pageStarts = displayShardStarts()
    // Each shard's body and name on its own (in parallel), then listed in order.
    let postingShards = ParallelMap.map(Array(postingStarts.indices), jobs: Self.jobs) { c -> (name: String, body: String) in
      let start = postingStarts[c]
      let end = c + 1 < postingStarts.count ? postingStarts[c + 1] : vocabulary.count
      var w = JSWriter()
      w.raw("[[")
      for t in start..<end {
        if t > start { w.raw(",\n") }
        w.raw("\"" + texts[t].section + "\"")
      }
      w.raw("],{")
      var first = true
      for t in start..<end where !pagePostings[t].isEmpty {
        w.raw(first ? "\n\"\(t - start)\":\"" : ",\n\"\(t - start)\":\"")
        w.raw(texts[t].page + "\"")
        first = false
      }
      w.raw("}]")
      return ("p-" + FNV1a64.hex(w.out), w.out)
    }
    let displayShards = ParallelMap.map(pages.isEmpty ? [] : Array(pageStarts.indices), jobs: Self.jobs) {
      c -> (name: String, body: String) in
      let start = pageStarts[c]
      let end = c + 1 < pageStarts.count ? pageStarts[c + 1] : pages.count
      var headings: [String: Int] = [:]
      var table: [[String]] = []
      let records = pages[start..<end].map { pageRecord($0, limit: limit, headings: &headings, table: &table) }
      var w = JSWriter()
      w.raw("[[")
      for (i, pair) in table.enumerated() {
        if i > 0 { w.raw(",") }
        w.strings(pair)
      }
      w.raw("],\n[")
      w.raw(records.joined(separator: ",\n"))
      w.raw("]]")
      let body = w.out
      return ("d-" + FNV1a64.hex(body), body)
    }
    let shards = postingShards + displayShards
    let postingNames = postingShards.map(\.name)
    let displayNames = displayShards.map(\.name)

    let total = head.out.utf8.count + shards.reduce(0) { $0 + $1.body.utf8.count + 24 }
    let inline = total <= builder.singleFileLimit

    var main = JSWriter(capacity: head.out.utf8.count + (inline ? total : 1024))
    main.raw("/* Generated by StudyGuide: the search index (docs/search.md). */\n")
    main.raw("window.GuideSearchIndex=")
    main.raw(head.out)
    main.raw(",\n\"pc\":")
    main.ints(postingStarts)
    main.raw(",\"pn\":")
    main.strings(postingNames)
    main.raw(",\n\"dc\":")
    main.ints(pages.isEmpty ? [] : pageStarts)
    main.raw(",\"dn\":")
    main.strings(displayNames)
    main.raw(",\n\"c\":{")
    var files: [(path: String, contents: String)] = []
    if inline {
      var written: Set<String> = []
      for shard in shards where written.insert(shard.name).inserted {
        main.raw(written.count > 1 ? ",\n\"\(shard.name)\":" : "\n\"\(shard.name)\":")
        main.raw(shard.body)
      }
    } else {
      // Two shards with the same content (a few rare terms with the same postings) are one file.
      var written: Set<String> = []
      for shard in shards where written.insert(shard.name).inserted {
        files.append(
          (
            Self.shardPath(shard.name),
            "(window.GuideSearchShards=window.GuideSearchShards||{})[\"\(shard.name)\"]=\n" + shard.body + ";\n"
          ))
      }
    }
    main.raw("}};\n")
    return [(Self.mainPath, main.out)] + files
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
    var continuation: [UInt8] = []
    while n > 0 {
      n -= 1
      continuation.append(Self.digit(64 + n % 27))
      n /= 27
    }
    bytes.append(contentsOf: continuation.reversed())
    bytes.append(Self.digit(value % 64))
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
