import Foundation
import Synchronization

/// The search analysis of every page (its terms and their counts in its title, tag names, summary
/// and each section's heading and body) kept from the previous build, so that the search index
/// analyses only the pages that changed (issue 19). An entry is found by the page's key
/// (``RenderKeys/searchAnalysis(_:)``: the generator, every input that is not a page — guide.yml's
/// tags and synonyms among them —, the page's path and its source file's hash), so a page whose
/// key is unchanged analyses exactly as before.
///
/// The file (`search-analysis.bin` in the build's cache folder) is a run of records, all numbers
/// LEB128: terms added to the vocabulary, and entries (a page's key, its texts' lengths and (term
/// number, count) pairs), a later entry for a key replacing an earlier one. A build that analysed
/// a few pages appends their new terms and entries (one `write`); the file is written afresh,
/// with only the last build's entries, when the replaced ones outweigh the rest.
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
  private let file: FileBytes
  private let entries: [String: Range<Int>]
  /// Entries in the file, replaced ones included; and whether every byte of it was read as a
  /// record (only then may records be appended).
  private let entriesInFile: Int
  private let wellFormed: Bool
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
    // The table is local; `terms` and `out` are kept until the cache is written, so they grow
    // only as far as they need (reserving them for every pair raised the peak by 40 MB).
    var index: [String: Int] = [:]
    index.reserveCapacity(fields.reduce(0) { $0 + $1.terms.count })
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

  static let magic: [UInt8] = Array("guide-search-analysis 2\n".utf8)
  fileprivate static let termsRecord = 1
  fileprivate static let entryRecord = 2

  convenience init(keys: [String: String], previous: [UInt8], previousIndex: SearchIndexState? = nil) {
    self.init(keys: keys, file: FileBytes(previous), previousIndex: previousIndex)
  }

  convenience init(keys: [String: String], file previous: FileBytes, previousIndex: SearchIndexState?) {
    self.init(
      keys: keys, file: previous,
      previousIndexFile: previousIndex.map { SearchIndexState.File(state: $0, length: 0, wholeLength: 0) })
  }

  /// The previous build's analyses and its search index's state, as read: what the cache needs
  /// that does not depend on this build's pages, so it can be read while they are loaded.
  struct Previous: Sendable {
    let file: FileBytes
    let vocabulary: [String]
    let entries: [String: Range<Int>]
    let entriesInFile: Int
    let wellFormed: Bool
    let indexFile: SearchIndexState.File?

    init(file previous: FileBytes, indexFile: SearchIndexState.File?) {
      self.indexFile = indexFile
      var reader = FileBytes.Reader(previous, position: 0)
      var vocabulary: [String] = []
      var entries: [String: Range<Int>] = [:]
      var entriesInFile = 0
      var end = 0
      if previous.buffer.starts(with: SearchAnalysisCache.magic) {
        reader.position = SearchAnalysisCache.magic.count
        end = reader.position
        records: while reader.position < previous.count, let kind = reader.number() {
          switch kind {
          case SearchAnalysisCache.termsRecord:
            guard let count = reader.number(), count <= previous.count else { break records }
            var terms: [String] = []
            for _ in 0..<count {
              guard let term = reader.string() else { break records }
              terms.append(term)
            }
            vocabulary += terms
          case SearchAnalysisCache.entryRecord:
            guard let key = reader.string(), let length = reader.number(), reader.position + length <= previous.count
            else {
              break records
            }
            entries[key] = reader.position..<(reader.position + length)
            entriesInFile += 1
            reader.position += length
          default: break records
          }
          end = reader.position
        }
      }
      self.vocabulary = vocabulary
      self.file = previous
      self.entries = entries
      self.entriesInFile = entriesInFile
      wellFormed = end > 0 && end == previous.count
    }

    /// Reads the files the last build kept (empty when there are none); the index's state
    /// (8.5 MB at 10,000 pages) is read beside the analyses (13 MB).
    static func read(cache: URL, output: URL) -> Previous {
      let index = Background { SearchIndexState.read(FileBytes.load(SearchIndexState.file(cache: cache, output: output).path)) }
      let analyses = FileBytes.load(SearchAnalysisCache.file(cache: cache, output: output).path)
      return Previous(file: analyses, indexFile: index.value)
    }
  }

  convenience init(keys: [String: String], file previous: FileBytes, previousIndexFile: SearchIndexState.File?) {
    self.init(keys: keys, previous: Previous(file: previous, indexFile: previousIndexFile))
  }

  /// The cache for a build whose page keys are `keys` (by URL), over what the previous build
  /// left (``Previous/read(cache:output:)``).
  init(keys: [String: String], previous: Previous) {
    self.keys = keys
    previousIndexFile = previous.indexFile
    vocabulary = previous.vocabulary
    file = previous.file
    entries = previous.entries
    entriesInFile = previous.entriesInFile
    wellFormed = previous.wellFormed
  }

  /// The last build's search index (``SearchIndexState``), to update rather than make again.
  var previousIndex: SearchIndexState? { previousIndexFile?.state }
  /// Its file as read (a change to it is appended, ``SearchIndexState/appendix(after:)``).
  private let previousIndexFile: SearchIndexState.File?
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
  /// index was updated around them without reading them). They are only listed: an edit appends
  /// its own entries to the file and never needs them, so they are looked up only when the file
  /// is written afresh (``data()``).
  func keepPrevious(keys: [String]) {
    kept.withLock { $0 += keys }
    counts.withLock { $0.reused += keys.count }
  }
  private let kept = Mutex<[String]>([])

  /// This build's entries with the kept ones (an entry made by this build wins).
  private func allMade() -> [String: Made] {
    var made = self.made.withLock { $0 }
    for key in kept.withLock({ $0 }) where made[key] == nil {
      if let range = entries[key] { made[key] = .previous(range) }
    }
    return made
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
    var reader = FileBytes.Reader(file, position: range.lowerBound)
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

  /// The file for the next build, written afresh: the previous vocabulary with this build's new
  /// terms appended, then this build's entries (sorted by key).
  func data() -> [UInt8] {
    let made = allMade()
    let (terms, encoded) = newTermsAndEntries(made)
    var out = Self.magic
    Self.put(Self.termsRecord, into: &out)
    Self.put(vocabulary.count + terms.count, into: &out)
    for term in vocabulary + terms { Self.put(string: term, into: &out) }
    for key in made.keys.sorted() {
      switch made[key] {
      case .previous(let range)?: Self.putEntry(key, file.buffer[range], into: &out)
      case .analysed?: Self.putEntry(key, encoded[key] ?? [], into: &out)
      case nil: break
      }
    }
    return out
  }

  /// What to append to the previous file instead of writing it afresh (nil: write it afresh,
  /// with ``data()``): this build's new terms and the entries it analysed. Only when the file was
  /// read whole, and the entries no build needs any more would not outweigh the others.
  func appendix() -> [UInt8]? {
    let made = self.made.withLock { $0 }
    let analysed = made.values.count { if case .analysed = $0 { true } else { false } }
    // The kept entries are counted, not looked up (each is in a well-formed file unless the
    // last build's was lost; the count only decides when the file is written afresh).
    let live = made.count + kept.withLock { $0.count }
    guard wellFormed, 2 * (entriesInFile + analysed - live) <= live else { return nil }
    let (terms, encoded) = newTermsAndEntries(made)
    var out: [UInt8] = []
    if !terms.isEmpty {
      Self.put(Self.termsRecord, into: &out)
      Self.put(terms.count, into: &out)
      for term in terms { Self.put(string: term, into: &out) }
    }
    for key in encoded.keys.sorted() { Self.putEntry(key, encoded[key]!, into: &out) }
    return out
  }

  private static func putEntry(_ key: String, _ entry: some Collection<UInt8>, into out: inout [UInt8]) {
    put(entryRecord, into: &out)
    put(string: key, into: &out)
    put(entry.count, into: &out)
    out += entry
  }

  /// The terms this build met that the previous vocabulary lacks (numbered after it, in this
  /// order), and the entries it analysed, their terms numbered so.
  private func newTermsAndEntries(_ made: [String: Made]) -> (terms: [String], entries: [String: [UInt8]]) {
    var terms: [String] = []
    var numbers: [String: Int] = [:]
    var encoded: [String: [UInt8]] = [:]
    let analysed = made.compactMap { if case .analysed = $0.value { $0.key } else { nil } }
    for key in analysed.sorted() {
      guard case .analysed(let local, let text)? = made[key] else { continue }
      if numbers.isEmpty { numbers = Dictionary(vocabulary.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a }) }
      let global = local.map { term in
        if let known = numbers[term] { return known }
        numbers[term] = vocabulary.count + terms.count
        terms.append(term)
        return vocabulary.count + terms.count - 1
      }
      // The page's own numbers become the vocabulary's.
      var reader = FileBytes.Reader(FileBytes(text), position: 0)
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
    return (terms, encoded)
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

  // MARK: - Where it is kept

  static func file(cache: URL, output: URL) -> URL {
    BuildManifest.folder(cache: cache, output: output).appendingPathComponent("search-analysis.bin")
  }

  /// Writes the analyses and the index this build made (the index's state is removed when this
  /// build made none: a state must describe the last build's index).
  func save(cache: URL, output: URL) {
    let url = Self.file(cache: cache, output: output)
    try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    FileBytes.save(appending: appendix(), to: url, expectedLength: file.count, whole: data)
    let indexFile = SearchIndexState.file(cache: cache, output: output)
    if let state = madeIndex.withLock({ $0 }) {
      // The index changed by an edit: its change appended to the last state's file.
      let previous = previousIndexFile.flatMap { $0.length > 0 ? $0 : nil }
      FileBytes.save(
        appending: previous.flatMap { state.appendix(after: $0) }, to: indexFile, expectedLength: previous?.length,
        whole: state.encoded)
    } else {
      try? FileManager.default.removeItem(at: indexFile)
    }
  }
}
