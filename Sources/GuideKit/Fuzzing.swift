import Foundation
import Markdown

/// The fuzzing entry point: front matter + Markdown + link resolution + rendering on one input.
/// Checks the safety invariants the generator promises and traps when one breaks.
public enum Fuzzing {
  static let config = GuideConfig(
    title: "Fuzz", description: "", author: "", siteURL: nil, rawHTML: .escape,
    levels: [.init(id: "junior", name: "Junior"), .init(id: "mid", name: "Mid")],
    tags: [.init(id: "cnn", name: "CNN"), .init(id: "detection", name: "Detection")], synonyms: [])

  /// Runs one input. The input is split at the first NUL byte into two pages, so links between
  /// pages are exercised too.
  public static func run(_ data: [UInt8]) {
    let parts = data.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
    var files: [SourceFile] = []
    var diagnostics: [Diagnostic] = []
    for (index, part) in parts.enumerated() {
      let relative = index == 0 ? "questions/junior/a.md" : "levels/b.md"
      guard let decoded = SourceText.decode(Array(part), path: relative) else { continue }
      diagnostics += decoded.diagnostics
      if decoded.diagnostics.hasErrors { continue }
      files.append(SourceFile(relativePath: relative, displayPath: relative, text: decoded.text))
    }
    let snippet = SourceFile(
      relativePath: "snippets/s.swift", displayPath: "snippets/s.swift",
      text: "// snippet.title: S\n// snippet.core\nprint(1)\n// snippet.end\n")
    let sources = GuideSources(
      config: config, markdown: files, snippets: [snippet], sharedSnippetCode: [], expectedOutputs: [], assets: [:])
    let (site, linkDiagnostics) = SiteLinker.link(sources, jobs: 1)
    diagnostics += linkDiagnostics
    for d in diagnostics {
      precondition(d.location.line >= 1 && d.location.column >= 1, "diagnostic without a valid position: \(d)")
    }
    for index in site.pages.indices {
      let renderer = MarkdownHTMLRenderer(site: site, pageIndex: index) { name, _, _ in "<figure>\(name)</figure>" }
      let cursor = MarkdownHTMLRenderer.HeadingCursor(site.pages[index].headings)
      let html = renderer.render(site.pages[index].document.children[...], cursor: cursor)
      // With raw_html: escape, content can never produce markup that runs script.
      let lower = html.lowercased()
      precondition(!lower.contains("<script"), "unescaped <script> in output")
      precondition(!lower.contains("javascript:"), "javascript: URL in output")
      precondition(!lower.contains(" onerror="), "event handler attribute in output")
      // Attributes never break out of their quotes.
      for href in site.links[index].keys {
        let rendered = renderer.href(for: href)
        precondition(!rendered.contains("\""), "quote in rendered href")
      }
    }
  }
}
