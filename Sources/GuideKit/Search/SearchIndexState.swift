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

  static let magic: [UInt8] = Array("guide-search-index 1\n".utf8)

  func encoded() -> [UInt8] {
    var out = Self.magic
    func put(_ value: Int) { SearchAnalysisCache.put(value, into: &out) }
    func put(_ text: String) { SearchAnalysisCache.put(string: text, into: &out) }
    func put(_ shards: [ShardEntry]) {
      put(shards.count)
      for shard in shards {
        put(shard.name)
        put(shard.size)
      }
    }
    put(settings)
    put(pages.count)
    for page in pages {
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
    put(vocabulary.count)
    for t in vocabulary.indices {
      put(vocabulary[t])
      put(sectionTexts[t])
      put(pageTexts[t])
    }
    put(postingStarts.count)
    for start in postingStarts { put(start) }
    put(postingShards)
    put(displayStarts.count)
    for start in displayStarts { put(start) }
    put(displayShards)
    return out
  }

  /// The state in `bytes`, or nil when they are not a whole, consistent state file.
  init?(decoding bytes: [UInt8]) { self.init(decoding: FileBytes(bytes)) }

  /// The state in a file's bytes (mapped), or nil when they are not a whole, consistent state file.
  init?(decoding file: FileBytes) {
    let bytes = file.buffer
    guard bytes.starts(with: Self.magic) else { return nil }
    var reader = FileBytes.Reader(file, position: Self.magic.count)
    func numbers() -> [Int]? {
      guard let count = reader.number(), count <= bytes.count else { return nil }
      var out: [Int] = []
      out.reserveCapacity(count)
      for _ in 0..<count {
        guard let n = reader.number() else { return nil }
        out.append(n)
      }
      return out
    }
    func shards() -> [ShardEntry]? {
      guard let count = reader.number(), count <= bytes.count else { return nil }
      var out: [ShardEntry] = []
      for _ in 0..<count {
        guard let name = reader.string(), let size = reader.number() else { return nil }
        out.append(ShardEntry(name: name, size: size))
      }
      return out
    }
    guard let settings = reader.string(), let pageCount = reader.number(), pageCount <= bytes.count else { return nil }
    var pages: [PageEntry] = []
    pages.reserveCapacity(pageCount)
    for _ in 0..<pageCount {
      guard let url = reader.string(), let key = reader.string(), let kind = reader.string(), let authors = reader.number(),
        let level = reader.number(), let tags = numbers(), let lengths = numbers(), lengths.count >= 3, lengths.count % 2 == 1
      else { return nil }
      pages.append(PageEntry(url: url, key: key, kind: kind, forAuthors: authors == 1, level: level - 1, tags: tags, lengths: lengths))
    }
    guard let termCount = reader.number(), termCount <= bytes.count else { return nil }
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
    guard let postingStarts = numbers(), let postingShards = shards(), let displayStarts = numbers(),
      let displayShards = shards(), reader.position == bytes.count,
      postingStarts.count == postingShards.count, displayStarts.count == displayShards.count,
      postingStarts.allSatisfy({ $0 < termCount }), displayStarts.allSatisfy({ $0 < pageCount })
    else { return nil }
    self.settings = settings
    self.pages = pages
    self.vocabulary = vocabulary
    self.sectionTexts = sectionTexts
    self.pageTexts = pageTexts
    self.postingStarts = postingStarts
    self.postingShards = postingShards
    self.displayStarts = displayStarts
    self.displayShards = displayShards
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
