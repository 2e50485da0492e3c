import Foundation
import Synchronization

/// The search analysis of every page (its terms and their counts in its title, tag names, summary
/// and each section's heading and body) kept from the previous build, so that the search index
/// analyses only the pages that changed (issue 19). An entry is found by the page's key
/// (``RenderKeys/searchAnalysis(_:)``: the generator, every input that is not a page — guide.yml's
/// tags and synonyms among them —, the page's path and its source file's hash), so a page whose
/// key is unchanged analyses exactly as before.
///
/// The file (`search-analysis.bin` in the build's cache folder) is a vocabulary, then one entry per
/// page of the last build: its key and its texts' lengths and (term number, count) pairs, all as
/// LEB128 numbers. A build appends the terms it met first to the vocabulary and copies the
/// entries it reused byte for byte, so an edit writes the file without encoding it again.
final class SearchAnalysisCache: Sendable {
  /// One analysed text: its terms with their counts and its length in terms.
  struct Counted: Sendable {
    var terms: [(term: String, count: Int)]
    var length: Int
  }

  /// Page URL (as in the search index) → its key.
  let keys: [String: String]
  /// The previous build's vocabulary, and its entries' bytes by key.
  private let vocabulary: [String]
  private let bytes: [UInt8]
  private let entries: [String: Range<Int>]
  /// This build's entries: reused ones as the previous bytes, new ones analysed.
  private let made = Mutex<[String: Made]>([:])
  private let counts = Mutex<(reused: Int, analysed: Int)>((0, 0))

  enum Made {
    case previous(Range<Int>)
    /// Analysed by this build, kept compact until the file is written (a large guide's first
    /// build analyses every page): the page's distinct terms, and its texts as LEB128 numbers
    /// (the count of texts, then per text its length, its pair count and (index in `terms`,
    /// count) pairs).
    case analysed(terms: [String], encoded: [UInt8])
  }

  static func compact(_ fields: [Counted]) -> Made {
    var index: [String: Int] = [:]
    var terms: [String] = []
    var out: [UInt8] = []
    put(fields.count, into: &out)
    for field in fields {
      put(field.length, into: &out)
      put(field.terms.count, into: &out)
      for (term, count) in field.terms {
        let number: Int
        if let known = index[term] {
          number = known
        } else {
          number = terms.count
          index[term] = number
          terms.append(term)
        }
        put(number, into: &out)
        put(count, into: &out)
      }
    }
    return .analysed(terms: terms, encoded: out)
  }

  static let magic: [UInt8] = Array("guide-search-analysis 1\n".utf8)

  init(keys: [String: String], previous: [UInt8], previousIndex: SearchIndexState? = nil) {
    self.keys = keys
    self.previousIndex = previousIndex
    var reader = Reader(bytes: previous)
    var vocabulary: [String] = []
    var entries: [String: Range<Int>] = [:]
    if previous.starts(with: Self.magic) {
      reader.position = Self.magic.count
      if let terms = reader.number() {
        for _ in 0..<terms {
          guard let term = reader.string() else { break }
          vocabulary.append(term)
        }
      }
      while reader.position < previous.count, let key = reader.string(), let length = reader.number(),
        reader.position + length <= previous.count
      {
        entries[key] = reader.position..<(reader.position + length)
        reader.position += length
      }
    }
    self.vocabulary = vocabulary
    self.bytes = previous
    self.entries = entries
  }

  /// The last build's search index (``SearchIndexState``), to update rather than make again.
  let previousIndex: SearchIndexState?
  /// This build's index, kept for the next build.
  private let madeIndex = Mutex<SearchIndexState?>(nil)

  /// Keeps this build's index for the next one (written by ``save(cache:output:)``).
  func keepIndex(_ state: SearchIndexState) { madeIndex.withLock { $0 = state } }

  /// When this build updated the last build's index (``SearchIndexUpdate``): the shards it made
  /// again, and all the shards.
  private let update = Mutex<(made: Int, shards: Int)?>(nil)
  var updatedShards: (made: Int, shards: Int)? { update.withLock { $0 } }
  func noteUpdate(made: Int, shards: Int) { update.withLock { $0 = (made, shards) } }

  /// The distinct terms of the previous build's entry `key` (nil: no such entry).
  func previousTerms(key: String) -> Set<String>? {
    guard let range = entries[key], let texts = decode(range) else { return nil }
    return Set(texts.flatMap { $0.terms.map { vocabulary[$0.term] } })
  }

  /// Keeps the previous build's entries of `keys` for the next build, as reused (the search
  /// index was updated around them without reading them).
  func keepPrevious(keys: [String]) {
    var kept = 0
    made.withLock { made in
      for key in keys {
        guard let range = entries[key], made[key] == nil else { continue }
        made[key] = .previous(range)
        kept += 1
      }
    }
    counts.withLock { $0.reused += kept }
  }

  /// Pages whose analysis was taken from the previous build, and pages analysed (guide pages
  /// only; the snippets' entries are always analysed).
  var reused: Int { counts.withLock { $0.reused } }
  var analysed: Int { counts.withLock { $0.analysed } }

  /// The analysis of the page at `url` with `fields` texts (title, tags, summary, then heading
  /// and body of each section): from the previous build when its key is known, else `analyse()`,
  /// kept for the next build.
  func analysis(url: String, fields: Int, _ analyse: () -> [Counted]) -> [Counted] {
    switch lookup(url: url, fields: fields, analyse) {
    case .analysed(let counted): return counted
    case .cached(let texts):
      return texts.map { Counted(terms: $0.terms.map { (vocabulary[$0.term], $0.count) }, length: $0.length) }
    }
  }

  /// One text of a page as the file holds it: its length, and (term number, count) pairs whose
  /// numbers index the previous build's vocabulary (``term(_:)``).
  struct NumberedText: Sendable {
    var length: Int
    var terms: [(term: Int, count: Int)]
  }

  /// A page's analysis: its texts from the file (terms as numbers, no strings made), or analysed.
  enum Found {
    case cached([NumberedText])
    case analysed([Counted])
  }

  /// Like ``analysis(url:fields:_:)``, with the reused texts' terms as numbers: the search index
  /// maps each number to its own term id once, not each occurrence by its string.
  func lookup(url: String, fields: Int, _ analyse: () -> [Counted]) -> Found {
    guard let key = keys[url] else { return .analysed(analyse()) }  // a snippet's page: a few words
    if let range = entries[key], let decoded = decode(range), decoded.count == fields {
      counts.withLock { $0.reused += 1 }
      made.withLock { $0[key] = .previous(range) }
      return .cached(decoded)
    }
    let result = analyse()
    counts.withLock { $0.analysed += 1 }
    let compact = Self.compact(result)
    made.withLock { $0[key] = compact }
    return .analysed(result)
  }

  /// The term a number of ``NumberedText`` stands for.
  func term(_ number: Int) -> String { vocabulary[number] }

  /// How many terms the previous build's vocabulary has (the numbers of ``NumberedText`` are below).
  var vocabularyCount: Int { vocabulary.count }

  private func decode(_ range: Range<Int>) -> [NumberedText]? {
    var reader = Reader(bytes: bytes, position: range.lowerBound)
    guard let fields = reader.number() else { return nil }
    var out: [NumberedText] = []
    out.reserveCapacity(fields)
    for _ in 0..<fields {
      guard let length = reader.number(), let pairs = reader.number() else { return nil }
      var terms: [(term: Int, count: Int)] = []
      terms.reserveCapacity(pairs)
      for _ in 0..<pairs {
        guard let term = reader.number(), term < vocabulary.count, let count = reader.number() else { return nil }
        terms.append((term, count))
      }
      out.append(NumberedText(length: length, terms: terms))
    }
    return reader.position == range.upperBound ? out : nil
  }

  /// The file for the next build: the previous vocabulary with this build's new terms appended,
  /// then this build's entries (sorted by key).
  func data() -> [UInt8] {
    let made = self.made.withLock { $0 }
    var vocabulary = self.vocabulary
    var numbers: [String: Int] = [:]
    var encoded: [String: [UInt8]] = [:]
    for (key, entry) in made {
      guard case .analysed(let terms, let local) = entry else { continue }
      if numbers.isEmpty { numbers = Dictionary(vocabulary.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a }) }
      let global = terms.map { term in
        if let known = numbers[term] { return known }
        numbers[term] = vocabulary.count
        vocabulary.append(term)
        return vocabulary.count - 1
      }
      // The page's own numbers become the vocabulary's.
      var reader = Reader(bytes: local)
      var out: [UInt8] = []
      let fields = reader.number() ?? 0
      Self.put(fields, into: &out)
      for _ in 0..<fields {
        let length = reader.number() ?? 0
        let pairs = reader.number() ?? 0
        Self.put(length, into: &out)
        Self.put(pairs, into: &out)
        for _ in 0..<pairs {
          Self.put(global[reader.number() ?? 0], into: &out)
          Self.put(reader.number() ?? 0, into: &out)
        }
      }
      encoded[key] = out
    }
    var out = Self.magic
    Self.put(vocabulary.count, into: &out)
    for term in vocabulary { Self.put(string: term, into: &out) }
    for key in made.keys.sorted() {
      Self.put(string: key, into: &out)
      switch made[key] {
      case .previous(let range)?:
        Self.put(range.count, into: &out)
        out += bytes[range]
      case .analysed?:
        let entry = encoded[key] ?? []
        Self.put(entry.count, into: &out)
        out += entry
      case nil: break
      }
    }
    return out
  }

  static func put(_ value: Int, into out: inout [UInt8]) {
    var v = UInt(max(0, value))
    while v >= 0x80 {
      out.append(UInt8(v & 0x7F) | 0x80)
      v >>= 7
    }
    out.append(UInt8(v))
  }

  static func put(string: String, into out: inout [UInt8]) {
    put(string.utf8.count, into: &out)
    out += string.utf8
  }

  struct Reader {
    let bytes: [UInt8]
    var position = 0

    mutating func number() -> Int? {
      var value = 0
      var shift = 0
      while position < bytes.count, shift < 63 {
        let byte = bytes[position]
        position += 1
        value |= Int(byte & 0x7F) << shift
        if byte < 0x80 { return value }
        shift += 7
      }
      return nil
    }

    mutating func string() -> String? {
      guard let length = number(), position + length <= bytes.count else { return nil }
      defer { position += length }
      return String(decoding: bytes[position..<(position + length)], as: UTF8.self)
    }
  }

  // MARK: - Where it is kept

  static func file(cache: URL, output: URL) -> URL {
    BuildManifest.folder(cache: cache, output: output).appendingPathComponent("search-analysis.bin")
  }

  /// The cache for a build whose page keys are `keys` (by URL), with the previous build's entries.
  static func load(cache: URL, output: URL, keys: [String: String]) -> SearchAnalysisCache {
    let data = (try? Data(contentsOf: file(cache: cache, output: output))) ?? Data()
    let index = (try? Data(contentsOf: SearchIndexState.file(cache: cache, output: output))).flatMap {
      SearchIndexState(decoding: [UInt8]($0))
    }
    return SearchAnalysisCache(keys: keys, previous: [UInt8](data), previousIndex: index)
  }

  /// Writes the analyses and the index this build made (the index's state is removed when this
  /// build made none: a state must describe the last build's index).
  func save(cache: URL, output: URL) {
    let url = Self.file(cache: cache, output: output)
    try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try? Data(data()).write(to: url, options: .atomic)
    let indexFile = SearchIndexState.file(cache: cache, output: output)
    if let state = madeIndex.withLock({ $0 }) {
      try? Data(state.encoded()).write(to: indexFile, options: .atomic)
    } else {
      try? FileManager.default.removeItem(at: indexFile)
    }
  }
}
