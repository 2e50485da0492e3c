import Foundation

/// Builds the offline search index: `assets/search-index.js` (`window.GuideSearchIndex = …`) and,
/// for large guides, chunk files under `assets/search/` that the page loads with `<script>` on
/// demand. The format, the ranking and the sizes are described in docs/search.md.
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
  /// The size a postings chunk file aims at when the index is split.
  var chunkTarget = 200_000
  /// The size a display chunk (titles, headings, excerpt text) aims at: a result list needs one
  /// per page shown, so these are smaller.
  var displayChunkTarget = 64_000
  /// Section text longer than this (UTF-16 units) is cut for excerpts (all of it is indexed).
  var excerptTextLimit = 6_000

  public init(
    levels: [(id: String, name: String)], tags: [(id: String, name: String)], synonyms: [[String]]
  ) {
    self.levels = levels.map { Named(id: $0.id, name: $0.name) }
    self.tags = tags.map { Named(id: $0.id, name: $0.name) }
    self.synonyms = synonyms
  }

  /// Files to write, paths relative to the site root (e.g. "assets/search-index.js", shards),
  /// contents deterministic (byte-identical for the same input).
  public func build(_ sections: [SearchSection]) -> [(path: String, contents: String)] {
    let model = SearchIndexModel(builder: self, sections: sections)
    return model.files()
  }
}

/// Ranking constants (docs/search.md, "Ranking"). Impacts are computed here, at build time;
/// the browser only adds them up.
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
  /// Impacts are stored as integers: round(score × scale), at least 1.
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
    /// (term id, count in heading, count in body)
    var counts: [(term: Int, heading: Int, body: Int)] = []
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
    var titleCounts: [(term: Int, title: Int, tags: Int)] = []
    var summaryCounts: [(term: Int, count: Int)] = []
    var titleLength = 0
    var tagLength = 0
    var summaryLength = 0
  }

  let builder: SearchIndexBuilder
  var pages: [Page] = []
  /// Sorted vocabulary (by UTF-16 code units, the order JavaScript compares strings in).
  var vocabulary: [String] = []
  /// Synonym groups as terms (phrases joined with "_").
  var synonymGroups: [[String]] = []
  /// Per term (sorted order): section postings as (global section index, impact).
  var sectionPostings: [[(Int, Int)]] = []
  /// Per term (sorted order): page postings (title and tags) as (page index, impact).
  var pagePostings: [[(Int, Int)]] = []

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

  // MARK: Analysis and impacts

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
    // Per term id: its count in the text being counted (zero between texts), and the last page
    // that used it (for page frequencies). Arrays, not dictionaries: this runs on every section.
    var scratch: [Int] = []
    var lastPage: [Int] = []
    var pageFrequency: [Int] = []
    func touch(_ term: Int, _ touched: inout [Int]) {
      if term >= scratch.count {
        scratch.append(0)
        lastPage.append(-1)
        pageFrequency.append(0)
      }
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
    /// Two sorted count lists merged: (term, count in a, count in b), sorted by term.
    func merge(_ a: [(term: Int, count: Int)], _ b: [(term: Int, count: Int)]) -> [(Int, Int, Int)] {
      var out: [(Int, Int, Int)] = []
      out.reserveCapacity(a.count + b.count)
      var i = 0
      var j = 0
      while i < a.count || j < b.count {
        if j == b.count || (i < a.count && a[i].term < b[j].term) {
          out.append((a[i].term, a[i].count, 0))
          i += 1
        } else if i == a.count || b[j].term < a[i].term {
          out.append((b[j].term, 0, b[j].count))
          j += 1
        } else {
          out.append((a[i].term, a[i].count, b[j].count))
          i += 1
          j += 1
        }
      }
      return out
    }

    for p in pages.indices {
      func seen(_ term: Int) {
        if lastPage[term] != p {
          lastPage[term] = p
          pageFrequency[term] += 1
        }
      }
      let title = count(pages[p].title)
      let tagText = pages[p].tags.map { builder.tags[$0].name }.joined(separator: ", ")
      let tagCounts = count(tagText)
      pages[p].titleLength = title.length
      pages[p].tagLength = tagCounts.length
      for (term, inTitle, inTags) in merge(title.counts, tagCounts.counts) {
        pages[p].titleCounts.append((term, inTitle, inTags))
        seen(term)
      }
      let summary = count(pages[p].summary)
      pages[p].summaryCounts = summary.counts
      pages[p].summaryLength = summary.length
      for s in pages[p].sections.indices {
        let heading = count(pages[p].sections[s].heading)
        let body = count(pages[p].sections[s].text)
        pages[p].sections[s].headingLength = heading.length
        pages[p].sections[s].bodyLength = body.length
        for (term, inHeading, inBody) in merge(heading.counts, body.counts) {
          pages[p].sections[s].counts.append((term, inHeading, inBody))
          seen(term)
        }
      }
    }

    // Sorted vocabulary and the mapping from first-seen ids to sorted positions.
    let order = names.indices.sorted { names[$0].utf16.lexicographicallyPrecedes(names[$1].utf16) }
    vocabulary = order.map { names[$0] }
    var position = [Int](repeating: 0, count: names.count)
    for (sortedIndex, oldID) in order.enumerated() { position[oldID] = sortedIndex }

    let pageCount = pages.count
    let idf = (0..<names.count).map {
      SearchRanking.idf(documentFrequency: $0 < pageFrequency.count ? pageFrequency[$0] : 0, documents: pageCount)
    }
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
    func norm(_ length: Int, _ avg: Double, _ b: Double) -> Double {
      1 - b + b * Double(length) / avg
    }

    sectionPostings = Array(repeating: [], count: names.count)
    pagePostings = Array(repeating: [], count: names.count)
    var sectionIndex = 0
    for (p, page) in pages.enumerated() {
      let prior = SearchRanking.prior(kind: page.kind, forAuthors: page.forAuthors)
      // Title and tags, then the summary's words that are in neither (one posting per page and term).
      var summaryScore: [Int: Double] = [:]
      for (term, n) in page.summaryCounts {
        summaryScore[term] =
          SearchRanking.summaryWeight
          * SearchRanking.saturate(Double(n) / norm(page.summaryLength, avgSummary, SearchRanking.titleB))
      }
      for (term, score) in summaryScore.sorted(by: { $0.key < $1.key })
      where !page.titleCounts.contains(where: { $0.term == term }) {
        pagePostings[position[term]].append((p, SearchRanking.quantize(prior * idf[term] * score)))
      }
      for (term, inTitle, inTags) in page.titleCounts {
        var score = 0.0
        if inTitle > 0 {
          score +=
            SearchRanking.titleWeight
            * SearchRanking.saturate(
              Double(inTitle) / norm(page.titleLength, avgTitle, SearchRanking.titleB))
        }
        if inTags > 0 {
          score +=
            SearchRanking.tagWeight
            * SearchRanking.saturate(
              Double(inTags) / norm(page.tagLength, avgTags, SearchRanking.titleB))
        }
        score += summaryScore[term] ?? 0
        pagePostings[position[term]].append((p, SearchRanking.quantize(prior * idf[term] * score)))
      }
      for section in page.sections {
        let hNorm = norm(section.headingLength, avgHeading, SearchRanking.headingB)
        let bNorm = norm(section.bodyLength, avgBody, SearchRanking.bodyB)
        let weight = prior * SearchRanking.sectionWeight(heading: section.heading)
        for (term, inHeading, inBody) in section.counts {
          let tf =
            SearchRanking.headingBoost * Double(inHeading) / hNorm + Double(inBody) / bNorm
          let score = weight * idf[term] * SearchRanking.saturate(tf)
          sectionPostings[position[term]].append((sectionIndex, SearchRanking.quantize(score)))
        }
        sectionIndex += 1
      }
    }
  }

  // MARK: Output

  static let mainPath = "assets/search-index.js"

  /// A chunk file's path: `assets/search/<name>-<id>.js`.
  static func chunkPath(_ name: String, id: String) -> String { "assets/search/\(name)-\(id).js" }

  /// One term's postings inside a postings chunk: `[delta, impact, delta, impact, …]`.
  private static func flat(_ postings: [(Int, Int)]) -> String {
    var w = JSWriter()
    var previous = 0
    var values: [Int] = []
    values.reserveCapacity(postings.count * 2)
    for (doc, impact) in postings {
      values.append(doc - previous)
      values.append(impact)
      previous = doc
    }
    w.ints(values)
    return w.out
  }

  private func pageRecord(_ page: Page) -> String {
    var w = JSWriter()
    w.raw("[")
    w.string(page.title)
    w.raw(",")
    w.string(page.url)
    w.raw(",")
    w.string(page.kind)
    w.raw(",")
    w.string(page.breadcrumb)
    w.raw(",[")
    for (i, s) in page.sections.enumerated() {
      if i > 0 { w.raw(",") }
      var fields = [s.fragment, s.heading, excerptText(s.text)]
      if s.breadcrumb != page.breadcrumb { fields.append(s.breadcrumb) }
      w.strings(fields)
    }
    w.raw("]]")
    return w.out
  }

  private func excerptText(_ text: String) -> String {
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
    }
    let collapsed = String(decoding: bytes, as: UTF8.self)
    let units = collapsed.utf16
    guard units.count > builder.excerptTextLimit else { return collapsed }
    let limit = units.index(units.startIndex, offsetBy: builder.excerptTextLimit)
    var end = limit
    while end > units.startIndex, units[end] != 0x20 { end = units.index(before: end) }
    if end == units.startIndex {
      // No space to cut at (one long word, a URL, CJK text): cut at the limit, never inside a surrogate pair.
      end = limit
      while end > units.startIndex, UTF16.isTrailSurrogate(units[end]) { end = units.index(before: end) }
    }
    return String(collapsed[..<end]) + " …"
  }

  /// Groups consecutive items into chunks of about `target` bytes. `canSplit(i)` says whether a
  /// chunk may start at item `i` (postings chunks start where the two-letter prefix changes, so
  /// that one prefix, as typed, lives in one file), unless the chunk is already twice the target.
  private static func chunkStarts(
    sizes: [Int], target: Int, canSplit: (Int) -> Bool
  ) -> [Int] {
    var starts = [0]
    var current = 0
    for (i, size) in sizes.enumerated() {
      if current > 0 && current + size > target && (canSplit(i) || current + size > 2 * target) {
        starts.append(i)
        current = 0
      }
      current += size
    }
    return starts
  }

  func files() -> [(path: String, contents: String)] {
    // Postings, one entry per term.
    let postingTexts = sectionPostings.map(Self.flat)
    let titleTexts = pagePostings.map { $0.isEmpty ? "" : Self.flat($0) }
    let pageTexts = pages.map(pageRecord)

    // Header: everything but the chunks.
    var head = JSWriter()
    head.raw("{\"v\":1,\"l\":[")
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
      head.raw(",\(page.sections.count)]")
    }
    head.raw("]")

    let total =
      head.out.utf8.count + postingTexts.reduce(0) { $0 + $1.utf8.count + 1 }
      + titleTexts.reduce(0) { $0 + $1.utf8.count + 8 } + pageTexts.reduce(0) { $0 + $1.utf8.count + 1 }

    let postingStarts: [Int]
    let pageStarts: [Int]
    if total <= builder.singleFileLimit {
      postingStarts = [0]
      pageStarts = [0]
    } else {
      let sizes = postingTexts.indices.map {
        postingTexts[$0].utf8.count + titleTexts[$0].utf8.count + 1
      }
      postingStarts = Self.chunkStarts(sizes: sizes, target: builder.chunkTarget) { i in
        i == 0 || vocabulary[i].prefix(2) != vocabulary[i - 1].prefix(2)
      }
      pageStarts = Self.chunkStarts(
        sizes: pageTexts.map { $0.utf8.count + 1 }, target: builder.displayChunkTarget
      ) { _ in true }
    }

    // Chunk bodies.
    var chunks: [(name: String, body: String)] = []
    for (c, start) in postingStarts.enumerated() {
      let end = c + 1 < postingStarts.count ? postingStarts[c + 1] : vocabulary.count
      var w = JSWriter()
      w.raw("[[")
      for t in start..<end {
        if t > start { w.raw(",\n") }
        w.raw(postingTexts[t])
      }
      w.raw("],{")
      var first = true
      for t in start..<end where !titleTexts[t].isEmpty {
        w.raw(first ? "\n\"\(t - start)\":" : ",\n\"\(t - start)\":")
        w.raw(titleTexts[t])
        first = false
      }
      w.raw("}]")
      chunks.append(("p\(c)", w.out))
    }
    for (c, start) in pageStarts.enumerated() {
      let end = c + 1 < pageStarts.count ? pageStarts[c + 1] : pages.count
      chunks.append(("d\(c)", "[" + pageTexts[start..<end].joined(separator: ",\n") + "]"))
    }

    // A short content hash names the chunk files, so a browser never mixes two builds.
    var hash = FNV1a()
    hash.add(head.out)
    for chunk in chunks { hash.add(chunk.name); hash.add(chunk.body) }
    let id = hash.hex

    var main = JSWriter(capacity: head.out.utf8.count + 1024)
    main.raw("/* Generated by StudyGuide: the search index (docs/search.md). */\n")
    main.raw("window.GuideSearchIndex=")
    main.raw(head.out)
    main.raw(",\n\"id\":")
    main.string(id)
    main.raw(",\"pc\":")
    main.ints(postingStarts)
    main.raw(",\"dc\":")
    main.ints(pageStarts)
    main.raw(",\n\"c\":{")
    var files: [(path: String, contents: String)] = []
    if postingStarts.count == 1 && pageStarts.count == 1 {
      for (i, chunk) in chunks.enumerated() {
        main.raw(i > 0 ? ",\n\"\(chunk.name)\":" : "\n\"\(chunk.name)\":")
        main.raw(chunk.body)
      }
    } else {
      for chunk in chunks {
        files.append(
          (
            Self.chunkPath(chunk.name, id: id),
            "(window.GuideSearchShards=window.GuideSearchShards||{})[\"\(chunk.name)\"]=\n"
              + chunk.body + ";\n"
          ))
      }
    }
    main.raw("}};\n")
    return [(Self.mainPath, main.out)] + files
  }
}

/// 32-bit FNV-1a, for short deterministic content ids.
struct FNV1a {
  private var value: UInt32 = 0x811C_9DC5
  mutating func add(_ text: String) {
    for byte in text.utf8 {
      value ^= UInt32(byte)
      value = value &* 0x0100_0193
    }
  }
  var hex: String {
    let h = String(value, radix: 16)
    return String(repeating: "0", count: 8 - h.count) + h
  }
}
