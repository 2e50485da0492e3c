import Foundation

/// What every output file depends on, as a hash: the render key. A file whose key equals the one
/// recorded by the last build into the same (untouched) output folder is not rendered again.
///
/// The keys rest on one *structure* hash: everything a page can show of the rest of the site.
/// That is the generator binary, every template, every input that is not a page (guide.yml,
/// snippets, expected outputs, images), every snippet's output, and of every page what other
/// pages show or link to (id, kind, title, summary, level, tags, order, headings, resolved links,
/// backlinks, related questions, snippets). A page's own file then depends on the structure and
/// its own source; the aggregates (print pages, quiz data, search index) on the structure and
/// the sources they gather. An edit inside one answer's text therefore re-renders that page and
/// the aggregates holding its text; a new title or heading changes the structure and everything
/// is rendered again, which is the safe answer.
struct RenderKeys: Sendable {
  let structure: String
  /// Per page (site order): hash of its source file.
  let sources: [String]
  /// Per page: the key of its own file (computed once; the page, its quiz entry and its print
  /// fragments all use it).
  private let ownKeys: [String]
  /// The generator and every input that is not a page (guide.yml among them), hashed.
  private let nonPages: String
  /// The hash of every page's part of the structure (kept in the ``LinkSnapshot``).
  let pageParts: String
  private let outputPaths: [String]

  init(site: SiteModel, runs: [String: SnippetRun], inputs: InputIndex) {
    var text = "render-keys v1\u{1e}" + BuildManifest.generatorIdentity + "\u{1e}"
    let pageKeys = site.pages.indices.map { "g/" + site.pages[$0].sourcePath }
    let pageKeySet = Set(pageKeys)
    // Only the inputs that are not pages are sorted (a few dozen, not the guide's pages).
    for (key, entry) in inputs.entries.filter({ !pageKeySet.contains($0.key) }).sorted(by: { $0.key < $1.key }) {
      text += key + "\u{1f}" + entry.hash + "\u{1e}"
    }
    nonPages = Hashing.sha256Hex(text)
    outputPaths = site.pages.indices.map { site.pages[$0].outputPath }
    for snippet in site.snippets {
      text += "snippet\u{1f}" + snippet.name + "\u{1f}" + (runs[snippet.name]?.stdout ?? "-") + "\u{1e}"
      // Figures are inlined into the pages that embed them: a changed figure changes the structure.
      for figure in runs[snippet.name]?.figures ?? [] {
        text += "figure\u{1f}" + snippet.name + "\u{1f}" + figure.name + "\u{1f}" + Hashing.sha256Hex(figure.svg) + "\u{1e}"
      }
    }
    // Each page's part hashed on its own, on every core; the structure hashes those in order.
    // A part is what the page shows of itself (``pageDigest(_:)``, kept in the page's summary,
    // so a page restored from it is not hashed again) and where its links lead. Other pages
    // appear by their index: the structure holds every page's digest, output path included, in
    // order, so an index says as much as the path. When the last build's link held for this one
    // (``LinkSnapshot``), every part is as it was then, and so is their hash.
    let pageParts = site.linkSnapshot?.pageParts ?? Self.pageParts(site)
    self.pageParts = pageParts
    text += "pages v5\u{1e}" + pageParts
    structure = Hashing.sha256Hex(text)
    let sources = pageKeys.map { inputs.entries[$0]?.hash ?? "missing" }
    self.sources = sources
    // ``Hashing/sha256(_:)`` of [structure, "page", source]: the common start hashed once, the
    // pages' keys on every core.
    var start = SHA256Digest()
    for part in [structure, "page"] {
      start.update(part.utf8)
      start.update(CollectionOfOne(UInt8(0)))
    }
    let common = start
    ownKeys = ParallelMap.map(sources, jobs: ProcessInfo.processInfo.activeProcessorCount) { source in
      var hasher = common
      hasher.update(source.utf8)
      hasher.update(CollectionOfOne(UInt8(0)))
      return hasher.finalizeHex()
    }
  }

  /// The hash of every page's part of the structure, in site order: its digest, its backlinks,
  /// related questions and snippets, and where its links lead.
  static func pageParts(_ site: SiteModel) -> String {
    let parts = ParallelMap.map(Array(site.pages.indices), jobs: ProcessInfo.processInfo.activeProcessorCount) {
      index -> String in
      var bytes: [UInt8] = []
      bytes.reserveCapacity(256)
      func list(_ items: [String]) { Self.append(list: items, to: &bytes) }
      bytes += (site.pages[index].structureDigest ?? Self.pageDigest(site.pages[index])).utf8
      bytes.append(0x1F)
      list(site.backlinks[index].map(String.init))
      list(site.related[index].map(String.init))
      list(site.snippetsOfPage[index])
      // In the order of their destinations (which the page's digest holds).
      for (_, target) in site.links[index].sorted(by: { $0.key < $1.key }) {
        let resolved: [String]
        switch target {
        case .external(let url): resolved = ["external ", url]
        case .page(let i, let fragment): resolved = ["page \(i)#", fragment ?? ""]
        case .snippet(let name, let slice): resolved = ["snippet ", name, "#", slice ?? ""]
        case .asset(let path): resolved = ["asset ", path]
        }
        for part in resolved { bytes += part.utf8 }
        bytes.append(0x1F)
      }
      var hasher = SHA256Digest()
      hasher.update(bytes: bytes)
      return hasher.finalizeHex()
    }
    return Hashing.sha256Hex(parts.joined(separator: "\u{1e}"))
  }

  /// A list as hashed: items separated by U+001D, ended by U+001F.
  static func append(list items: [String], to bytes: inout [UInt8]) {
    for (n, item) in items.enumerated() {
      if n > 0 { bytes.append(0x1D) }
      bytes += item.utf8
    }
    bytes.append(0x1F)
  }

  /// What a page shows of itself to the rest of the site, hashed: its paths, kind, id, title,
  /// summary, level, tags, order, headings and link destinations (each once, sorted: the
  /// destinations of its resolved links). All of it comes from the page's file and `guide.yml`,
  /// so the digest is kept in the page's summary (``PageSummaries``) with the rest.
  static func pageDigest(_ page: Page) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(2048)
    func field(_ text: String) {
      bytes += text.utf8
      bytes.append(0x1F)
    }
    func list(_ items: [String]) { append(list: items, to: &bytes) }
    for text in [page.outputPath, page.sourcePath, page.kind.rawValue, page.id, page.title, page.summary, page.levelID ?? "-"] {
      field(text)
    }
    list(page.tagIDs)
    field("\(page.order) \(page.fromArticle ? 1 : 0)")
    for heading in page.headings {
      field("\(heading.level) \(heading.id) \(heading.title)")
    }
    bytes.append(0x1E)
    list(Set(page.links.map(\.destination)).sorted())
    var hasher = SHA256Digest()
    hasher.update(bytes: bytes)
    return hasher.finalizeHex()
  }

  /// The key of a page's own file; files that show only the structure (tag pages, the search
  /// page, generated pages) use ``structure`` itself.
  func page(_ index: Int) -> String { ownKeys[index] }

  /// The key of a page's search analysis (``SearchAnalysisCache``): the generator, the inputs
  /// that are not pages, the page's path and its source; not the structure, so an edit of one
  /// page's title or headings leaves the other pages' analyses reusable.
  func searchAnalysis(_ index: Int) -> String {
    Hashing.sha256([nonPages, "search-analysis v1", outputPaths[index], sources[index]])
  }

  /// The key of an aggregate of several pages' sources.
  func aggregate(_ name: String, pages: [Int]) -> String {
    Hashing.sha256([structure, name] + pages.map { sources[$0] })
  }

  func snippetPage(_ run: SnippetRun?) -> String {
    guard let run else { return Hashing.sha256([structure, "snippet-page", "no run"]) }
    return Hashing.sha256(
      [structure, "snippet-page", run.name, run.stdout, String(run.runSeconds), String(run.fromCache)]
        + run.figures.map { $0.name + "\u{1f}" + $0.svg })
  }
}
