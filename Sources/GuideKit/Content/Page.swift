import Markdown
import Synchronization

/// The kinds of page a guide has.
public enum PageKind: String, Sendable, Hashable, CaseIterable {
  case home
  case level
  case question
  case useCase = "use-case"
  case page
}

/// A heading of a page, with its unique id (slug).
public struct Heading: Sendable, Hashable {
  public var level: Int
  public var title: String
  public var id: String
  public var location: SourceLocation
}

/// How an embedded snippet is shown.
public enum EmbedMode: String, Sendable, Hashable {
  case codeAndOutput = "embed"
  case code = "embed code"
  case output = "embed output"
}

/// A link (or image) found in a page's Markdown, before resolution.
public struct LinkReference: Sendable, Hashable {
  public var destination: String
  public var location: SourceLocation
  public var isImage: Bool
  /// Set when the link stands alone in its paragraph with an `embed` title.
  public var embed: EmbedMode?
}

/// One Markdown page of the guide after loading and parsing: front matter and body tree.
public struct Page: Sendable {
  public var kind: PageKind
  public var id: String
  /// Path inside `Guide/`, with `/` separators (e.g. `questions/junior/cnn.md`).
  public var sourcePath: String
  /// Path shown in diagnostics (relative to the working directory).
  public var displayPath: String
  /// Path of the built page inside the site (e.g. `questions/junior/cnn.html`).
  public var outputPath: String
  public var title: String
  public var summary: String
  public var levelID: String?
  public var tagIDs: [String]
  public var order: Int
  public var fromArticle: Bool
  /// The Markdown tree of the body: parsed with the page, or parsed on first use when the page
  /// came from the summary cache (``PageSummaries``).
  public var body: PageBody
  public var document: MarkdownNode { body.document }
  public var headings: [Heading] {
    get { outline.headings }
    set { outline = PageOutline(headings: newValue, links: outline.links) }
  }
  public var links: [LinkReference] {
    get { outline.links }
    set { outline = PageOutline(headings: outline.headings, links: newValue) }
  }
  /// Its headings and links (restored pages decode them from the summaries file when asked).
  var outline: PageOutline
  /// Location of the `id:` field (or the top of the file) for duplicate-id diagnostics.
  public var idLocation: SourceLocation
  public var titleLocation: SourceLocation
  /// Location of the `level:` value (or the top of the file).
  public var levelLocation: SourceLocation = SourceLocation(line: 1, column: 1)
  /// The `related:` front-matter paths (also in ``links``, so they are checked like links).
  public var relatedPaths: [String] = []
  /// Who the page is for: `audience: authors` (the authoring page) ranks after every page for students.
  public var audience: PageAudience = .students
  /// Link destinations inside the page's "Related" section (a `##` heading starting with
  /// "Related"), in order: with the `related:` paths, its related questions.
  public var relatedSectionLinks: [String] = []
  /// The line of the file before the body's first line (the front matter's last line).
  public var bodyLineOffset = 0
  /// True when parsing the page gave no diagnostic: its summary may be kept for the next build.
  public var parsedCleanly = false
  /// What the page shows of itself to the rest of the site, hashed (``RenderKeys/pageDigest(_:)``):
  /// kept in its summary, so a restored page has it; nil for a page parsed by this build.
  var structureDigest: String?
  /// The page's searchable text by section (``SearchSections``), made when it is parsed. A page
  /// restored from the summary cache decodes it from the cache file on each use: most builds
  /// need it for a few pages only, and it is most of a summary's bytes.
  public var searchParts: [SearchPart] {
    get { searchText.parts }
    set { searchText = SearchPartsText(newValue) }
  }
  var searchText = SearchPartsText([])
  /// For a page restored from the summaries file, the bytes of its entry there (0 otherwise):
  /// what the file keeps for it when it is saved again (``PageSummaries/appendix(_:)``).
  var summaryBytes = 0

  /// One section's searchable text: the lead (no heading) or a heading's (index in ``headings``).
  public struct SearchPart: Sendable, Hashable {
    public var heading: Int?
    public var text: String
  }
}

/// A page's headings and links (``Page/headings``, ``Page/links``): as the parser found them, or,
/// for a page restored from the summaries file (``PageSummaries``), their encoding there, decoded
/// once, when first asked for. A build that keeps the last build's link (``LinkSnapshot``) asks
/// for them only for the pages it renders and the targets of their links: at 10,000 pages most
/// of the 160,000 heading and link strings are then never made.
struct PageOutline: Sendable {
  private final class Encoded: Sendable {
    let file: FileBytes
    let range: Range<Int>
    let hasImagesOrEmbeds: Bool
    let decoded = Mutex<(headings: [Heading], links: [LinkReference])?>(nil)

    init(file: FileBytes, range: Range<Int>, hasImagesOrEmbeds: Bool) {
      self.file = file
      self.range = range
      self.hasImagesOrEmbeds = hasImagesOrEmbeds
    }

    var value: (headings: [Heading], links: [LinkReference]) {
      decoded.withLock { decoded in
        if let decoded { return decoded }
        var reader = FileBytes.Reader(file, position: range.lowerBound)
        let value = PageSummaries.decodeOutline(&reader) ?? ([], [])
        decoded = value
        return value
      }
    }
  }

  private enum Form: Sendable {
    case decoded([Heading], [LinkReference])
    case encoded(Encoded)
  }
  private let form: Form

  init(headings: [Heading], links: [LinkReference]) { form = .decoded(headings, links) }

  /// The headings and links encoded at `range` of `file`, checked well formed, and whether a
  /// link is an image or an embed (``PageSummaries/skipOutline(_:)``).
  init(encoded file: FileBytes, _ range: Range<Int>, hasImagesOrEmbeds: Bool) {
    form = .encoded(Encoded(file: file, range: range, hasImagesOrEmbeds: hasImagesOrEmbeds))
  }

  var headings: [Heading] {
    switch form {
    case .decoded(let headings, _): return headings
    case .encoded(let encoded): return encoded.value.headings
    }
  }

  var links: [LinkReference] {
    switch form {
    case .decoded(_, let links): return links
    case .encoded(let encoded): return encoded.value.links
    }
  }

  /// Whether a link is an image or an embed (the pages whose figures are checked), known without
  /// decoding the links.
  var hasImagesOrEmbeds: Bool {
    switch form {
    case .decoded(_, let links): return links.contains { $0.isImage || $0.embed != nil }
    case .encoded(let encoded): return encoded.hasImagesOrEmbeds
    }
  }

  /// Appends the encoding when it came from the summaries file (written again as it is, not
  /// decoded and encoded); false when it did not.
  func copyEncoded(into out: inout [UInt8]) -> Bool {
    guard case .encoded(let encoded) = form else { return false }
    withExtendedLifetime(encoded.file) { out += UnsafeRawBufferPointer(rebasing: encoded.file.buffer[encoded.range]) }
    return true
  }
}

/// A page's search parts (``Page/searchParts``): as the parser made them, or their encoding in
/// the summaries file (``PageSummaries``), decoded when asked for. The encoding is stepped over by
/// its length when the page is restored (most of a summary's bytes, never read by an edit), and
/// checked when it is decoded: parts that are not well formed, or name a heading the page does
/// not have, read as none.
struct SearchPartsText: Sendable {
  private enum Form: Sendable {
    case parts([Page.SearchPart])
    case encoded(FileBytes, Range<Int>, headings: Int)
  }
  private let form: Form

  init(_ parts: [Page.SearchPart]) { form = .parts(parts) }

  /// The parts encoded at `range` of `file`, for a page with `headings` headings.
  init(encoded file: FileBytes, _ range: Range<Int>, headings: Int) { form = .encoded(file, range, headings: headings) }

  var parts: [Page.SearchPart] {
    switch form {
    case .parts(let parts): return parts
    case .encoded(let file, let range, let headings):
      var reader = FileBytes.Reader(file, position: range.lowerBound)
      guard let parts = PageSummaries.decodeSearchParts(&reader, headings: headings), reader.position == range.upperBound
      else { return [] }
      return parts
    }
  }

  /// Appends the encoded parts, with their length, when they came from the summaries file (they
  /// are written again as they are, not decoded and encoded); false when they did not.
  func copyEncoded(into out: inout [UInt8]) -> Bool {
    guard case .encoded(let file, let range, _) = form else { return false }
    SearchAnalysisCache.put(range.count, into: &out)
    withExtendedLifetime(file) { out += UnsafeRawBufferPointer(rebasing: file.buffer[range]) }
    return true
  }
}

/// A page's Markdown tree. A page parsed in this build holds its tree until the build has
/// rendered it (``release()``), then only its Markdown; a page restored from the summary cache
/// (``PageSummaries``) parses its file the first time its tree is needed. So the trees of a
/// large guide are never all in memory at once.
public final class PageBody: Sendable {
  private let tree: Mutex<MarkdownNode?>
  /// The HTML of code blocks highlighted while the tree is held, by language and code: the page,
  /// its print part and its quiz item each render the body, and highlighting was a tenth of that.
  private let highlighted = Mutex<[String: String]>([:])
  /// The page's source text (a page parsed by this build: the loaded text, not a copy), or nil:
  /// read it from `path`.
  private let text: String?
  /// The source file (absolute path) of a restored page.
  private let path: String?
  /// The line of the file before the body's first line.
  private let bodyLineOffset: Int

  /// A parsed body, with its page's source text to parse again after ``release()``.
  init(_ document: MarkdownNode, text: String, bodyLineOffset: Int) {
    tree = Mutex(document)
    self.text = text
    path = nil
    self.bodyLineOffset = bodyLineOffset
  }

  /// A body parsed from `path` on first use.
  init(path: String, bodyLineOffset: Int) {
    tree = Mutex(nil)
    text = nil
    self.path = path
    self.bodyLineOffset = bodyLineOffset
  }

  /// True for a page restored from the summary cache (its file was not read by this build).
  public var isRestored: Bool { path != nil }

  /// True when the tree is not in memory.
  public var isDeferred: Bool { tree.withLock { $0 == nil } }

  public var document: MarkdownNode {
    tree.withLock { tree in
      if let tree { return tree }
      let parsed = parse()
      tree = parsed
      return parsed
    }
  }

  /// Drops the tree (it is parsed again if it is needed again).
  public func release() {
    tree.withLock { $0 = nil }
    highlighted.withLock { $0 = [:] }
  }

  /// A code block's highlighted HTML, made by `make` the first time the body's renderings need it.
  func highlighted(_ code: String, language: String, _ make: (String) -> String) -> String {
    let key = language + "\u{0}" + code
    if let html = highlighted.withLock({ $0[key] }) { return html }
    let html = make(code)
    highlighted.withLock { $0[key] = html }
    return html
  }

  /// The body parsed as the page parser parses it, from the source text or the file (an empty
  /// document when the file cannot be read any more: the next build reports it).
  private func parse() -> MarkdownNode {
    var source = text
    if source == nil, let path, case .success(let bytes) = GuideLoader.readRegularFile(path) {
      source = SourceText.decode(Array(bytes), path: path)?.text
    }
    guard let source, case .some(.some(let split)) = FrontMatter.split(source, path: path ?? "") else {
      return MarkdownNode(kind: .document, range: SourceRange(start: .init(line: 1, column: 1), end: .init(line: 1, column: 1)))
    }
    return MarkdownParser.parse(split.body, lineOffset: split.bodyLineOffset, depthLimit: PageParser.maximumNesting + 1).document
  }
}

/// Who a page is written for (front matter `audience:`).
public enum PageAudience: String, Sendable, Hashable {
  case students
  case authors
}
