import Foundation
import Markdown

/// Extracts search sections (one per page lead and per `##`/`###` heading) from the site model.
enum SearchSections {
  /// The search index's pages (the guide's, then the snippets'), their sections made on demand:
  /// an update of the index needs the sections of a few pages only.
  static func source(of site: SiteModel, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) -> SearchIndexSource {
    let urls =
      site.pages.indices.map { SiteModel.encodePath(site.pages[$0].outputPath) }
      + site.snippets.map { SiteModel.encodePath($0.outputPath) }
    let pageCount = site.pages.count
    return SearchIndexSource(urls: urls) { range in
      if range == 0..<urls.count { return sections(of: site, jobs: jobs) }
      let pages = range.clamped(to: 0..<pageCount)
      let snippets = range.clamped(to: pageCount..<urls.count)
      return sections(of: site, pages: pages)
        + snippets.map { snippetSection(site.snippets[$0 - pageCount]) }
    }
  }

  static func sections(of site: SiteModel, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) -> [SearchSection] {
    // Pages in runs of 256, on `jobs` threads; the runs are joined in order.
    let runs = stride(from: 0, to: site.pages.count, by: 256).map { $0..<min($0 + 256, site.pages.count) }
    var out = ParallelMap.map(runs, jobs: jobs) { run in sections(of: site, pages: run) }.flatMap { $0 }
    out += site.snippets.map(snippetSection)
    return out
  }

  /// A snippet's page in the index: its name and title.
  static func snippetSection(_ snippet: Snippet) -> SearchSection {
    SearchSection(
      url: SiteModel.encodePath(snippet.outputPath), pageTitle: snippet.title, heading: nil, kind: "snippet", levelID: nil, tagIDs: [],
      breadcrumb: "Snippets › \(snippet.name).swift", text: snippet.name + " " + snippet.title)
  }

  /// The sections of the pages `indices`, in order.
  static func sections(of site: SiteModel, pages indices: Range<Int>) -> [SearchSection] {
    var out: [SearchSection] = []
    let config = site.config
    for page in site.pages[indices] {
      let levelName = page.levelID.flatMap { config.level($0)?.name }
      let breadcrumb = ([levelName].compactMap { $0 } + [page.title]).joined(separator: " › ")
      for part in page.searchParts {
        let heading = part.heading.map { page.headings[$0] }
        let url = SiteModel.encodePath(page.outputPath) + (heading.map { "#" + $0.id } ?? "")
        out.append(
          SearchSection(
            url: url, pageTitle: page.title, heading: heading?.title, kind: page.kind.rawValue,
            levelID: page.levelID, tagIDs: page.tagIDs, breadcrumb: breadcrumb,
            text: part.text, summary: page.summary, forAuthors: page.audience == .authors))
      }
    }
    return out
  }

  /// A page's searchable text by section (the lead, with the summary, then one per `#`–`###`
  /// heading), computed when the page is parsed so the index never needs the tree again.
  static func parts(of document: MarkdownNode, headings: [Heading], summary: String) -> [Page.SearchPart] {
    // Headings by position: a heading inside a quote or a list has an id too, but is no section.
    var headingAt: [SourceLocation: Int] = [:]
    for (index, heading) in headings.enumerated() where headingAt[heading.location] == nil { headingAt[heading.location] = index }
    var out: [Page.SearchPart] = []
    var current: (heading: Int?, text: String) = (nil, summary)
    for block in document.children {
      if case .heading(let level) = block.kind, level <= 3 {
        out.append(Page.SearchPart(heading: current.heading, text: current.text.trimmedWhitespace))
        current = (headingAt[block.range.start], "")
        continue
      }
      current.text += " " + text(of: block)
    }
    out.append(Page.SearchPart(heading: current.heading, text: current.text.trimmedWhitespace))
    return out
  }

  /// Searchable text of a block. Unlike ``MarkdownNode/plainText`` it keeps raw HTML (shown as
  /// text under `raw_html: escape`) and separates blocks, so words of adjacent paragraphs stay apart.
  static func text(of node: MarkdownNode) -> String {
    var out = ""
    append(node, to: &out)
    return out
  }

  static func append(_ node: MarkdownNode, to out: inout String) {
    switch node.kind {
    case .text(let s), .code(let s): out += s
    case .softBreak, .lineBreak: out += " "
    case .codeBlock(_, let literal): out += " " + literal + " "
    case .htmlBlock(let s), .htmlInline(let s): out += s
    case .image(_, let title) where FigureEmbed.figureName(inTitle: title) != nil:
      return  // figures are pictures, not text to search
    default: break  // math (`.math`) is not indexed: its TeX would only add noise such as 'frac'
    }
    for child in node.children { append(child, to: &out) }
    if node.isBlock { out += " " }
  }
}

/// The pages of the search index in order (by URL) and their sections, made on demand.
struct SearchIndexSource: Sendable {
  var urls: [String]
  /// The sections of the pages `range`, in order.
  var sections: @Sendable (Range<Int>) -> [SearchSection]
}
