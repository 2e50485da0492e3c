import Foundation
import Markdown

/// What the last build knew of every page that parsed without a diagnostic: its front matter,
/// headings, links and the rest of what other pages and the linker need of it (issue 19). A page
/// whose source file, `guide.yml` and generator are unchanged is taken from here and its file is
/// not read; its Markdown tree is parsed only if the build needs it (to render the page again).
///
/// The file (`page-summaries.bin` in the build's cache folder) is a header, then one entry per
/// page: its key and its fields, as LEB128 numbers and length-prefixed strings. A build appends
/// the entries of the pages it parsed (see ``save(_:cache:output:)``). It is mapped, not read
/// (``FileBytes``), and a kept page's search text, most of its entry, stays in it until asked
/// for (``Page/searchParts``).
final class PageSummaries: Sendable {
  static let magic: [UInt8] = Array("guide-page-summaries 3\n".utf8)

  /// Relative path → the key the page must have to be reused.
  let wanted: [String: String]
  /// The file's bytes (kept pages decode their search parts from them).
  private let file: FileBytes
  /// The previous builds' entries: key → byte range (a later entry for a key wins).
  private let entries: [String: Range<Int>]
  /// True when every byte of the file was read as an entry (so entries may be appended).
  private let wellFormed: Bool
  private let fileLength: Int

  convenience init(wanted: [String: String], previous: [UInt8]) {
    self.init(wanted: wanted, file: FileBytes(previous))
  }

  init(wanted: [String: String], file: FileBytes) {
    self.wanted = wanted
    var entries: [String: Range<Int>] = [:]
    var end = 0
    if file.buffer.starts(with: Self.magic) {
      var reader = FileBytes.Reader(file, position: Self.magic.count)
      end = reader.position
      while reader.position < file.count, let key = reader.string(), let length = reader.number(),
        length <= file.count - reader.position
      {
        entries[key] = reader.position..<(reader.position + length)
        reader.position += length
        end = reader.position
      }
    }
    self.file = file
    self.entries = entries
    wellFormed = end > 0 && end == file.count
    fileLength = file.count
  }

  /// The key of a page's summary: what its parse depends on (the generator, `guide.yml`, the
  /// page's path and its source).
  static func key(config: String, relativePath: String, source: String) -> String {
    Hashing.sha256([BuildManifest.generatorIdentity, "page-summary v1", config, relativePath, source])
  }

  /// The keys of the guide's Markdown files in the input index (nil without `guide.yml`).
  /// The hash of what all keys start with is made once; the pages' keys are made on every core.
  static func keys(_ index: InputIndex) -> [String: String] {
    guard let config = index.entries["g/" + GuideConfig.fileName]?.hash else { return [:] }
    var start = SHA256Digest()
    for part in [BuildManifest.generatorIdentity, "page-summary v1", config] {
      start.update(part.utf8)
      start.update(CollectionOfOne(UInt8(0)))
    }
    let common = start
    let pages = index.entries.compactMap { name, entry in
      name.hasPrefix("g/") && name.hasSuffix(".md") ? (String(name.dropFirst(2)), entry.hash) : nil
    }
    let hashes = ParallelMap.map(pages, jobs: ProcessInfo.processInfo.activeProcessorCount) { relative, source in
      var hasher = common
      for part in [relative, source] {
        hasher.update(part.utf8)
        hasher.update(CollectionOfOne(UInt8(0)))
      }
      return hasher.finalizeHex()
    }
    return Dictionary(zip(pages.map(\.0), hashes), uniquingKeysWith: { a, _ in a })
  }

  /// Relative paths whose summary is kept under the key they must have.
  var reusable: Set<String> { Set(reusablePaths) }

  /// The same, as a list in no particular order.
  var reusablePaths: [String] { wanted.compactMap { entries[$0.value] == nil ? nil : $0.key } }

  /// The kept pages at `paths` (those that decode), their bodies to be parsed from `guideRoot`
  /// when needed.
  func pages(_ paths: [String], guideRoot: String, displayPrefix: String, jobs: Int) -> [Page] {
    let file = self.file
    return ParallelMap.compactMap(paths, jobs: jobs) { relative -> Page? in
      guard let key = wanted[relative], let range = entries[key], range.upperBound <= file.count else { return nil }
      var reader = FileBytes.Reader(file, position: range.lowerBound)
      guard var page = Self.decode(&reader, file: file, displayPath: GuideLoader.join(displayPrefix, relative), root: guideRoot),
        reader.position == range.upperBound, page.sourcePath == relative
      else { return nil }
      page.summaryBytes = Self.entryBytes(key: key, range: range)
      return page
    }
  }

  /// The whole file for the next build: an entry for every page of `pages` that parsed cleanly
  /// or was restored.
  func data(_ pages: [Page]) -> [UInt8] {
    var out = Self.magic
    for page in pages where page.parsedCleanly {
      guard let key = wanted[page.sourcePath] else { continue }
      var entry: [UInt8] = []
      Self.encode(page, into: &entry)
      SearchAnalysisCache.put(string: key, into: &out)
      SearchAnalysisCache.put(entry.count, into: &out)
      out += entry
    }
    return out
  }

  // MARK: - Encoding

  static func encode(_ page: Page, into out: inout [UInt8]) {
    func put(_ value: Int) { SearchAnalysisCache.put(value, into: &out) }
    func signed(_ value: Int) { put(value >= 0 ? value << 1 : (~value << 1) | 1) }
    func put(_ text: String) { SearchAnalysisCache.put(string: text, into: &out) }
    func put(_ location: SourceLocation) {
      put(location.line)
      put(location.column)
    }
    func put(_ list: [String]) {
      put(list.count)
      for item in list { put(item) }
    }
    put(page.kind.rawValue)
    put(page.id)
    put(page.sourcePath)
    put(page.outputPath)
    put(page.title)
    put(page.summary)
    put(page.levelID.map { "+" + $0 } ?? "-")
    put(page.tagIDs)
    signed(page.order)
    put(page.fromArticle ? 1 : 0)
    if !page.outline.copyEncoded(into: &out) {
      put(page.headings.count)
      for heading in page.headings {
        put(heading.level)
        put(heading.title)
        put(heading.id)
        put(heading.location)
      }
      put(page.links.count)
      for link in page.links {
        put(link.destination)
        put(link.location)
        put(link.isImage ? 1 : 0)
        put(link.embed?.rawValue ?? "")
      }
    }
    put(page.idLocation)
    put(page.titleLocation)
    put(page.levelLocation)
    put(page.relatedPaths)
    put(page.audience.rawValue)
    put(page.relatedSectionLinks)
    put(page.bodyLineOffset)
    put(page.structureDigest ?? RenderKeys.pageDigest(page))
    // The search parts, after their length in bytes (a restored page steps over them).
    if page.searchText.copyEncoded(into: &out) { return }
    var parts: [UInt8] = []
    SearchAnalysisCache.put(page.searchParts.count, into: &parts)
    for part in page.searchParts {
      SearchAnalysisCache.put(part.heading.map { $0 + 1 } ?? 0, into: &parts)
      SearchAnalysisCache.put(string: part.text, into: &parts)
    }
    put(parts.count)
    out += parts
  }

  /// The page encoded at the reader's position; its search parts are checked but left encoded
  /// in `file` (``SearchPartsText``).
  static func decode(_ reader: inout FileBytes.Reader, file: FileBytes, displayPath: String, root: String) -> Page? {
    func number() -> Int? { reader.number() }
    func string() -> String? { reader.string() }
    func location() -> SourceLocation? {
      guard let line = number(), let column = number() else { return nil }
      return SourceLocation(line: line, column: column)
    }
    func list() -> [String]? {
      guard let count = number(), count < 1 << 24 else { return nil }
      var out: [String] = []
      for _ in 0..<count {
        guard let item = string() else { return nil }
        out.append(item)
      }
      return out
    }
    guard let kind = string().flatMap(PageKind.init(rawValue:)), let id = string(), let sourcePath = string(),
      let outputPath = string(), let title = string(), let summary = string(), let level = string(), let tagIDs = list(),
      let zigzag = number(), let fromArticle = number()
    else { return nil }
    // The headings and links are checked and stepped over, and decoded when first asked for.
    let outlineStart = reader.position
    guard let (headingCount, figures) = skipOutline(&reader) else { return nil }
    let outline = PageOutline(encoded: file, outlineStart..<reader.position, hasImagesOrEmbeds: figures)
    guard let idLocation = location(), let titleLocation = location(), let levelLocation = location(),
      let relatedPaths = list(), let audience = string().flatMap(PageAudience.init(rawValue:)),
      let relatedSectionLinks = list(), let bodyLineOffset = number(), let structureDigest = string()
    else { return nil }
    guard let searchLength = number(), searchLength <= reader.remaining else { return nil }
    let searchStart = reader.position
    reader.position += searchLength
    let order = zigzag & 1 == 0 ? zigzag >> 1 : ~(zigzag >> 1)
    return Page(
      kind: kind, id: id, sourcePath: sourcePath, displayPath: displayPath, outputPath: outputPath, title: title,
      summary: summary, levelID: level.hasPrefix("+") ? String(level.dropFirst()) : nil, tagIDs: tagIDs, order: order,
      fromArticle: fromArticle == 1, body: PageBody(path: root + "/" + sourcePath, bodyLineOffset: bodyLineOffset),
      outline: outline, idLocation: idLocation, titleLocation: titleLocation, levelLocation: levelLocation,
      relatedPaths: relatedPaths, audience: audience, relatedSectionLinks: relatedSectionLinks, bodyLineOffset: bodyLineOffset,
      parsedCleanly: true, structureDigest: structureDigest,
      searchText: SearchPartsText(encoded: file, searchStart..<reader.position, headings: headingCount))
  }

  /// Steps over encoded headings and links, checking them as ``decodeOutline(_:)`` reads them:
  /// the number of headings and whether a link is an image or an embed, or nil when they are
  /// not well formed.
  static func skipOutline(_ reader: inout FileBytes.Reader) -> (headings: Int, hasImagesOrEmbeds: Bool)? {
    guard let headingCount = reader.number(), headingCount < 1 << 24 else { return nil }
    for _ in 0..<headingCount {
      guard reader.number() != nil, reader.skipString(), reader.skipString(), reader.number() != nil, reader.number() != nil
      else { return nil }
    }
    guard let linkCount = reader.number(), linkCount < 1 << 24 else { return nil }
    var figures = false
    for _ in 0..<linkCount {
      guard reader.skipString(), reader.number() != nil, reader.number() != nil, let image = reader.number(),
        let embed = reader.number(), embed <= reader.remaining
      else { return nil }
      reader.position += embed
      if image == 1 || embed > 0 { figures = true }
    }
    return (headingCount, figures)
  }

  /// Headings and links as ``encode(_:into:)`` writes them.
  static func decodeOutline(_ reader: inout FileBytes.Reader) -> (headings: [Heading], links: [LinkReference])? {
    func location() -> SourceLocation? {
      guard let line = reader.number(), let column = reader.number() else { return nil }
      return SourceLocation(line: line, column: column)
    }
    guard let headingCount = reader.number(), headingCount < 1 << 24 else { return nil }
    var headings: [Heading] = []
    headings.reserveCapacity(headingCount)
    for _ in 0..<headingCount {
      guard let level = reader.number(), let title = reader.string(), let id = reader.string(), let at = location() else {
        return nil
      }
      headings.append(Heading(level: level, title: title, id: id, location: at))
    }
    guard let linkCount = reader.number(), linkCount < 1 << 24 else { return nil }
    var links: [LinkReference] = []
    links.reserveCapacity(linkCount)
    for _ in 0..<linkCount {
      guard let destination = reader.string(), let at = location(), let image = reader.number(), let embed = reader.string()
      else { return nil }
      links.append(LinkReference(destination: destination, location: at, isImage: image == 1, embed: EmbedMode(rawValue: embed)))
    }
    return (headings, links)
  }

  /// Search parts as ``encode(_:into:)`` writes them (after their length), for a page with
  /// `headings` headings; nil when they are not well formed.
  static func decodeSearchParts(_ reader: inout FileBytes.Reader, headings: Int) -> [Page.SearchPart]? {
    guard let count = reader.number(), count < 1 << 24 else { return nil }
    var parts: [Page.SearchPart] = []
    parts.reserveCapacity(count)
    for _ in 0..<count {
      guard let heading = reader.number(), heading <= headings, let text = reader.string() else { return nil }
      parts.append(Page.SearchPart(heading: heading == 0 ? nil : heading - 1, text: text))
    }
    return parts
  }

  // MARK: - Where it is kept

  static func file(cache: URL, output: URL) -> URL {
    BuildManifest.folder(cache: cache, output: output).appendingPathComponent("page-summaries.bin")
  }

  static func load(cache: URL, output: URL, wanted: [String: String]) -> PageSummaries {
    PageSummaries(wanted: wanted, file: FileBytes.load(file(cache: cache, output: output).path))
  }

  /// Keeps the summaries of `pages` for the next build. The entries of the pages parsed by this
  /// build are appended to the file (one `write`), so an edit writes one entry, not the guide's;
  /// the file is written anew when it is not well formed or when its stale entries (pages
  /// edited or removed since it was last written whole) weigh more than half its live ones.
  func save(_ pages: [Page], cache: URL, output: URL) {
    let url = Self.file(cache: cache, output: output)
    try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    FileBytes.save(appending: appendix(pages), to: url, whole: { data(pages) })
  }

  /// About the bytes an entry takes in the file (its key, its range and their two lengths).
  private static func entryBytes(key: String, range: Range<Int>) -> Int { range.count + key.utf8.count + 4 }

  /// The entries to append for `pages` (empty: nothing new), or nil when the file must be
  /// written whole.
  func appendix(_ pages: [Page]) -> [UInt8]? {
    guard wellFormed else { return nil }
    var out: [UInt8] = []
    var kept = 0
    // By index: a page is a large value, and a restored page (nearly all) is only counted.
    for index in pages.indices where pages[index].parsedCleanly {
      if pages[index].summaryBytes > 0 {
        kept += pages[index].summaryBytes
        continue
      }
      guard let key = wanted[pages[index].sourcePath] else { continue }
      if let range = entries[key] {
        kept += Self.entryBytes(key: key, range: range)
        continue
      }
      var entry: [UInt8] = []
      Self.encode(pages[index], into: &entry)
      SearchAnalysisCache.put(string: key, into: &out)
      SearchAnalysisCache.put(entry.count, into: &out)
      out += entry
    }
    let stale = fileLength - Self.magic.count - kept
    return 2 * stale > kept + out.count ? nil : out
  }
}
