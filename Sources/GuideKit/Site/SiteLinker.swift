import Foundation
import Markdown

/// The Link stage: parses every page and snippet, checks ids, resolves every link and embed, and
/// derives navigation (levels, order, backlinks, related questions, snippet users).
public enum SiteLinker {
  /// Links the pages parsed from `sources.markdown` and the `reused` ones (restored from the
  /// summary cache, whose files were not read: ``PageSummaries``).
  public static func link(_ sources: GuideSources, reused: consuming [Page] = [], jobs: Int) -> (SiteModel, [Diagnostic]) {
    link(sources, reused: reused, jobs: jobs, snapshot: nil)
  }

  /// The last build's link (``LinkSnapshot``) with what decides whether it holds: the key of
  /// this build's other inputs and each page's source hash.
  struct Previous {
    var snapshot: LinkSnapshot
    var inputs: String
    var sourceHash: (String) -> String?
  }

  /// As ``link(_:reused:jobs:)``; when `snapshot` holds for this build's pages, only the links of
  /// the pages parsed from their files are resolved now (the rest on first use, ``PageLinks``)
  /// and what depends on every page's links is taken from it (then the site's ``SiteModel/linkSnapshot``
  /// is that snapshot).
  static func link(
    _ sources: GuideSources, reused: consuming [Page], jobs: Int, snapshot previous: Previous?
  ) -> (SiteModel, [Diagnostic]) {
    let config = sources.config
    var diagnostics: [Diagnostic] = []

    // Parse pages in parallel; results land by index, so the order is deterministic.
    let files = sources.markdown
    let parsed = ParallelMap.map(files, jobs: jobs) { file in
      let (page, pageDiagnostics) = PageParser.parse(file, config: config)
      let checks = page.map { MarkdownChecks.check($0, source: file.text, config: config) } ?? []
      // What the site needs of the page is collected: the tree goes until the page is rendered.
      page?.body.release()
      return (page, pageDiagnostics + checks)
    }
    // Taken over, not copied (a page is a large value).
    var pages: [Page] = consume reused
    pages.reserveCapacity(pages.count + parsed.count)
    for (page, pageDiagnostics) in parsed {
      diagnostics += pageDiagnostics
      if var page {
        page.parsedCleanly = pageDiagnostics.isEmpty
        pages.append(page)
      }
    }
    pages.sort { $0.outputPath < $1.outputPath }
    // What each parsed page shows of itself, hashed once: kept in its summary, compared with the
    // snapshot, used by the render keys (a restored page has it from its summary).
    let parsedIndexes = pages.indices.filter { pages[$0].structureDigest == nil }
    let digests = ParallelMap.map(parsedIndexes, jobs: jobs) { [pages] in RenderKeys.pageDigest(pages[$0]) }
    for (index, digest) in zip(parsedIndexes, digests) { pages[index].structureDigest = digest }

    // Unique ids and question titles.
    // (Indexes, not pages: a page is a large value, and this runs over every page.)
    var firstByID: [String: Int] = [:]
    var firstByTitleSlug: [String: Int] = [:]
    for index in pages.indices {
      let id = pages[index].id
      if let other = firstByID[id] {
        diagnostics.append(
          .error(
            pages[index].displayPath, pages[index].idLocation, "duplicate id '\(id)' (also used by \(pages[other].displayPath))",
            hint: "give one of them a different 'id:' or file name"))
      } else {
        firstByID[id] = index
      }
      if pages[index].kind == .question, !pages[index].title.isEmpty {
        let slug = Slug.make(pages[index].title)
        if let other = firstByTitleSlug[slug] {
          diagnostics.append(
            .error(
              pages[index].displayPath, pages[index].titleLocation,
              "two questions have the same title slug '\(slug)' (also \(pages[other].displayPath))",
              hint: "reword one of the titles so readers and search can tell them apart"))
        } else {
          firstByTitleSlug[slug] = index
        }
      }
    }
    let levelPageIndexes = pages.indices.filter { pages[$0].kind == .level }
    for level in config.levels {
      let same = levelPageIndexes.filter { pages[$0].levelID == level.id }
      if same.count > 1 {
        for index in same {
          diagnostics.append(.error(pages[index].displayPath, pages[index].titleLocation, "more than one level page for '\(level.id)'"))
        }
      }
    }

    // Snippets.
    let sharedFiles = sources.sharedSnippetCode.map(SnippetParser.parseShared).sorted { $0.fileName < $1.fileName }
    var snippets: [Snippet] = []
    let expectedByName = Dictionary(
      sources.expectedOutputs.map { ((($0.relativePath as NSString).lastPathComponent as NSString).deletingPathExtension, $0) },
      uniquingKeysWith: { a, _ in a })
    for file in sources.snippets {
      var (snippet, snippetDiagnostics) = SnippetParser.parse(file)
      diagnostics += snippetDiagnostics
      for use in snippet.uses where !sharedFiles.contains(where: { $0.fileName == use }) {
        diagnostics.append(
          .error(
            snippet.displayPath, snippet.usesLocation, "shared file '\(use)' does not exist in snippets/Shared",
            hint: Suggestions.hint(for: use, in: sharedFiles.map(\.fileName), noun: "shared file")))
      }
      if let expectedFile = expectedByName[snippet.name] {
        let (expected, expectedDiagnostics) = ExpectedOutput.parse(expectedFile.text, displayPath: expectedFile.displayPath)
        diagnostics += expectedDiagnostics
        snippet.expected = expected
      }
      snippets.append(snippet)
    }
    for shared in sharedFiles {
      for use in shared.uses where !sharedFiles.contains(where: { $0.fileName == use }) {
        diagnostics.append(
          .error(
            shared.displayPath, shared.usesLocation, "shared file '\(use)' does not exist in snippets/Shared",
            hint: Suggestions.hint(for: use, in: sharedFiles.map(\.fileName), noun: "shared file")))
      }
    }
    for (name, file) in expectedByName.sorted(by: { $0.key < $1.key }) where !snippets.contains(where: { $0.name == name }) {
      diagnostics.append(
        .warning(
          file.displayPath, SourceLocation(line: 1, column: 1), "expected output for a snippet that does not exist ('\(name).swift')"))
    }
    snippets.sort { $0.name < $1.name }

    // Resolve links.
    let pageIndexBySource = Dictionary(pages.indices.map { (pages[$0].sourcePath, $0) }, uniquingKeysWith: { a, _ in a })
    if let previous, diagnostics.isEmpty,
      previous.snapshot.holds(for: pages, inputs: previous.inputs, sourceHash: previous.sourceHash)
    {
      return linkFromSnapshot(
        previous.snapshot, pages: pages, parsed: parsedIndexes, pageIndexBySource: pageIndexBySource, snippets: snippets,
        sharedFiles: sharedFiles, sources: sources, jobs: jobs)
    }
    var links: [[String: ResolvedLink]] = Array(repeating: [:], count: pages.count)
    var backlinkSets: [Set<Int>] = Array(repeating: [], count: pages.count)
    var snippetUserSets: [String: Set<Int>] = [:]
    var snippetsOfPage: [[String]] = Array(repeating: [], count: pages.count)
    var usedAssets: [String: String] = [:]
    let budget = SuggestionBudget()
    // Every page's links on every core; a page with a problem is resolved again below, in
    // order, so that its diagnostics and "did you mean" suggestions (within the build's budget)
    // are those of resolving page after page.
    let allPages = pages
    let allSnippets = snippets
    let runs = stride(from: 0, to: pages.count, by: 256).map { $0..<min($0 + 256, allPages.count) }
    let resolvedRuns = ParallelMap.map(runs, jobs: jobs) { run in
      run.map { index -> [String: ResolvedLink]? in
        var found: [String: ResolvedLink] = [:]
        for reference in allPages[index].links {
          let (resolved, problem) = resolve(
            reference, in: index, pages: allPages, pageIndexBySource: pageIndexBySource, snippets: allSnippets,
            assets: sources.assets, rawHTML: config.rawHTML, suggestions: SuggestionBudget(comparisons: 0))
          if problem != nil { return nil }
          if let resolved { found[reference.destination] = resolved }
        }
        return found
      }
    }
    for (index, resolvedFirst) in resolvedRuns.joined().enumerated() {
      if let resolvedFirst {
        links[index] = resolvedFirst
      } else {
        for reference in pages[index].links {
          let (resolved, problem) = resolve(
            reference, in: index, pages: pages, pageIndexBySource: pageIndexBySource, snippets: snippets,
            assets: sources.assets, rawHTML: config.rawHTML, suggestions: budget)
          if let problem {
            diagnostics.append(problem)
            continue
          }
          guard let resolved else { continue }
          links[index][reference.destination] = resolved
        }
      }
      var pageSnippets: Set<String> = []
      for resolved in links[index].values {
        switch resolved {
        case .page(let target, _):
          if target != index { backlinkSets[target].insert(index) }
        case .snippet(let name, _):
          snippetUserSets[name, default: []].insert(index)
          pageSnippets.insert(name)
        case .asset(let path):
          usedAssets[path] = sources.assets[path]
        case .external:
          break
        }
      }
      snippetsOfPage[index] = pageSnippets.sorted()
    }

    let levels = levelsAndOrder(pages, config: config)

    // Related questions: the `related:` paths, then the links inside a "Related" section.
    var related: [[Int]] = Array(repeating: [], count: pages.count)
    for index in pages.indices {
      var result: [Int] = []
      for destination in pages[index].relatedPaths {
        if case .page(let target, _)? = links[index][destination], pages[target].kind == .question, target != index,
          !result.contains(target)
        {
          result.append(target)
        }
      }
      for destination in pages[index].relatedSectionLinks {
        if case .page(let target, _)? = links[index][destination], pages[target].kind == .question, target != index,
          !result.contains(target)
        {
          result.append(target)
        }
      }
      related[index] = result
    }

    let model = SiteModel(
      config: config, pages: pages, snippets: snippets, sharedFiles: sharedFiles, links: PageLinks(links),
      questionsByLevel: levels.questionsByLevel, levelPages: levels.levelPages, useCasePages: levels.useCasePages,
      backlinks: backlinkSets.map { $0.sorted() }, related: related,
      snippetUsers: snippetUserSets.mapValues { $0.sorted() }, snippetsOfPage: snippetsOfPage, assets: usedAssets)
    return (model, diagnostics + levels.diagnostics)
  }

  /// The site linked with the last build's snapshot (which holds): the parsed pages' links
  /// resolved now, every other page's on first use; backlinks, related questions, snippets and
  /// assets as the snapshot has them.
  private static func linkFromSnapshot(
    _ snapshot: LinkSnapshot, pages: [Page], parsed: [Int], pageIndexBySource: [String: Int], snippets: [Snippet],
    sharedFiles: [SharedSnippetFile], sources: GuideSources, jobs: Int
  ) -> (SiteModel, [Diagnostic]) {
    let config = sources.config
    let resolveAll: @Sendable (Int) -> [String: ResolvedLink] = { [assets = sources.assets] index in
      var found: [String: ResolvedLink] = [:]
      for reference in pages[index].links {
        let (resolved, _) = resolve(
          reference, in: index, pages: pages, pageIndexBySource: pageIndexBySource, snippets: snippets, assets: assets,
          rawHTML: config.rawHTML, suggestions: SuggestionBudget(comparisons: 0))
        if let resolved { found[reference.destination] = resolved }
      }
      return found
    }
    var resolved: [[String: ResolvedLink]?] = Array(repeating: nil, count: pages.count)
    for (index, links) in zip(parsed, ParallelMap.map(parsed, jobs: jobs, resolveAll)) { resolved[index] = links }
    var snippetUsers: [String: [Int]] = [:]
    for (index, names) in snapshot.snippetsOfPage.enumerated() {
      for name in names { snippetUsers[name, default: []].append(index) }
    }
    let levels = levelsAndOrder(pages, config: config)
    let model = SiteModel(
      config: config, pages: pages, snippets: snippets, sharedFiles: sharedFiles,
      links: PageLinks(resolved, resolve: resolveAll),
      questionsByLevel: levels.questionsByLevel, levelPages: levels.levelPages, useCasePages: levels.useCasePages,
      backlinks: snapshot.backlinks, related: snapshot.related, snippetUsers: snippetUsers, snippetsOfPage: snapshot.snippetsOfPage,
      assets: snapshot.assets)
    var site = model
    site.linkSnapshot = snapshot
    return (site, levels.diagnostics)
  }

  /// Per level: its questions in reading order, its level page and its use-case page.
  private static func levelsAndOrder(
    _ pages: [Page], config: GuideConfig
  ) -> (questionsByLevel: [String: [Int]], levelPages: [String: Int], useCasePages: [String: Int], diagnostics: [Diagnostic]) {
    var diagnostics: [Diagnostic] = []
    var questionsByLevel: [String: [Int]] = [:]
    var levelPages: [String: Int] = [:]
    var useCasePages: [String: Int] = [:]
    for index in pages.indices {
      guard let level = pages[index].levelID else { continue }
      switch pages[index].kind {
      case .question: questionsByLevel[level, default: []].append(index)
      case .level: levelPages[level] = index
      case .useCase:
        if let first = useCasePages[level] {
          diagnostics.append(
            .error(
              pages[index].displayPath, pages[index].levelLocation, "a second use-case page for level '\(level)'",
              hint:
                "\(pages[first].displayPath) is already the use case for this level; merge the two pages, or give this one another level"
            ))
        } else {
          useCasePages[level] = index
        }
      default: break
      }
    }
    for (level, indexes) in questionsByLevel {
      // By index: binding a page to compare it would copy the whole value, twice per comparison.
      questionsByLevel[level] = indexes.sorted {
        (pages[$0].order, pages[$0].title, pages[$0].sourcePath) < (pages[$1].order, pages[$1].title, pages[$1].sourcePath)
      }
    }

    return (questionsByLevel, levelPages, useCasePages, diagnostics)
  }

  static func linkDestinations(in node: MarkdownNode) -> [String] {
    var out: [String] = []
    if case .link(let destination, _) = node.kind { out.append(destination) }
    for child in node.children { out += linkDestinations(in: child) }
    return out
  }

  /// Resolves one link of page `pageIndex`; returns the target or a diagnostic. (Pages are read
  /// through `pages`, never bound: a page is a large value, and this runs for every link.)
  static func resolve(
    _ reference: LinkReference, in pageIndex: Int, pages: [Page], pageIndexBySource: [String: Int], snippets: [Snippet],
    assets: [String: String], rawHTML: GuideConfig.RawHTMLPolicy = .escape, suggestions: SuggestionBudget = SuggestionBudget()
  ) -> (ResolvedLink?, Diagnostic?) {
    let path = pages[pageIndex].displayPath
    let sourcePath = pages[pageIndex].sourcePath
    let at = reference.location
    let destination = reference.destination.trimmedSpaces
    func error(_ message: String, hint: String? = nil) -> (ResolvedLink?, Diagnostic?) {
      (nil, .error(path, at, message, hint: hint))
    }
    if destination.isEmpty { return error("link has no destination", hint: "write [text](other-page.md)") }

    // Schemes.
    // (Bytes, not Characters: this runs for every link of every page.)
    if let colon = destination.utf8.firstIndex(of: UInt8(ascii: ":")),
      destination.utf8[..<colon].allSatisfy({ byte in
        (0x61...0x7A).contains(byte | 0x20) || (0x30...0x39).contains(byte) || byte == 0x2B || byte == 0x2E || byte == 0x2D
      }),
      let first = destination.utf8.first, (0x61...0x7A).contains(first | 0x20)
    {
      let scheme = destination[..<colon].lowercased()
      guard ["http", "https", "mailto"].contains(scheme) else {
        return error("unsupported link scheme '\(scheme):'", hint: "use a relative link to a .md page, or an https:// address")
      }
      if reference.isImage {
        return error(
          "image from outside the site ('\(destination)')",
          hint: "copy the image into Guide/ and link it relatively; pages load nothing from other hosts")
      }
      if reference.embed != nil { return error("only snippets in snippets/ can be embedded") }
      return (.external(destination), nil)
    }
    if destination.hasPrefix("//") { return error("protocol-relative link '\(destination)'", hint: "write https://…") }
    if destination.hasPrefix("/") {
      return error(
        "absolute path '\(destination)' does not work from disk or under a sub-path",
        hint: "use a path relative to this file, e.g. ../mid/nms.md")
    }

    var filePart = destination
    var fragment: String?
    if let hash = destination.utf8.firstIndex(of: UInt8(ascii: "#")) {
      filePart = String(destination[..<hash])
      fragment = String(destination[destination.utf8.index(after: hash)...])
    }
    if let query = filePart.utf8.firstIndex(of: UInt8(ascii: "?")) { filePart = String(filePart[..<query]) }
    if filePart.utf8.contains(UInt8(ascii: "%")) { filePart = filePart.removingPercentEncoding ?? filePart }

    // Same-page anchor.
    if filePart.isEmpty {
      guard let fragment, !fragment.isEmpty else { return error("empty link '#'") }
      if reference.embed != nil { return error("only snippets in snippets/ can be embedded") }
      guard let index = pageIndexBySource[sourcePath] else { return (nil, nil) }
      if !pages[pageIndex].headings.contains(where: { $0.id == fragment }) && fragment != "answer" {
        return error(
          "missing anchor '#\(fragment)' in this page",
          hint: suggestions.closest(to: fragment, in: pages[pageIndex].headings.map(\.id)).map { "did you mean '#\($0)'?" }
            ?? "anchors are heading slugs; see the authoring page")
      }
      return (.page(index, fragment: fragment), nil)
    }

    // Relative path inside the guide.
    let directory = sourcePath.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(sourcePath[..<$0]) } ?? ""
    guard let target = normalize(directory.isEmpty ? filePart : directory + "/" + filePart) else {
      return error("link '\(destination)' leaves the guide folder", hint: "link only to files inside Guide/")
    }

    if target.hasSuffix(".md") {
      if reference.embed != nil { return error("only snippets in snippets/ can be embedded", hint: "link to a .swift file in snippets/") }
      guard let targetIndex = pageIndexBySource[target] else {
        let suggestion = suggestions.closest(to: target, in: Array(pageIndexBySource.keys)).map {
          "did you mean '\(relativePath(from: sourcePath, to: $0))'?"
        }
        return error("broken link: no page '\(filePart)'", hint: suggestion ?? "check the file name; paths are relative to this file")
      }
      if let fragment, !fragment.isEmpty {
        if !pages[targetIndex].headings.contains(where: { $0.id == fragment }) && fragment != "answer" {
          let headings = pages[targetIndex].headings
          let suggestion = suggestions.closest(to: fragment, in: headings.map(\.id)).map { "did you mean '#\($0)'?" }
          return error(
            "missing anchor '#\(fragment)' in \(filePart)",
            hint: suggestion
              ?? "anchors are heading slugs of that page: \(headings.prefix(6).map { "#" + $0.id }.joined(separator: ", "))")
        }
      }
      return (.page(targetIndex, fragment: fragment?.isEmpty == true ? nil : fragment), nil)
    }

    if target.hasPrefix("snippets/") && target.hasSuffix(".swift") && !target.hasPrefix("snippets/Shared/") {
      let name = ((target as NSString).lastPathComponent as NSString).deletingPathExtension
      guard let snippet = snippets.first(where: { $0.name == name }) else {
        return error(
          "missing snippet '\(filePart)'",
          hint: suggestions.closest(to: name, in: snippets.map(\.name)).map { "did you mean '\($0).swift'?" }
            ?? "add the file under Guide/snippets/")
      }
      if let fragment, !fragment.isEmpty, snippet.slices[fragment] == nil {
        let known = snippet.slices.keys.sorted()
        return error(
          "unknown slice '\(fragment)' in snippet '\(name)'",
          hint: suggestions.closest(to: fragment, in: known).map { "did you mean '#\($0)'?" }
            ?? (known.isEmpty
              ? "the snippet has no slices; mark one with '// snippet.NAME' … '// snippet.end'"
              : "slices: \(known.joined(separator: ", "))"))
      }
      return (.snippet(name, slice: fragment?.isEmpty == true ? nil : fragment), nil)
    }

    if reference.embed != nil { return error("only snippets in snippets/ can be embedded", hint: "link to a .swift file in snippets/") }
    if let source = assets[target] {
      let fileExtension = (target as NSString).pathExtension.lowercased()
      if AssetPolicy.images.contains(fileExtension) || AssetPolicy.documents.contains(fileExtension) {
        // copied as it is
      } else if AssetPolicy.active.contains(fileExtension) {
        guard rawHTML == .allow else {
          return error(
            "'\(filePart)' is \(fileExtension == "svg" ? "an SVG image" : "an HTML or XML file"), which can run scripts in the site; it is copied only with 'raw_html: allow'",
            hint: fileExtension == "svg"
              ? "convert it to PNG or WebP, or set 'raw_html: allow' in guide.yml for fully trusted content"
              : "write the page in Markdown, or set 'raw_html: allow' in guide.yml for fully trusted content")
        }
      } else {
        return error(
          "'\(filePart)' cannot be copied into the site: only images (\(AssetPolicy.images.sorted().joined(separator: ", "))) and \(AssetPolicy.documents.sorted().joined(separator: ", ")) files are",
          hint: "link an image or a PDF, or put the file elsewhere and link it with https://")
      }
      var info = stat()
      if stat(source, &info) == 0, Int(info.st_size) > AssetPolicy.maximumSize {
        return error(
          "'\(filePart)' is too large to copy (\(Int(info.st_size) / 1_048_576) MB; the limit is \(AssetPolicy.maximumSize / 1_048_576) MB)",
          hint: "compress or scale the file down")
      }
      return (.asset(target), nil)
    }
    return error("broken link: no file '\(filePart)' in the guide", hint: "link to a .md page, a snippet, or an image inside Guide/")
  }

  /// Normalizes `a/b/../c` inside the guide; nil when it climbs above the guide folder.
  static func normalize(_ path: String) -> String? {
    // Most links need nothing done: no empty, `.` or `..` part (one pass over the bytes).
    var length = 0
    var dots = 0
    var plain = true
    for byte in path.utf8 {
      if byte == UInt8(ascii: "/") {
        if length == 0 || (dots == length && dots <= 2) { plain = false }
        length = 0
        dots = 0
      } else {
        length += 1
        if byte == UInt8(ascii: ".") { dots += 1 }
      }
    }
    if plain && length > 0 && !(dots == length && dots <= 2) { return path }
    // Else one pass over the bytes (most links climb out of their folder: `../mid/x.md`); the
    // parts kept so far never hold a `/`, so `..` drops what follows the last one.
    var path = path
    return path.withUTF8 { bytes -> String? in
      let slash = UInt8(ascii: "/")
      let dot = UInt8(ascii: ".")
      var out: [UInt8] = []
      out.reserveCapacity(bytes.count)
      var start = 0
      while start <= bytes.count {
        var end = start
        while end < bytes.count && bytes[end] != slash { end += 1 }
        let length = end - start
        if length == 2 && bytes[start] == dot && bytes[start + 1] == dot {
          if out.isEmpty { return nil }
          out.removeSubrange((out.lastIndex(of: slash) ?? 0)...)
        } else if length > 0 && !(length == 1 && bytes[start] == dot) {
          if !out.isEmpty { out.append(slash) }
          out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
        }
        start = end + 1
      }
      return String(decoding: out, as: UTF8.self)
    }
  }

  /// The relative path from one guide file to another (`questions/mid/a.md` → `levels/mid.md` = `../../levels/mid.md`).
  static func relativePath(from: String, to: String) -> String {
    let fromDir = from.split(separator: "/").dropLast()
    let toParts = to.split(separator: "/")
    var common = 0
    while common < fromDir.count, common < toParts.count - 1, fromDir[fromDir.startIndex + common] == toParts[common] { common += 1 }
    let ups = Array(repeating: "..", count: fromDir.count - common)
    return (ups + toParts[common...].map(String.init)).joined(separator: "/")
  }
}

/// "Did you mean" for broken links, within a budget of comparisons for the whole build: a page
/// with 3,000 headings and 3,000 broken anchors gets suggestions for its first broken links and
/// plain hints after that, instead of 9 million comparisons.
public final class SuggestionBudget {
  private var comparisonsLeft: Int
  public init(comparisons: Int = 300_000) { comparisonsLeft = comparisons }

  func closest(to word: String, in candidates: [String]) -> String? {
    guard comparisonsLeft >= candidates.count else { return nil }
    comparisonsLeft -= max(1, candidates.count)
    return Suggestions.closest(to: word, in: candidates)
  }
}

/// Which files of `Guide/` a page may link to be copied into the site.
public enum AssetPolicy {
  /// Copied as they are: browsers show them as images, never as documents that run scripts.
  public static let images: Set<String> = ["png", "jpg", "jpeg", "gif", "webp", "avif"]
  /// Copied as they are: opened as documents that cannot script the site.
  public static let documents: Set<String> = ["pdf", "txt", "csv"]
  /// Can run scripts with the site's origin when opened: copied only with `raw_html: allow`.
  public static let active: Set<String> = ["svg", "svgz", "html", "htm", "xhtml", "xht", "xml", "mht", "mhtml"]
  /// A linked file larger than this is refused (checked with stat, before anything is read).
  public static let maximumSize = 32 * 1024 * 1024
}
