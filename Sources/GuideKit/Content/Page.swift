import Markdown

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
  public var document: MarkdownNode
  public var headings: [Heading]
  public var links: [LinkReference]
  /// Location of the `id:` field (or the top of the file) for duplicate-id diagnostics.
  public var idLocation: SourceLocation
  public var titleLocation: SourceLocation
  /// Location of the `level:` value (or the top of the file).
  public var levelLocation: SourceLocation = SourceLocation(line: 1, column: 1)
  /// The `related:` front-matter paths (also in ``links``, so they are checked like links).
  public var relatedPaths: [String] = []
  /// Who the page is for: `audience: authors` (the authoring page) ranks after every page for students.
  public var audience: PageAudience = .students
}

/// Who a page is written for (front matter `audience:`).
public enum PageAudience: String, Sendable, Hashable {
  case students
  case authors
}
