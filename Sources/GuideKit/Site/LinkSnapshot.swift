import Foundation
import Synchronization

/// What the last clean link of the guide found, kept for the next build (`links.bin` in the
/// build's cache folder, issue 19): for every page, in site order, its path, the hash of its
/// source, its digest (``RenderKeys/pageDigest(_:)``) and its *link signature* (what its links
/// are made of, ``signature(_:)``); and what the linker derives from every page's links —
/// backlinks, related questions, snippets per page, the assets used — and the hash of every
/// page's part of the structure (``RenderKeys``).
///
/// A link's target depends on the linking page's path and link, on the set of pages with their
/// paths and headings, and on the other inputs (snippets, assets, guide.yml). When the next build
/// has the same other inputs and the same pages, each with the same digest (which holds its
/// headings and link destinations) and the same link signature, every link resolves as before,
/// so all of the above is as before: that build takes it from here and resolves only the links
/// of the pages it renders (``PageLinks``), on first use. An edit inside one answer at 10,000
/// pages then resolves a handful of links instead of 60,000. Anything else (a page added, a
/// heading or link changed, guide.yml edited) links everything, as a build without a snapshot.
///
/// Written only by a link without diagnostics: a page taken from the snapshot is not checked
/// again, so it must have had nothing to report.
struct LinkSnapshot: Sendable {
  struct PageEntry: Sendable, Equatable {
    var path: String
    var sourceHash: String
    var digest: String
    var signature: String
  }

  /// ``inputsKey(_:)`` of the build that made it.
  var inputs: String
  var pages: [PageEntry]
  var backlinks: [[Int]]
  var related: [[Int]]
  var snippetsOfPage: [[String]]
  var assets: [String: String]
  /// The hash of every page's part of the render keys' structure (``RenderKeys``).
  var pageParts: String

  static let magic: [UInt8] = Array("guide-links 1\n".utf8)

  /// What a page's links are made of beyond its digest's destinations: each link with whether it
  /// is an image or an embed, in order, and the `related:` paths and the links of its Related
  /// section (which make its related questions).
  static func signature(_ page: Page) -> String {
    var hasher = SHA256Digest()
    for link in page.links {
      hasher.update(link.destination)
      hasher.update(CollectionOfOne(link.isImage ? 1 : 0))
      hasher.update(link.embed?.rawValue ?? "-")
      hasher.update(CollectionOfOne(0x1F))
    }
    for list in [page.relatedPaths, page.relatedSectionLinks] {
      hasher.update(CollectionOfOne(0x1E))
      for item in list {
        hasher.update(item)
        hasher.update(CollectionOfOne(0x1F))
      }
    }
    return hasher.finalizeHex()
  }

  /// The key of everything but the pages that links depend on: the generator and every input
  /// file that is not a page (guide.yml, snippets, expected outputs, assets, templates) with its
  /// hash, and how many pages there are.
  static func inputsKey(_ index: InputIndex) -> String {
    var pages = 0
    var others: [(String, String)] = []
    for (key, entry) in index.entries {
      if key.hasPrefix("g/") && key.hasSuffix(".md") { pages += 1 } else { others.append((key, entry.hash)) }
    }
    var hasher = SHA256Digest()
    hasher.update("links v1\u{1e}" + BuildManifest.generatorIdentity + "\u{1e}\(pages)\u{1e}")
    for (key, hash) in others.sorted(by: { $0.0 < $1.0 }) {
      hasher.update(key + "\u{1f}" + hash + "\u{1e}")
    }
    return hasher.finalizeHex()
  }

  /// The snapshot if it holds for `pages` (sorted as the site sorts them): same inputs, same
  /// pages in the same order with the same digests, and the same link signatures (computed only
  /// for the pages whose source changed since it was made). `sourceHash` gives a page's source
  /// hash from the input index.
  func holds(for pages: [Page], inputs: String, sourceHash: (String) -> String?) -> Bool {
    guard inputs == self.inputs, pages.count == self.pages.count, backlinks.count == pages.count,
      related.count == pages.count, snippetsOfPage.count == pages.count
    else { return false }
    for index in pages.indices {
      let entry = self.pages[index]
      guard pages[index].sourcePath == entry.path,
        (pages[index].structureDigest ?? RenderKeys.pageDigest(pages[index])) == entry.digest
      else { return false }
      if sourceHash(pages[index].sourcePath) != entry.sourceHash, Self.signature(pages[index]) != entry.signature {
        return false
      }
    }
    return true
  }

  // MARK: - The file

  func encoded() -> [UInt8] {
    var out = Self.magic
    func put(_ value: Int) { SearchAnalysisCache.put(value, into: &out) }
    func put(_ text: String) { SearchAnalysisCache.put(string: text, into: &out) }
    put(inputs)
    put(pages.count)
    for page in pages {
      put(page.path)
      put(page.sourceHash)
      put(page.digest)
      put(page.signature)
    }
    for lists in [backlinks, related] {
      for list in lists {
        put(list.count)
        for index in list { put(index) }
      }
    }
    for list in snippetsOfPage {
      put(list.count)
      for name in list { put(name) }
    }
    put(assets.count)
    for (path, source) in assets.sorted(by: { $0.key < $1.key }) {
      put(path)
      put(source)
    }
    put(pageParts)
    return out
  }

  init(
    inputs: String, pages: [PageEntry], backlinks: [[Int]], related: [[Int]], snippetsOfPage: [[String]],
    assets: [String: String], pageParts: String
  ) {
    self.inputs = inputs
    self.pages = pages
    self.backlinks = backlinks
    self.related = related
    self.snippetsOfPage = snippetsOfPage
    self.assets = assets
    self.pageParts = pageParts
  }

  /// The snapshot in a file's bytes, or nil when they are not a whole one.
  init?(decoding file: FileBytes) {
    guard file.buffer.starts(with: Self.magic) else { return nil }
    var reader = FileBytes.Reader(file, position: Self.magic.count)
    guard let inputs = reader.string(), let count = reader.number(), count <= file.count else { return nil }
    var pages: [PageEntry] = []
    pages.reserveCapacity(count)
    for _ in 0..<count {
      guard let path = reader.string(), let source = reader.string(), let digest = reader.string(),
        let signature = reader.string()
      else { return nil }
      pages.append(PageEntry(path: path, sourceHash: source, digest: digest, signature: signature))
    }
    func indexLists() -> [[Int]]? {
      var lists: [[Int]] = []
      lists.reserveCapacity(count)
      for _ in 0..<count {
        guard let list = reader.numbers(atMost: count), list.allSatisfy({ $0 < count }) else { return nil }
        lists.append(list)
      }
      return lists
    }
    guard let backlinks = indexLists(), let related = indexLists() else { return nil }
    var snippetsOfPage: [[String]] = []
    snippetsOfPage.reserveCapacity(count)
    for _ in 0..<count {
      guard let n = reader.number(), n <= file.count else { return nil }
      var names: [String] = []
      for _ in 0..<n {
        guard let name = reader.string() else { return nil }
        names.append(name)
      }
      snippetsOfPage.append(names)
    }
    guard let assetCount = reader.number(), assetCount <= file.count else { return nil }
    var assets: [String: String] = [:]
    for _ in 0..<assetCount {
      guard let path = reader.string(), let source = reader.string() else { return nil }
      assets[path] = source
    }
    guard let pageParts = reader.string(), reader.position == file.count else { return nil }
    self.init(
      inputs: inputs, pages: pages, backlinks: backlinks, related: related, snippetsOfPage: snippetsOfPage, assets: assets,
      pageParts: pageParts)
  }

  static func file(cache: URL, output: URL) -> URL {
    BuildManifest.folder(cache: cache, output: output).appendingPathComponent("links.bin")
  }

  static func load(cache: URL, output: URL) -> LinkSnapshot? {
    LinkSnapshot(decoding: FileBytes.load(file(cache: cache, output: output).path))
  }

  func save(cache: URL, output: URL) {
    let url = Self.file(cache: cache, output: output)
    try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try? Data(encoded()).write(to: url, options: .atomic)
  }

}

/// Per page: raw link destination → where it goes. The linker resolves every page's links, or,
/// when the last build's ``LinkSnapshot`` holds, only those of the pages it parsed; any other
/// page's links are resolved on first use (to render it), with the same result, since nothing
/// they depend on changed.
public final class PageLinks: Sendable {
  private let resolved: [[String: ResolvedLink]?]
  private let later: Mutex<[Int: [String: ResolvedLink]]>
  private let resolve: @Sendable (Int) -> [String: ResolvedLink]

  init(_ resolved: [[String: ResolvedLink]?], resolve: @escaping @Sendable (Int) -> [String: ResolvedLink]) {
    self.resolved = resolved
    self.later = Mutex([:])
    self.resolve = resolve
  }

  /// Every page's links, resolved.
  convenience init(_ resolved: [[String: ResolvedLink]]) {
    self.init(resolved.map { $0 }, resolve: { _ in [:] })
  }

  public var count: Int { resolved.count }

  public subscript(index: Int) -> [String: ResolvedLink] {
    if let links = resolved[index] { return links }
    if let links = later.withLock({ $0[index] }) { return links }
    let links = resolve(index)
    later.withLock { $0[index] = links }
    return links
  }

  /// How many pages' links were resolved on first use (tests).
  var resolvedLater: Int { later.withLock { $0.count } }
}
