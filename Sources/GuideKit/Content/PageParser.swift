import Foundation
import Markdown

/// Turns one Markdown source file into a ``Page``: front matter checked against the schema, body
/// parsed by cmark, headings given ids, links and embeds collected.
enum PageParser {
  /// Deeper nesting than this is refused (it is never intended, and it would make rendering slow).
  static let maximumNesting = 64

  static let commonFields = ["title", "summary", "order", "id", "kind", "audience"]
  static let questionFields = commonFields + ["level", "tags", "source", "related"]

  static func kind(forPath path: String) -> PageKind {
    if path == "index.md" { return .home }
    if path.hasPrefix("levels/") { return .level }
    if path.hasPrefix("questions/") { return .question }
    if path.hasPrefix("use-case/") && path != "use-case/index.md" { return .useCase }
    return .page
  }

  static func parse(_ file: SourceFile, config: GuideConfig) -> (Page?, [Diagnostic]) {
    var diagnostics: [Diagnostic] = []
    let path = file.displayPath
    let top = SourceLocation(line: 1, column: 1)

    if file.text.trimmedWhitespace.isEmpty {
      return (nil, [.error(path, top, "page is empty", hint: "start with front matter: '---', 'title: …', '---', then the Markdown body")])
    }
    guard let split = FrontMatter.split(file.text, path: path) else {
      return (
        nil,
        [
          .error(
            path, top, "missing front matter", hint: "start the file with '---', 'title: …' (and level/tags for a question), then '---'")
        ]
      )
    }
    guard let (yaml, body, bodyOffset) = split else {
      return (nil, [.error(path, top, "front matter is not closed", hint: "add a line with '---' after the last front-matter field")])
    }
    let (parsedFront, yamlDiagnostics) = FrontMatter.parse(yaml, path: path, lineOffset: 1)
    diagnostics += yamlDiagnostics
    guard let front = parsedFront else { return (nil, diagnostics) }

    // Kind.
    var kind = kind(forPath: file.relativePath)
    if let value = front.fields["kind"] {
      if let explicit = front.string("kind").flatMap(PageKind.init(rawValue:)) {
        kind = explicit
      } else {
        diagnostics.append(
          .error(
            path, value.location, "unknown kind '\(front.string("kind") ?? "")'",
            hint: Suggestions.hint(for: front.string("kind") ?? "", in: PageKind.allCases.map(\.rawValue), noun: "kind")))
      }
    }

    // Unknown fields.
    let allowed = kind == .question ? questionFields : commonFields + ["level", "tags", "source"]
    for (key, value) in front.fields.sorted(by: { $0.key < $1.key }) where !allowed.contains(key) {
      diagnostics.append(
        .warning(
          path, value.keyLocation, "unknown front-matter field '\(key)'", hint: Suggestions.hint(for: key, in: allowed, noun: "field")))
    }

    // Title.
    var title = ""
    var titleLocation = top
    if let value = front.fields["title"] {
      titleLocation = value.location
      if let s = front.string("title"), !s.trimmedSpaces.isEmpty {
        title = s.trimmedSpaces
      } else {
        diagnostics.append(.error(path, value.location, "title must be non-empty text", hint: "e.g. title: What is IoU?"))
      }
    } else {
      diagnostics.append(.error(path, top, "missing 'title' in front matter", hint: "add a line 'title: …' between the '---' lines"))
    }

    // Level.
    var levelID: String?
    let needsLevel = kind == .question || kind == .level || kind == .useCase
    if let value = front.fields["level"] {
      let id = front.string("level") ?? ""
      if config.level(id) != nil {
        levelID = id
      } else {
        diagnostics.append(
          .error(path, value.location, "unknown level '\(id)'", hint: Suggestions.hint(for: id, in: config.levels.map(\.id), noun: "level"))
        )
      }
    } else if needsLevel {
      diagnostics.append(
        .error(
          path, top, "missing 'level' in front matter",
          hint: "add 'level: …' with one of: \(config.levels.map(\.id).joined(separator: ", "))"))
    }

    // Tags.
    var tagIDs: [String] = []
    if let value = front.fields["tags"] {
      var list: [String] = []
      switch value.content {
      case .list(let items): list = items
      case .scalar(let s): list = s.split(separator: ",").map { $0.trimmedSpaces }
      case .other:
        diagnostics.append(.error(path, value.location, "tags must be a list", hint: "e.g. tags: [detection, metrics]"))
      }
      for tag in list {
        if config.tag(tag) != nil {
          if !tagIDs.contains(tag) { tagIDs.append(tag) }
        } else {
          let column = columnOf(tag, inLine: value.location.line, of: file.text) ?? value.location.column
          diagnostics.append(
            .error(
              path, SourceLocation(line: value.location.line, column: column), "unknown tag '\(tag)'",
              hint: Suggestions.hint(for: tag, in: config.tags.map(\.id), noun: "tag")))
        }
      }
    }
    if kind == .question && tagIDs.isEmpty && front.fields["tags"] == nil {
      diagnostics.append(
        .error(path, top, "missing 'tags' in front matter", hint: "add 'tags: [...]' with ids from the tags list in guide.yml"))
    }

    // Order.
    var order = 1000
    if let value = front.fields["order"] {
      if let n = front.string("order").flatMap({ Int($0) }) {
        order = n
      } else {
        diagnostics.append(.error(path, value.location, "order must be a whole number", hint: "e.g. order: 10"))
      }
    }

    // Id.
    let stem = (file.relativePath as NSString).deletingPathExtension
    var id = kind == .question ? (stem as NSString).lastPathComponent : stem.replacingOccurrences(of: "/", with: "-")
    var idLocation = top
    if let value = front.fields["id"] {
      idLocation = value.location
      let explicit = front.string("id") ?? ""
      if !explicit.isEmpty && explicit.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
        id = explicit
      } else {
        diagnostics.append(.error(path, value.location, "id must be letters, digits, '-' or '_'", hint: "e.g. id: junior-iou"))
      }
    }

    // Body.
    let parsed = MarkdownParser.parse(body, lineOffset: bodyOffset, depthLimit: maximumNesting + 1)
    if parsed.maxDepth > maximumNesting {
      diagnostics.append(
        .error(
          path, SourceLocation(line: bodyOffset + 1, column: 1),
          "Markdown is nested \(parsed.maxDepth) levels deep; the limit is \(maximumNesting)",
          hint: "flatten the nested lists or block quotes"))
      return (nil, diagnostics)
    }
    var allocator = Slug.Allocator()
    var headings: [Heading] = []
    var links: [LinkReference] = []
    collect(parsed.document, allocator: &allocator, headings: &headings, links: &links)
    if kind == .question {
      let sections = headings.filter { $0.level == 2 }.map { $0.title.lowercased() }
      if sections.isEmpty {
        diagnostics.append(
          .warning(
            path, SourceLocation(line: bodyOffset + 1, column: 1), "question has no answer sections",
            hint: "add '## 60-second answer' (and the other sections listed on the authoring page)"))
      } else if !sections.contains(where: { QuestionChecks.section(for: $0)?.name == QuestionChecks.sections[0] }) {
        diagnostics.append(
          .warning(
            path, SourceLocation(line: bodyOffset + 1, column: 1), "question has no '## 60-second answer' section",
            hint: "start the answer with '## 60-second answer'"))
      }
    }
    // `related:` paths: links like any other (checked with their positions), listed first under "Related questions".
    var related: [String] = []
    if let value = front.fields["related"] {
      switch value.content {
      case .list(let items): related = items.map { $0.trimmedSpaces }.filter { !$0.isEmpty }
      case .scalar(let s): related = s.split(separator: ",").map { $0.trimmedSpaces }.filter { !$0.isEmpty }
      case .other:
        diagnostics.append(.error(path, value.location, "related must be a list", hint: "e.g. related: [nms.md, ../junior/iou.md]"))
      }
      for destination in related {
        let column = columnOf(destination, inLine: value.location.line, of: file.text) ?? value.location.column
        links.append(
          LinkReference(
            destination: destination, location: SourceLocation(line: value.location.line, column: column), isImage: false, embed: nil))
      }
    }
    if kind == .question {
      let parts = file.relativePath.split(separator: "/").map(String.init)
      let folderLevel = parts.count == 3 && parts[0] == "questions" && config.level(parts[1]) != nil ? parts[1] : nil
      diagnostics += QuestionChecks.check(
        path: path, folderLevel: folderLevel, front: front, levelID: levelID, tagCount: tagIDs.count, document: parsed.document,
        bodyLine: bodyOffset + 1)
    }
    let summary = front.string("summary")?.trimmedSpaces ?? ""
    var audience = PageAudience.students
    if let value = front.fields["audience"] {
      if let parsed = front.string("audience").flatMap(PageAudience.init(rawValue:)) {
        audience = parsed
      } else {
        diagnostics.append(
          .error(
            path, value.location, "audience must be 'students' or 'authors'",
            hint: "'audience: authors' keeps a page for teachers out of the students' search results"))
      }
    }
    let outputPath = stem + ".html"
    let page = Page(
      kind: kind, id: id, sourcePath: file.relativePath, displayPath: path, outputPath: outputPath, title: title,
      summary: summary, levelID: levelID, tagIDs: tagIDs, order: order, fromArticle: front.string("source") == "article",
      body: PageBody(parsed.document, text: file.text, bodyLineOffset: bodyOffset),
      outline: PageOutline(headings: headings, links: links),
      idLocation: idLocation, titleLocation: titleLocation,
      levelLocation: front.fields["level"]?.location ?? top, relatedPaths: related, audience: audience,
      relatedSectionLinks: relatedSectionLinks(parsed.document), bodyLineOffset: bodyOffset,
      searchText: SearchPartsText(SearchSections.parts(of: parsed.document, headings: headings, summary: summary)))
    return (page, diagnostics)
  }

  /// The link destinations inside the "Related" section (from a `#`/`##` heading starting with
  /// "Related" to the next such heading), in order.
  static func relatedSectionLinks(_ document: MarkdownNode) -> [String] {
    var out: [String] = []
    var inRelated = false
    for block in document.children {
      if case .heading(let level) = block.kind, level <= 2 {
        inRelated = block.plainText.trimmedSpaces.lowercased().hasPrefix("related")
        continue
      }
      if inRelated { out += SiteLinker.linkDestinations(in: block) }
    }
    return out
  }

  /// Walks the tree collecting headings and links (recursion is safe: the depth is bounded above).
  private static func collect(
    _ node: MarkdownNode, allocator: inout Slug.Allocator, headings: inout [Heading], links: inout [LinkReference]
  ) {
    switch node.kind {
    case .heading(let level):
      let title = node.plainText.trimmedSpaces
      headings.append(Heading(level: level, title: title, id: allocator.allocate(title), location: node.range.start))
    case .paragraph:
      if node.children.count == 1, case .link(let destination, let title) = node.children[0].kind,
        let mode = EmbedMode(rawValue: title.trimmedSpaces.lowercased())
      {
        links.append(LinkReference(destination: destination, location: node.children[0].range.start, isImage: false, embed: mode))
        return
      }
    case .link(let destination, _):
      links.append(LinkReference(destination: destination, location: node.range.start, isImage: false, embed: nil))
    case .image(let source, _):
      links.append(LinkReference(destination: source, location: node.range.start, isImage: true, embed: nil))
    default:
      break
    }
    for child in node.children {
      collect(child, allocator: &allocator, headings: &headings, links: &links)
    }
  }

  /// The 1-based byte column of `needle` in line `line` of `text`, if present.
  static func columnOf(_ needle: String, inLine line: Int, of text: String) -> Int? {
    guard let lineText = DiagnosticPrinter.line(line, of: text), let range = lineText.range(of: needle) else { return nil }
    return lineText.utf8.distance(from: lineText.startIndex, to: range.lowerBound) + 1
  }
}
