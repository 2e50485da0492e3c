/// The search index updated from the last build's (``SearchIndexState``) for the pages whose
/// searchable content changed (issue 19): only those pages are analysed; only the terms they had
/// or have get new postings; only the shards holding those terms or pages are made again, the
/// others keep their names (and their files, linked from the previous output). The result is byte
/// for byte the index a build from scratch makes, which the tests check edit by edit.
///
/// It applies when the pages are the same (same URLs in the same order), at most a few changed
/// (``maximumChanged(pages:)``), each with the number of sections it had, and the index is sharded:
/// then no page or section number moves. Anything else (a page added, a heading added, a small
/// index kept in one file) is made from every page, as the first build does.
struct SearchIndexUpdate {
  let builder: SearchIndexBuilder
  let cache: SearchAnalysisCache
  let previous: SearchIndexState

  /// Up to this many changed pages are updated; more are analysed from scratch (with the
  /// analysis cache, which is then the cheaper road).
  static func maximumChanged(pages: Int) -> Int { max(16, pages / 20) }

  func run(_ source: SearchIndexSource, previousHas: (String) -> Bool) -> SearchIndexBuilder.Output? {
    guard previous.settings == builder.settings, previous.pages.count == source.urls.count,
      !previous.postingStarts.isEmpty || previous.vocabulary.isEmpty
    else { return nil }
    // The changed pages: a page's key is its analysis key, or for a page without one (a
    // snippet's) its content's hash, as the last build computed it.
    var grouped: [Int: SearchIndexModel.Page] = [:]
    var changed: [Int] = []
    for (i, url) in source.urls.enumerated() {
      guard url == previous.pages[i].url else { return nil }
      let key: String
      if let known = cache.keys[url] {
        key = known
      } else {
        guard let page = page(i, source) else { return nil }
        grouped[i] = page
        key = SearchIndexModel.contentKey(page)
      }
      if key != previous.pages[i].key {
        changed.append(i)
        guard changed.count <= Self.maximumChanged(pages: source.urls.count) else { return nil }
      }
    }
    // Their sections (the same number as before) and the terms they had.
    var oldTerms: Set<String> = []
    for i in changed {
      if grouped[i] == nil { grouped[i] = page(i, source) }
      guard let page = grouped[i], page.sections.count == previous.pages[i].sectionCount,
        let terms = cache.previousTerms(key: previous.pages[i].key)
      else { return nil }
      oldTerms.formUnion(terms)
    }

    // Analysed (or taken from the analysis cache), as postings by term.
    var analyzer = SearchAnalyzer(builder: builder)
    var firstSection: [Int] = []
    var next = 0
    for page in previous.pages {
      firstSection.append(next)
      next += page.sectionCount
    }
    var state = previous
    var localIDs: [String: Int] = [:]
    var localNames: [String] = []
    var sectionsByID: [[SearchIndexModel.SectionPosting]] = []
    var pagesByID: [[SearchIndexModel.PagePosting]] = []
    for i in changed {
      var page = grouped[i]!
      let counted = cache.analysis(url: page.url, fields: 3 + 2 * page.sections.count) { analyzer.counted(page) }
      let fields = counted.map { text in
        SearchAnalyzer.Numbered(
          counts: text.terms.map { term, count in
            if let id = localIDs[term] { return (id, count) }
            localIDs[term] = localNames.count
            localNames.append(term)
            sectionsByID.append([])
            pagesByID.append([])
            return (localNames.count - 1, count)
          }, length: text.length)
      }
      SearchIndexModel.setLengths(of: &page, fields)
      SearchIndexModel.post(fields, page: i, firstSection: firstSection[i], sections: &sectionsByID, pages: &pagesByID)
      state.pages[i] = SearchIndexState.PageEntry(page, key: cache.keys[page.url] ?? SearchIndexModel.contentKey(page))
    }

    // The postings of every term the changed pages had or have.
    let changedSet = Set(changed)
    let dropped = changed.map { firstSection[$0]..<(firstSection[$0] + previous.pages[$0].sectionCount) }
    var updated: [String: (section: String, page: String)] = [:]
    var added: [String] = []  // terms the previous vocabulary lacks
    for term in oldTerms.union(localNames) {
      let old = Self.index(of: term, in: previous.vocabulary)
      if old == nil { added.append(term) }
      let id = localIDs[term]
      // The changed pages' postings are runs of the text (one per page), replaced in one pass.
      updated[term] = (
        Self.splice(old.map { previous.sectionTexts[$0] } ?? "", replacing: dropped, with: id.map { sectionsByID[$0] } ?? []),
        Self.splice(
          old.map { previous.pageTexts[$0] } ?? "", replacing: changed.map { $0..<($0 + 1) }, with: id.map { pagesByID[$0] } ?? [])
      )
    }
    added.sort { $0.utf16.lexicographicallyPrecedes($1.utf16) }

    // The new vocabulary: the old one without the terms left with no postings, with the new ones.
    var vocabulary: [String] = []
    var sectionTexts: [String] = []
    var pageTexts: [String] = []
    var oldIndex: [Int?] = []
    var touched: [Bool] = []
    var a = 0
    func append(_ term: String, old: Int?) {
      let texts = updated[term] ?? (previous.sectionTexts[old!], previous.pageTexts[old!])
      guard !texts.section.isEmpty || !texts.page.isEmpty else { return }
      vocabulary.append(term)
      sectionTexts.append(texts.section)
      pageTexts.append(texts.page)
      oldIndex.append(old)
      touched.append(
        updated[term].map { old == nil || $0.section != previous.sectionTexts[old!] || $0.page != previous.pageTexts[old!] } ?? false)
    }
    for (t, term) in previous.vocabulary.enumerated() {
      while a < added.count, added[a].utf16.lexicographicallyPrecedes(term.utf16) {
        append(added[a], old: nil)
        a += 1
      }
      append(term, old: t)
    }
    while a < added.count {
      append(added[a], old: nil)
      a += 1
    }
    state.vocabulary = vocabulary
    state.sectionTexts = sectionTexts
    state.pageTexts = pageTexts

    // Postings shards: one whose terms are exactly an old shard's, none of them changed, is that shard.
    state.postingStarts = SearchIndexModel.postingShardStarts(
      vocabulary: vocabulary, sizes: vocabulary.indices.map { sectionTexts[$0].utf8.count + pageTexts[$0].utf8.count },
      builder: builder)
    let oldShardAt = Dictionary(previous.postingStarts.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    var shards: [SearchIndexModel.Shard] = []
    for c in state.postingStarts.indices {
      let range = state.postingRange(c)
      if let first = oldIndex[range.lowerBound], let o = oldShardAt[first], previous.postingRange(o).count == range.count,
        range.allSatisfy({ !touched[$0] && oldIndex[$0] == first + ($0 - range.lowerBound) })
      {
        let entry = previous.postingShards[o]
        let body =
          previousHas(SearchIndexModel.shardPath(entry.name))
          ? nil : SearchIndexModel.postingShard(range, sectionTexts: sectionTexts, pageTexts: pageTexts)
        shards.append(.init(name: entry.name, body: body, size: entry.size))
      } else {
        let body = SearchIndexModel.postingShard(range, sectionTexts: sectionTexts, pageTexts: pageTexts)
        shards.append(.init(name: "p-" + FNV1a64.hex(body), body: body, size: body.utf8.count))
      }
    }
    state.postingShards = shards.map { .init(name: $0.name, size: $0.size) }

    // Display shards (their bounds depend on the URLs only, which did not change): made again
    // when they hold a changed page.
    let limit = builder.excerptLimit(sections: next)
    var displays: [SearchIndexModel.Shard] = []
    for c in previous.displayStarts.indices {
      let range = previous.displayRange(c)
      let entry = previous.displayShards[c]
      if !range.contains(where: changedSet.contains), previousHas(SearchIndexModel.shardPath(entry.name)) {
        displays.append(.init(name: entry.name, body: nil, size: entry.size))
        continue
      }
      let pages = SearchIndexModel.group(source.sections(range), builder: builder)
      guard pages.map(\.url) == Array(source.urls[range]) else { return nil }
      let body = SearchIndexModel.displayShard(pages[...], limit: limit, builder: builder)
      displays.append(.init(name: "d-" + FNV1a64.hex(body), body: body, size: body.utf8.count))
    }
    state.displayShards = displays.map { .init(name: $0.name, size: $0.size) }

    guard
      let files = SearchIndexModel.assemble(
        state, shards: shards + displays, synonymGroups: analyzer.synonymGroups, builder: builder)
    else { return nil }
    let all = shards + displays
    cache.noteUpdate(made: Set(all.filter { $0.body != nil }.map(\.name)).count, shards: Set(all.map(\.name)).count)
    cache.keepPrevious(keys: state.pages.indices.filter { !changedSet.contains($0) }.compactMap { cache.keys[state.pages[$0].url] })
    return SearchIndexBuilder.Output(files: files, state: state)
  }

  /// Page `i` of the index, as the index groups its sections (nil if it has none).
  private func page(_ i: Int, _ source: SearchIndexSource) -> SearchIndexModel.Page? {
    let pages = SearchIndexModel.group(source.sections(i..<(i + 1)), builder: builder)
    return pages.count == 1 && pages[0].url == source.urls[i] ? pages[0] : nil
  }

  /// The index of `term` in the sorted `vocabulary` (UTF-16 order), if it is there.
  static func index(of term: String, in vocabulary: [String]) -> Int? {
    var low = 0
    var high = vocabulary.count
    while low < high {
      let mid = (low + high) / 2
      if vocabulary[mid].utf16.lexicographicallyPrecedes(term.utf16) { low = mid + 1 } else { high = mid }
    }
    return low < vocabulary.count && vocabulary[low] == term ? low : nil
  }

  /// Reads the section posting at `position` (the section before it is `base`), as
  /// ``SearchIndexModel/sectionText(_:into:after:)`` wrote it.
  static func readSection(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int, _ base: Int) -> SearchIndexModel.SectionPosting? {
    guard let value = Varints.next(bytes, &position) else { return nil }
    var body = (value / 2) % 4
    if body == 3 { body += Varints.next(bytes, &position) ?? 0 }
    let heading = value % 2 == 1 ? (Varints.next(bytes, &position) ?? 0) + 1 : 0
    return .init(section: base + value / 8, heading: heading, body: body)
  }

  /// Reads the page posting at `position`, as ``SearchIndexModel/pageText(_:into:after:)`` wrote it.
  static func readPage(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int, _ base: Int) -> SearchIndexModel.PagePosting? {
    guard let value = Varints.next(bytes, &position) else { return nil }
    let title = value & 1 != 0 ? (Varints.next(bytes, &position) ?? 0) + 1 : 0
    let tags = value & 2 != 0 ? (Varints.next(bytes, &position) ?? 0) + 1 : 0
    let summary = value & 4 != 0 ? (Varints.next(bytes, &position) ?? 0) + 1 : 0
    return .init(page: base + value / 8, title: title, tags: tags, summary: summary)
  }

  /// A term's section postings text with the postings of the sections in `ranges` (sorted,
  /// disjoint) replaced by `postings` (sorted, inside those ranges), in one pass: a posting kept
  /// is copied byte for byte unless the one before it changed (then its distance is encoded again).
  static func splice(_ text: String, replacing ranges: [Range<Int>], with postings: [SearchIndexModel.SectionPosting]) -> String {
    splice(text, ranges, postings, number: \.section, read: readSection) { postings, out, after in
      SearchIndexModel.sectionText(postings, into: &out, after: after)
    }
  }

  /// A term's page postings text with the postings of the pages in `ranges` replaced (as above).
  static func splice(_ text: String, replacing ranges: [Range<Int>], with postings: [SearchIndexModel.PagePosting]) -> String {
    splice(text, ranges, postings, number: \.page, read: readPage) { postings, out, after in
      SearchIndexModel.pageText(postings, into: &out, after: after)
    }
  }

  /// Every posting of a text (`read`: ``readSection(_:_:_:)`` or ``readPage(_:_:_:)``).
  static func postings<Posting>(
    _ text: String, number: (Posting) -> Int, read: (UnsafeBufferPointer<UInt8>, inout Int, Int) -> Posting?
  ) -> [Posting] {
    var text = text
    return text.withUTF8 { bytes in
      var out: [Posting] = []
      var position = 0
      while let posting = read(bytes, &position, out.last.map(number) ?? 0) { out.append(posting) }
      return out
    }
  }

  /// The splice of either kind of postings: `read` decodes the posting at a position given the
  /// number of the one before, `write` encodes postings after a given number.
  private static func splice<Posting>(
    _ text: String, _ ranges: [Range<Int>], _ postings: [Posting], number: (Posting) -> Int,
    read: (UnsafeBufferPointer<UInt8>, inout Int, Int) -> Posting?, write: ([Posting], inout Varints, Int) -> Void
  ) -> String {
    var text = text
    return text.withUTF8 { bytes in
      var out = Varints(capacity: bytes.count + 8 * postings.count + 8)
      var position = 0
      var previous = 0  // the number of the last posting read
      var written = 0  // the number of the last posting written
      var kept = 0  // bytes from here to the posting being read are kept as they are (copied in one go)
      var range = 0
      var next = 0
      func keep(upTo end: Int) {
        if end > kept { out.append(raw: bytes[kept..<end]) }
        kept = end
      }
      func flush(below limit: Int) {
        let start = next
        while next < postings.count, number(postings[next]) < limit { next += 1 }
        guard next > start else { return }
        write(Array(postings[start..<next]), &out, written)
        written = number(postings[next - 1])
      }
      // Past the last range, with the new postings written and the distance of the next posting
      // still right, the rest of the text is kept whole.
      while range < ranges.count || next < postings.count || previous != written {
        let start = position
        guard let posting = read(bytes, &position, previous) else { break }
        let n = number(posting)
        defer { previous = n }
        while range < ranges.count, ranges[range].upperBound <= n {
          keep(upTo: start)
          flush(below: ranges[range].upperBound)
          range += 1
        }
        if range < ranges.count, ranges[range].contains(n) {
          keep(upTo: start)
          kept = position  // dropped
          continue
        }
        if previous != written {
          keep(upTo: start)
          write([posting], &out, written)
          kept = position
        }
        written = n
      }
      keep(upTo: bytes.count)
      flush(below: Int.max)
      return out.text
    }
  }
}
