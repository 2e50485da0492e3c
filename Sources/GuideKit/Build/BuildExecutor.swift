import Foundation
import Synchronization

/// The Execute stage: makes every planned file, and the only code that knows about reuse. With
/// render keys and the previous output, a file whose key is unchanged is linked from the previous
/// output, and an aggregate's unchanged question parts are copied from it (their byte positions
/// were recorded as segments); everything else is rendered by the pure ``SiteRenderer``. Files go
/// to `sink` as soon as they are made, so the site is never held in memory whole.
struct BuildExecutor: Sendable {
  let plan: BuildPlan
  let renderer: SiteRenderer
  /// Render keys and the previous output, for incremental builds (nil: render everything).
  let keys: RenderKeys?
  let previous: PreviousOutput?
  /// The search index, being made since before the output was locked (``startingSearchIndex(previousShards:)``).
  var searchStarted: Background<[SearchIndexBuilder.File]>? = nil

  /// A file the build produced: rendered, or linked unchanged from the previous output.
  /// `key` is its render key ("" without keys).
  struct Produced: Sendable {
    var path: String
    var key: String
    var linked: Bool
    /// Where each question's part lies in the file (aggregates made by this build only; a
    /// linked file keeps the parts the previous build recorded), for the next build.
    var segments: [Segment] = []
    /// Unchanged, to be linked from the previous output once everything else is made (linked
    /// folder by folder, ``PreviousOutput/link(many:jobs:)``).
    var toLink = false
  }

  /// What the executor did.
  struct Result: Sendable {
    /// Every file made from the plan (copies excepted), sorted by path.
    var files: [Produced]
    var searchIndexBytes: Int
    /// Question parts of aggregates copied from the previous output.
    var partsCopied = 0
  }

  /// One unit of scheduling: planned files rendered one after another on one thread, sharing
  /// work (the print pages share their question fragments, the decks their notes).
  struct Batch: Sendable {
    var files: [BuildPlan.File]
  }

  /// The plan's rendered files: the search index (it needs no Markdown tree, and takes longest
  /// when few pages changed), made on a thread of its own beside two phases of batches. First
  /// every page: a page rendered again also makes its parts of the aggregates, then drops its
  /// tree, so the trees of a large guide are never all in memory. Then the aggregates (quiz data,
  /// print pages, decks), assembled from those parts or from the previous output.
  var phases: (search: Batch?, pages: [Batch], aggregates: [Batch]) {
    var search: [BuildPlan.File] = []
    var quiz: [BuildPlan.File] = []
    var print: [BuildPlan.File] = []
    var anki: [BuildPlan.File] = []
    var single: [BuildPlan.File] = []
    for file in plan.rendered {
      switch file.job {
      case .searchIndex: search.append(file)
      case .quizData: quiz.append(file)
      case .print: print.append(file)
      case .anki: anki.append(file)
      default: single.append(file)
      }
    }
    // Pages a few at a time: small enough to share the work out evenly, not one batch (and one
    // turn of the scheduler's lock) per page when an edit reuses nearly all of them.
    let pages = stride(from: 0, to: single.count, by: Self.pagesPerBatch).map {
      Batch(files: Array(single[$0..<min($0 + Self.pagesPerBatch, single.count)]))
    }
    return (
      search.isEmpty ? nil : Batch(files: search), pages, [quiz, print, anki].filter { !$0.isEmpty }.map(Batch.init)
    )
  }

  static let pagesPerBatch = 8

  /// The same executor, reusing `previous` (the output as the last build left it).
  func reusing(_ previous: PreviousOutput?) -> BuildExecutor {
    BuildExecutor(plan: plan, renderer: renderer, keys: keys, previous: previous, searchStarted: searchStarted)
  }

  /// Makes every planned file (rendering on `jobs` threads) and hands each rendered one to `sink`.
  func run(jobs: Int, sink: @escaping @Sendable (_ path: String, _ contents: String) -> Void) -> Result {
    let searchBytes = Counter()
    let parts = PartStore()
    let phases = self.phases
    @Sendable func make(_ batch: Batch) -> [Produced] {
      var memo = SiteRenderer.Memo()
      var fragments: [SiteRenderer.Fragment: String] = [:]
      return batch.files.flatMap { file in
        self.make(file, memo: &memo, fragments: &fragments, made: parts, searchBytes: searchBytes, sink: sink)
      }
    }
    // Started early, the index is made on its own thread (after an edit it takes as long as
    // the pages and the aggregates together); else it is the first batch beside the pages.
    let search = searchStarted == nil ? nil : phases.search.map { batch in Background { make(batch) } }
    let pages = search == nil ? phases.search.map { [$0] + phases.pages } ?? phases.pages : phases.pages
    var results: [[Produced]] = []
    for phase in [pages, phases.aggregates] {
      results += ParallelMap.map(phase, jobs: jobs, make)
    }
    if let search { results.append(search.value) }
    var files = results.flatMap { $0 }
    // The unchanged files, linked folder by folder; one that cannot be linked is rendered.
    let toLink = files.filter(\.toLink).map(\.path)
    if let previous, !toLink.isEmpty {
      let failed = Set(previous.link(many: toLink, jobs: jobs))
      if !failed.isEmpty {
        files.removeAll { failed.contains($0.path) }
        var memo = SiteRenderer.Memo()
        var fragments: [SiteRenderer.Fragment: String] = [:]
        for file in plan.rendered where failed.contains(file.path) {
          files += reusing(nil).make(file, memo: &memo, fragments: &fragments, made: parts, searchBytes: searchBytes, sink: sink)
        }
      }
    }
    return Result(files: files.sorted { $0.path < $1.path }, searchIndexBytes: searchBytes.value)
  }

  /// The parts of the aggregates made by the pages rendered in the first phase, until the
  /// aggregates take them. They are kept in an unnamed temporary file (a large guide's parts
  /// are hundreds of megabytes), in memory when no such file can be made.
  final class PartStore: Sendable {
    private struct State {
      var places: [SiteRenderer.Fragment: (offset: Int, length: Int)] = [:]
      var inMemory: [SiteRenderer.Fragment: String] = [:]
      var end = 0
    }
    private let state = Mutex(State())
    private let fd: Int32

    init() {
      var template = Array((FileManager.default.temporaryDirectory.path + "/guide-parts-XXXXXX").utf8CString)
      let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
      if fd >= 0 { template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) } }
      self.fd = fd
    }

    deinit { if fd >= 0 { close(fd) } }

    func add(_ made: [(SiteRenderer.Fragment, String)]) {
      var bytes: [UInt8] = []
      var lengths: [Int] = []
      for (_, text) in made {
        bytes += text.utf8
        lengths.append(text.utf8.count)
      }
      state.withLock { state in
        if fd >= 0, bytes.withUnsafeBytes({ pwrite(fd, $0.baseAddress, $0.count, off_t(state.end)) }) == bytes.count {
          var offset = state.end
          for ((fragment, _), length) in zip(made, lengths) {
            state.places[fragment] = (offset, length)
            offset += length
          }
          state.end = offset
        } else {
          for (fragment, text) in made { state.inMemory[fragment] = text }
        }
      }
    }

    /// The part (read again for each file that shows it: a level's print page and the whole guide's).
    func part(_ fragment: SiteRenderer.Fragment) -> String? {
      enum Found {
        case text(String)
        case place(offset: Int, length: Int)
      }
      let found = state.withLock { state -> Found? in
        if let text = state.inMemory[fragment] { return .text(text) }
        return state.places[fragment].map { .place(offset: $0.offset, length: $0.length) }
      }
      guard case .place(let offset, let length) = found else {
        if case .text(let text) = found { return text }
        return nil
      }
      var bytes = [UInt8](repeating: 0, count: length)
      let read = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, off_t(offset)) }
      return read == length ? String(decoding: bytes, as: UTF8.self) : nil
    }
  }

  /// The render key of a planned file.
  func key(_ file: BuildPlan.File) -> String? {
    guard let keys else { return nil }
    switch file.inputs {
    case .structure: return keys.structure
    case .page(let index): return keys.page(index)
    case .aggregate(let name, let pages): return keys.aggregate(name, pages: pages)
    case .snippet(let name): return keys.snippetPage(renderer.runs[name])
    case .copied: return nil
    }
  }

  func make(
    _ file: BuildPlan.File, memo: inout SiteRenderer.Memo, fragments: inout [SiteRenderer.Fragment: String], made: PartStore? = nil,
    searchBytes: Counter, sink: @Sendable (String, String) -> Void
  ) -> [Produced] {
    let key = key(file)
    // The search index is several files under one key: reused whole, or built whole with the
    // shards the previous output already has linked (``linkContentAddressed(_:)``).
    if case .searchIndex = file.job {
      let key = key ?? ""
      let old = Self.searchFiles(previous?.keys)
      if let previous, previous.reuse(old, key: { _ in key }) {
        for path in old { searchBytes.add(Int(FileIdentity.of(previous.folder.appendingPathComponent(path).path)?.size ?? 0)) }
        return old.map { Produced(path: $0, key: key, linked: true) }
      }
      return searchIndex(key: key, searchBytes: searchBytes, sink: sink)
    } else if let key, let previous, previous.unchanged(file.path, key: key) {
      // Its parts, if any, are carried into the next record as they are (``SegmentRecords``).
      return [Produced(path: file.path, key: key, linked: true, toLink: true)]
    }
    switch renderer.render(file, memo: &memo) {
    case .text(let contents):
      sink(file.path, contents)
      if case .page(let index) = file.job {
        // Its parts of the aggregates while its tree is parsed; then the tree goes.
        if let made, renderer.site.pages[index].kind == .question { made.add(renderer.fragments(of: index)) }
        renderer.site.pages[index].body.release()
      }
      return [Produced(path: file.path, key: key ?? "", linked: false)]
    case .files(let made):
      return made.map { path, contents in
        searchBytes.add(contents.utf8.count)
        if linkContentAddressed(path) { return Produced(path: path, key: key ?? "", linked: true) }
        sink(path, contents)
        return Produced(path: path, key: key ?? "", linked: false)
      }
    case .assembled(let parts):
      var out = ""
      var segments: [Segment] = []
      for part in parts {
        switch part {
        case .text(let text): out += text
        case .fragment(let fragment):
          let text = self.fragment(fragment, fragments: &fragments, made: made, in: file.path)
          if let partKey = fragmentKey(fragment) {
            segments.append(Segment(key: partKey, offset: out.utf8.count, length: text.utf8.count))
          }
          out += text
        }
      }
      sink(file.path, out)
      return [Produced(path: file.path, key: key ?? "", linked: false, segments: segments)]
    }
  }

  /// The same executor with the search index started now, on a thread of its own, beside the
  /// work done before the files are made (the output locked, the spare site checked): after an
  /// edit the index is the longest file to make. `previousShards` are the last build's files as
  /// its records list them (read before the lock: a shard they name that is gone is made again
  /// when the index is written, ``searchIndex(key:searchBytes:sink:)``).
  func startingSearchIndex(previousShards: [String: String]?) -> BuildExecutor {
    guard let file = plan.files.first(where: { if case .searchIndex = $0.job { true } else { false } }) else { return self }
    // Only when the last build's index can be updated (a first build makes it as one of the
    // batches beside the pages: on a thread of its own it would hold its memory while two
    // threads render), and not when it will be reused whole (its files all under this key).
    guard renderer.searchAnalysis?.previousIndex != nil else { return self }
    let key = self.key(file) ?? ""
    let old = Self.searchFiles(previousShards)
    if !old.isEmpty, old.allSatisfy({ previousShards?[$0] == key }) { return self }
    var executor = self
    let renderer = self.renderer
    executor.searchStarted = Background { renderer.searchIndex(previousHas: Self.hasShard(previousShards)) }
    return executor
  }

  /// The search index's files among the last build's (`keys`: its records), sorted.
  static func searchFiles(_ keys: [String: String]?) -> [String] {
    (keys ?? [:]).keys.filter { $0.hasPrefix("assets/search") }.sorted()
  }

  /// Whether the last build (`keys`: its records) made a search shard at a path: a shard is named
  /// by its content, so it need not be made again.
  static func hasShard(_ keys: [String: String]?) -> @Sendable (String) -> Bool {
    { keys?[$0] != nil && SearchIndexBuilder.isContentAddressed($0) }
  }

  /// The search index, updated from the last build's where it can be (``SearchIndexUpdate``):
  /// an unchanged shard is linked from the previous output, not made again. Should a link fail
  /// (the file went away), the index is made again with every shard's contents.
  func searchIndex(key: String, searchBytes: Counter, sink: @Sendable (String, String) -> Void) -> [Produced] {
    var files = searchStarted?.value ?? renderer.searchIndex(previousHas: Self.hasShard(previous?.keys))
    if files.contains(where: { $0.contents == nil && !linkContentAddressed($0.path) }) {
      files = renderer.searchIndex()
    }
    return files.map { file in
      searchBytes.add(file.size)
      if let contents = file.contents, !linkContentAddressed(file.path) {
        sink(file.path, contents)
        return Produced(path: file.path, key: key, linked: false)
      }
      return Produced(path: file.path, key: key, linked: true)
    }
  }

  /// Links a search shard the previous output already has instead of writing it again: a shard
  /// is named by its content, so the same path means the same bytes. False (write it) for any
  /// other file, without a previous output, or when the link fails.
  func linkContentAddressed(_ path: String) -> Bool {
    guard SearchIndexBuilder.isContentAddressed(path), let previous, previous.keys[path] != nil else { return false }
    return previous.link([path])
  }

  /// The key a question's part is recorded under: its page's key, and which part it is.
  func fragmentKey(_ fragment: SiteRenderer.Fragment) -> String? {
    guard let key = keys?.page(fragment.page) else { return nil }
    switch fragment.kind {
    case .printFraming: return key + " framing"
    case .printAnswer: return key + " answer"
    case .quizItem: return key
    case .ankiNote: return key + " anki"
    }
  }

  /// A question's part: made by its page in the first phase, or copied from the previous output
  /// when its page is unchanged, or else rendered here (once per batch).
  func fragment(
    _ fragment: SiteRenderer.Fragment, fragments: inout [SiteRenderer.Fragment: String], made: PartStore? = nil,
    in path: String? = nil
  ) -> String {
    if let text = made?.part(fragment) { return text }
    if let key = fragmentKey(fragment), let text = previous?.fragment(key: key, in: path) { return text }
    if let done = fragments[fragment] { return done }
    // Rendered here (its page was not): kept for the batch's other files that show it.
    let text = renderer.fragment(fragment)
    fragments[fragment] = text
    return text
  }
}
