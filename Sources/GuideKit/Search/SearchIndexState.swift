import Foundation

/// What the last build's search index was made of, kept in the cache (`search-index.bin`) so that
/// the next build can update it for the pages that changed (``SearchIndexUpdate``) instead of
/// making it again from every page: the pages with the key of their searchable content and their
/// lengths, the sorted vocabulary with each term's postings as written, and the shards' bounds,
/// names and sizes. Everything in the manifest (`assets/search-index.js`) comes from here.
struct SearchIndexState: Sendable, Equatable {
  /// One page of the index.
  struct PageEntry: Sendable, Equatable {
    var url: String
    /// The key of its searchable content (``SearchAnalysisCache`` key, or its content's hash).
    var key: String
    var kind: String
    var forAuthors: Bool
    /// Index in the levels (-1: none) and in the tags.
    var level: Int
    var tags: [Int]
    /// Title, tag names and summary lengths in terms, then per section 2 × heading length (+ 1 for
    /// a link-list section) and body length: as the manifest writes them.
    var lengths: [Int]

    var sectionCount: Int { (lengths.count - 3) / 2 }

    init(url: String, key: String, kind: String, forAuthors: Bool, level: Int, tags: [Int], lengths: [Int]) {
      self.url = url
      self.key = key
      self.kind = kind
      self.forAuthors = forAuthors
      self.level = level
      self.tags = tags
      self.lengths = lengths
    }

    init(_ page: SearchIndexModel.Page, key: String) {
      var lengths = [page.titleLength, page.tagLength, page.summaryLength]
      for s in page.sections {
        lengths.append(s.headingLength * 2 + (SearchRanking.sectionWeight(heading: s.heading) < 1 ? 1 : 0))
        lengths.append(s.bodyLength)
      }
      self.init(
        url: page.url, key: key, kind: page.kind, forAuthors: page.forAuthors, level: page.level, tags: page.tags, lengths: lengths)
    }
  }

  /// A shard's content name and its body's size in bytes.
  struct ShardEntry: Sendable, Equatable {
    var name: String
    var size: Int
  }

  /// ``SearchIndexBuilder/settings`` of the builder that made it: another one starts afresh.
  var settings: String
  var pages: [PageEntry]
  /// Sorted as in the manifest; per term its section and page postings as written.
  var vocabulary: [String]
  var sectionTexts: [String]
  var pageTexts: [String]
  var postingStarts: [Int] = []
  var postingShards: [ShardEntry] = []
  var displayStarts: [Int] = []
  var displayShards: [ShardEntry] = []

  /// The terms of postings shard `c`.
  func postingRange(_ c: Int) -> Range<Int> {
    postingStarts[c]..<(c + 1 < postingStarts.count ? postingStarts[c + 1] : vocabulary.count)
  }

  /// The pages of display shard `c`.
  func displayRange(_ c: Int) -> Range<Int> {
    displayStarts[c]..<(c + 1 < displayStarts.count ? displayStarts[c + 1] : pages.count)
  }

  // MARK: - The file

  /// The file is a whole state, then the changes later builds made to it, each a record (its kind,
  /// its length, its fields; numbers LEB128, strings length-prefixed). An edit of one page
  /// changes a few pages' entries, the postings of a few hundred terms and the shards' names, so
  /// it appends those (kilobytes) instead of writing the whole state again (8.5 MB at 10,000
  /// pages); the file is written whole again after ``maximumChanges`` changes, or when they
  /// outweigh half the whole state (``appendix(after:)``). A read applies all the changes in one
  /// pass over the vocabulary.
  static let magic: [UInt8] = Array("guide-search-index 2\n".utf8)
  private static let wholeRecord = 1
  private static let changeRecord = 2

  /// The file with this state alone.
  func encoded() -> [UInt8] {
    var out = Self.magic
    Self.putRecord(Self.wholeRecord, wholeFields(), into: &out)
    return out
  }

  private static func putRecord(_ kind: Int, _ fields: [UInt8], into out: inout [UInt8]) {
    SearchAnalysisCache.put(kind, into: &out)
    SearchAnalysisCache.put(fields.count, into: &out)
    out += fields
  }

  private static func put(_ page: PageEntry, into out: inout [UInt8]) {
    func put(_ value: Int) { SearchAnalysisCache.put(value, into: &out) }
    func put(_ text: String) { SearchAnalysisCache.put(string: text, into: &out) }
    put(page.url)
    put(page.key)
    put(page.kind)
    put(page.forAuthors ? 1 : 0)
    put(page.level + 1)
    put(page.tags.count)
    for tag in page.tags { put(tag) }
    put(page.lengths.count)
    for length in page.lengths { put(length) }
  }

  /// The shards' bounds and names, which both kinds of record end with.
  private func putShards(into out: inout [UInt8]) {
    func put(_ value: Int) { SearchAnalysisCache.put(value, into: &out) }
    func put(_ shards: [ShardEntry]) {
      put(shards.count)
      for shard in shards {
        SearchAnalysisCache.put(string: shard.name, into: &out)
        put(shard.size)
      }
    }
    put(postingStarts.count)
    for start in postingStarts { put(start) }
    put(postingShards)
    put(displayStarts.count)
    for start in displayStarts { put(start) }
    put(displayShards)
  }

  private func wholeFields() -> [UInt8] {
    var out: [UInt8] = []
    SearchAnalysisCache.put(string: settings, into: &out)
    SearchAnalysisCache.put(pages.count, into: &out)
    for page in pages { Self.put(page, into: &out) }
    SearchAnalysisCache.put(vocabulary.count, into: &out)
    for t in vocabulary.indices {
      SearchAnalysisCache.put(string: vocabulary[t], into: &out)
      SearchAnalysisCache.put(string: sectionTexts[t], into: &out)
      SearchAnalysisCache.put(string: pageTexts[t], into: &out)
    }
    putShards(into: &out)
    return out
  }

  /// The state file as read: the state its records make, its length, and the length of its
  /// whole state's record (the rest are changes).
  struct File: Sendable {
    var state: SearchIndexState
    var length: Int
    var wholeLength: Int
    /// How many change records follow the whole state.
    var changes = 0
  }

  /// At most this many changes are appended; the next build writes the state whole (every
  /// read decodes every change: a few kilobytes each).
  static let maximumChanges = 32

  /// The state in `bytes`, or nil when they are not a whole, consistent state file.
  init?(decoding bytes: [UInt8]) { self.init(decoding: FileBytes(bytes)) }

  /// The state in a file's bytes (mapped), or nil when they are not a whole, consistent state file.
  init?(decoding file: FileBytes) {
    guard let read = Self.read(file) else { return nil }
    self = read.state
  }

  /// The file's whole state with its changes applied, in order; nil when any record is damaged.
  static func read(_ file: FileBytes) -> File? {
    let bytes = file.buffer
    guard bytes.starts(with: magic) else { return nil }
    var reader = FileBytes.Reader(file, position: magic.count)
    guard reader.number() == wholeRecord, let length = reader.number(), length <= bytes.count - reader.position,
      var state = SearchIndexState(&reader, end: reader.position + length)
    else { return nil }
    let wholeLength = reader.position
    // Every change read first, then applied in one pass over the vocabulary: a file holding many
    // changes costs one merge, not one per change.
    var changes: [Change] = []
    while reader.position < bytes.count {
      guard reader.number() == changeRecord, let length = reader.number(), length <= bytes.count - reader.position,
        let change = Change(&reader, end: reader.position + length, pageCount: state.pages.count)
      else { return nil }
      changes.append(change)
    }
    if !changes.isEmpty {
      guard let changed = state.applying(changes) else { return nil }
      state = changed
    }
    return File(state: state, length: bytes.count, wholeLength: wholeLength, changes: changes.count)
  }

  /// Reads the shards' bounds and names into `self`, checked against the vocabulary and pages
  /// (unless `checkingBounds` is false: a change's, checked once applied).
  private mutating func readShards(_ reader: inout FileBytes.Reader, end: Int, checkingBounds: Bool = true) -> Bool {
    func numbers() -> [Int]? { reader.numbers(atMost: end) }
    func shards() -> [ShardEntry]? {
      guard let count = reader.number(), count <= end else { return nil }
      var out: [ShardEntry] = []
      for _ in 0..<count {
        guard let name = reader.string(), let size = reader.number() else { return nil }
        out.append(ShardEntry(name: name, size: size))
      }
      return out
    }
    guard let postingStarts = numbers(), let postingShards = shards(), let displayStarts = numbers(),
      let displayShards = shards(), reader.position == end,
      postingStarts.count == postingShards.count, displayStarts.count == displayShards.count,
      !checkingBounds
        || (postingStarts.allSatisfy({ $0 < vocabulary.count }) && displayStarts.allSatisfy({ $0 < pages.count }))
    else { return false }
    self.postingStarts = postingStarts
    self.postingShards = postingShards
    self.displayStarts = displayStarts
    self.displayShards = displayShards
    return true
  }

  private static func readPage(_ reader: inout FileBytes.Reader, end: Int) -> PageEntry? {
    func numbers() -> [Int]? { reader.numbers(atMost: end) }
    guard let url = reader.string(), let key = reader.string(), let kind = reader.string(), let authors = reader.number(),
      let level = reader.number(), let tags = numbers(), let lengths = numbers(), lengths.count >= 3, lengths.count % 2 == 1
    else { return nil }
    return PageEntry(url: url, key: key, kind: kind, forAuthors: authors == 1, level: level - 1, tags: tags, lengths: lengths)
  }

  /// A whole state's record, from the reader's position to `end`.
  private init?(_ reader: inout FileBytes.Reader, end: Int) {
    guard let settings = reader.string(), let pageCount = reader.number(), pageCount <= end else { return nil }
    var pages: [PageEntry] = []
    pages.reserveCapacity(pageCount)
    for _ in 0..<pageCount {
      guard let page = Self.readPage(&reader, end: end) else { return nil }
      pages.append(page)
    }
    guard let termCount = reader.number(), termCount <= end else { return nil }
    var vocabulary: [String] = []
    var sectionTexts: [String] = []
    var pageTexts: [String] = []
    vocabulary.reserveCapacity(termCount)
    sectionTexts.reserveCapacity(termCount)
    pageTexts.reserveCapacity(termCount)
    for _ in 0..<termCount {
      guard let term = reader.string(), let section = reader.string(), let page = reader.string() else { return nil }
      vocabulary.append(term)
      sectionTexts.append(section)
      pageTexts.append(page)
    }
    self.init(settings: settings, pages: pages, vocabulary: vocabulary, sectionTexts: sectionTexts, pageTexts: pageTexts)
    guard readShards(&reader, end: end) else { return nil }
  }

  // MARK: - Changes

  /// The record that turns `self` into `next`, to append to the file holding `self`: the pages
  /// whose entry changed, the terms added, changed or gone (a term gone has empty texts), and
  /// the shards' bounds and names. Nil when the two do not share their settings and pages' count
  /// (the file is then written whole).
  func change(to next: SearchIndexState) -> [UInt8]? {
    guard settings == next.settings, pages.count == next.pages.count else { return nil }
    var out: [UInt8] = []
    let changedPages = pages.indices.filter { pages[$0] != next.pages[$0] }
    SearchAnalysisCache.put(changedPages.count, into: &out)
    for i in changedPages {
      SearchAnalysisCache.put(i, into: &out)
      Self.put(next.pages[i], into: &out)
    }
    // Both vocabularies are sorted (UTF-16 order): one pass over the two.
    var terms: [(String, String, String)] = []
    var a = 0
    var b = 0
    while a < vocabulary.count || b < next.vocabulary.count {
      if a < vocabulary.count, b < next.vocabulary.count, vocabulary[a] == next.vocabulary[b] {
        if sectionTexts[a] != next.sectionTexts[b] || pageTexts[a] != next.pageTexts[b] {
          terms.append((next.vocabulary[b], next.sectionTexts[b], next.pageTexts[b]))
        }
        a += 1
        b += 1
      } else if b == next.vocabulary.count
        || (a < vocabulary.count && vocabulary[a].utf16.lexicographicallyPrecedes(next.vocabulary[b].utf16))
      {
        terms.append((vocabulary[a], "", ""))
        a += 1
      } else {
        terms.append((next.vocabulary[b], next.sectionTexts[b], next.pageTexts[b]))
        b += 1
      }
    }
    SearchAnalysisCache.put(terms.count, into: &out)
    for (term, section, page) in terms {
      SearchAnalysisCache.put(string: term, into: &out)
      SearchAnalysisCache.put(string: section, into: &out)
      SearchAnalysisCache.put(string: page, into: &out)
    }
    next.putShards(into: &out)
    return out
  }

  /// A change record as read: the pages' new entries, the terms added, changed or gone (empty
  /// texts), in order, and the shards' bounds and names, as ``change(to:)`` writes them.
  private struct Change {
    var pages: [(index: Int, entry: PageEntry)] = []
    var terms: [(term: String, section: String, page: String)] = []
    var shards = SearchIndexState(settings: "", pages: [], vocabulary: [], sectionTexts: [], pageTexts: [])

    init?(_ reader: inout FileBytes.Reader, end: Int, pageCount: Int) {
      guard let changedPages = reader.number(), changedPages <= pageCount else { return nil }
      for _ in 0..<changedPages {
        guard let i = reader.number(), i < pageCount, let page = SearchIndexState.readPage(&reader, end: end) else { return nil }
        pages.append((i, page))
      }
      guard let termCount = reader.number(), termCount <= end else { return nil }
      var last: String?
      for _ in 0..<termCount {
        guard let term = reader.string(), let section = reader.string(), let page = reader.string(),
          last.map({ $0.utf16.lexicographicallyPrecedes(term.utf16) }) ?? true
        else { return nil }
        last = term
        terms.append((term, section, page))
      }
      // The bounds are checked once the vocabulary they index is known (``applying(_:)``).
      guard shards.readShards(&reader, end: end, checkingBounds: false) else { return nil }
    }
  }

  /// `self` with `changes` applied in order: each page's and term's last change wins, the last
  /// change's shards hold; one pass over the vocabulary. A term gone that no state had, or bounds
  /// outside the result, make the changes unreadable (nil).
  private func applying(_ changes: [Change]) -> SearchIndexState? {
    var next = SearchIndexState(settings: settings, pages: pages, vocabulary: [], sectionTexts: [], pageTexts: [])
    var latest: [String: (section: String, page: String)] = [:]
    for change in changes {
      for (i, entry) in change.pages { next.pages[i] = entry }
      for (term, section, page) in change.terms { latest[term] = (section, page) }
    }
    let terms = latest.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
    next.vocabulary.reserveCapacity(vocabulary.count + terms.count)
    next.sectionTexts.reserveCapacity(vocabulary.count + terms.count)
    next.pageTexts.reserveCapacity(vocabulary.count + terms.count)
    var a = 0
    func keep(upTo term: String?) {
      while a < vocabulary.count, term.map({ vocabulary[a].utf16.lexicographicallyPrecedes($0.utf16) }) ?? true {
        next.vocabulary.append(vocabulary[a])
        next.sectionTexts.append(sectionTexts[a])
        next.pageTexts.append(pageTexts[a])
        a += 1
      }
    }
    for term in terms {
      keep(upTo: term)
      let present = a < vocabulary.count && vocabulary[a] == term
      if present { a += 1 }
      let texts = latest[term]!
      if texts.section.isEmpty, texts.page.isEmpty {
        // Gone: it was here, or an earlier change of these added it.
        guard present || changes.contains(where: { $0.terms.contains { $0.term == term && !($0.section.isEmpty && $0.page.isEmpty) } })
        else { return nil }
        continue
      }
      next.vocabulary.append(term)
      next.sectionTexts.append(texts.section)
      next.pageTexts.append(texts.page)
    }
    keep(upTo: nil)
    guard let layout = changes.last?.shards, layout.postingStarts.count == layout.postingShards.count,
      layout.displayStarts.count == layout.displayShards.count,
      layout.postingStarts.allSatisfy({ $0 < next.vocabulary.count }), layout.displayStarts.allSatisfy({ $0 < next.pages.count })
    else { return nil }
    next.postingStarts = layout.postingStarts
    next.postingShards = layout.postingShards
    next.displayStarts = layout.displayStarts
    next.displayShards = layout.displayShards
    return next
  }

  /// What to append to the file `previous` (this state's predecessor, as read) to make it hold
  /// this state: a change record, checked by applying it; nil when the file should be written
  /// whole instead (no change record, or the changes would outweigh half the whole state).
  func appendix(after previous: File) -> [UInt8]? {
    guard previous.changes < Self.maximumChanges, let fields = previous.state.change(to: self),
      previous.length - previous.wholeLength + fields.count <= (previous.wholeLength - Self.magic.count) / 2
    else { return nil }
    var out: [UInt8] = []
    Self.putRecord(Self.changeRecord, fields, into: &out)
    var reader = FileBytes.Reader(FileBytes(fields), position: 0)
    guard let change = Change(&reader, end: fields.count, pageCount: previous.state.pages.count), reader.position == fields.count,
      previous.state.applying([change]) == self
    else { return nil }
    return out
  }

  init(settings: String, pages: [PageEntry], vocabulary: [String], sectionTexts: [String], pageTexts: [String]) {
    self.settings = settings
    self.pages = pages
    self.vocabulary = vocabulary
    self.sectionTexts = sectionTexts
    self.pageTexts = pageTexts
  }

  static func file(cache: URL, output: URL) -> URL {
    BuildManifest.folder(cache: cache, output: output).appendingPathComponent("search-index.bin")
  }
}
