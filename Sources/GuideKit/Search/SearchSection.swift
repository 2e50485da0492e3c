/// One searchable unit: a page's lead text or one of its `##`/`###` sections.
///
/// The generator makes these from the rendered pages; `SearchIndexBuilder` turns a list of them
/// into the JavaScript files of the offline search (see docs/search.md).
public struct SearchSection: Sendable, Equatable {
  /// Relative to the site root, e.g. `questions/junior/cnn.html#pooling`
  /// (no fragment for a page's lead section).
  public var url: String
  public var pageTitle: String
  /// `nil` for the page's lead section (the text before the first heading).
  public var heading: String?
  /// `question`, `level`, `use-case`, `page` or `snippet`.
  public var kind: String
  public var levelID: String?
  public var tagIDs: [String]
  /// e.g. `Junior › How does a CNN work?`
  public var breadcrumb: String
  /// Plain text of the section (no markup).
  public var text: String
  /// The page's one-line summary (front matter): its words count for the whole page, like its title.
  public var summary: String

  /// Pages written for teachers (`audience: authors`) come after every page for students.
  public var forAuthors: Bool

  public init(
    url: String, pageTitle: String, heading: String?, kind: String, levelID: String?,
    tagIDs: [String], breadcrumb: String, text: String, summary: String = "", forAuthors: Bool = false
  ) {
    self.url = url
    self.pageTitle = pageTitle
    self.heading = heading
    self.kind = kind
    self.levelID = levelID
    self.tagIDs = tagIDs
    self.breadcrumb = breadcrumb
    self.text = text
    self.summary = summary
    self.forAuthors = forAuthors
  }
}
