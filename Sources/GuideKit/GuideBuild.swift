import Foundation
import Markdown
import Mustache

/// Options for one run of the generator.
public struct BuildOptions: Sendable {
  public var guideDirectory: URL
  public var templatesDirectory: URL
  public var outputDirectory: URL
  /// Where snippet runs are cached (nil: no cache).
  public var cacheDirectory: URL?
  public var jobs: Int
  public var rerunSnippets: Bool
  /// False for `guide check`: validate everything, write nothing.
  public var writeOutput: Bool
  public var runSnippets: Bool
  /// Warnings fail the build before anything is written (`--warnings-as-errors`).
  public var warningsAsErrors: Bool

  public init(
    guideDirectory: URL, templatesDirectory: URL, outputDirectory: URL, cacheDirectory: URL?,
    jobs: Int = ProcessInfo.processInfo.activeProcessorCount, rerunSnippets: Bool = false, writeOutput: Bool = true,
    runSnippets: Bool = true, warningsAsErrors: Bool = false
  ) {
    self.warningsAsErrors = warningsAsErrors
    self.guideDirectory = guideDirectory
    self.templatesDirectory = templatesDirectory
    self.outputDirectory = outputDirectory
    self.cacheDirectory = cacheDirectory
    self.jobs = max(1, jobs)
    self.rerunSnippets = rerunSnippets
    self.writeOutput = writeOutput
    self.runSnippets = runSnippets
  }
}

/// What a build did.
public struct BuildReport: Sendable {
  public var diagnostics: [Diagnostic]
  public var filesWritten: Int
  public var pages: Int
  public var snippets: SnippetStatistics
  public var seconds: Double
  /// Source texts by displayed path, for quoting lines in diagnostics.
  public var sources: [String: String]
  public var searchIndexBytes: Int
  /// True when the inputs and the output were as the last clean build left them: nothing was done.
  public var unchanged = false
  /// Files linked unchanged from the previous output instead of being rendered again.
  public var filesReused = 0
  /// Question parts of the aggregates (quiz data, print pages) copied from the previous output.
  public var partsCopied = 0
  /// Seconds per stage and the peak memory so far, in order (shown by `guide build --verbose`).
  public var stages: [(name: String, seconds: Double, peakMiB: Int)] = []
}

/// The whole pipeline: Load → Link → Snippets → Render → Search → Output.
public enum GuideBuild {
  static let requiredTemplates = [
    "home", "level", "question", "use-case", "page", "tags", "tag", "snippets", "snippet", "search", "quiz", "print", "404",
  ]

  /// A path for diagnostics: relative to the working directory when inside it.
  public static func displayPath(_ url: URL) -> String {
    let cwd = FileManager.default.currentDirectoryPath
    let path = url.standardizedFileURL.path
    if path == cwd { return "." }
    if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
    return path
  }

  public static func run(_ options: BuildOptions) -> BuildReport {
    let start = DispatchTime.now()
    func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
    var stageStart = 0.0
    func stage(_ name: String) {
      let now = elapsed()
      report.stages.append((name, now - stageStart, peakMemoryMiB()))
      stageStart = now
    }
    var report = BuildReport(
      diagnostics: [], filesWritten: 0, pages: 0, snippets: SnippetStatistics(), seconds: 0, sources: [:], searchIndexBytes: 0)

    // No change since the last clean build into this output: nothing to do. The input index
    // reads only the files whose identity changed since the last build.
    // Never replace a folder this generator did not write (the command line checks first, exit 64).
    if options.writeOutput,
      let refusal = OutputGuard.refusal(
        output: options.outputDirectory.path, guide: options.guideDirectory, templates: options.templatesDirectory,
        cache: options.cacheDirectory)
    {
      report.diagnostics.append(
        .error(displayPath(options.outputDirectory), SourceLocation(line: 1, column: 1), refusal, hint: OutputGuard.hint))
      report.seconds = elapsed()
      return report
    }

    var inputIndex: InputIndex?
    var inputsFingerprint: String?
    if options.writeOutput, let cache = options.cacheDirectory {
      let (index, read) = InputIndex.scan(
        [("g/", options.guideDirectory), ("t/", options.templatesDirectory)],
        previous: InputIndex.load(cache: cache, output: options.outputDirectory), jobs: options.jobs)
      if read > 0 { index.save(cache: cache, output: options.outputDirectory) }
      let fingerprint = index.fingerprint(runSnippets: options.runSnippets)
      inputIndex = index
      inputsFingerprint = fingerprint
      if !options.rerunSnippets, let previous = BuildManifest.load(cache: cache, output: options.outputDirectory),
        previous.inputs == fingerprint, previous.output == BuildManifest.outputFingerprint(options.outputDirectory)
      {
        report.unchanged = true
        report.seconds = elapsed()
        return report
      }
    }

    stage("scan inputs")
    // Load.
    let guideDisplay = displayPath(options.guideDirectory)
    let (loaded, loadDiagnostics, texts) = GuideLoader.load(
      guideDirectory: options.guideDirectory, displayPrefix: guideDisplay, jobs: options.jobs)
    report.diagnostics += loadDiagnostics
    report.sources = texts

    // Templates (checked even when the content has errors, so all problems come out together).
    let (templates, templateDiagnostics, templateTexts) = loadTemplates(options.templatesDirectory)
    report.diagnostics += templateDiagnostics
    report.sources.merge(templateTexts) { a, _ in a }

    guard let sources = loaded else {
      report.diagnostics.sort()
      report.seconds = elapsed()
      return report
    }

    stage("load")
    // Link.
    let (site, linkDiagnostics) = SiteLinker.link(sources, jobs: options.jobs)
    report.diagnostics += linkDiagnostics

    stage("parse and link")
    // Snippets.
    var runs: [String: SnippetRun] = [:]
    if options.runSnippets {
      let runner = SnippetRunner(
        settings: .init(jobs: options.jobs, cacheDirectory: options.cacheDirectory, rerun: options.rerunSnippets))
      let (snippetRuns, snippetDiagnostics, stats) = runner.runAll(site)
      runs = snippetRuns
      report.diagnostics += snippetDiagnostics
      report.snippets = stats
      for snippet in site.snippets {
        guard let run = runs[snippet.name] else { continue }
        if let expected = snippet.expected {
          if case .failure(let mismatch) = expected.match(run.stdout) {
            let users = (site.snippetUsers[snippet.name] ?? []).map { site.pages[$0].displayPath }
            report.diagnostics.append(
              .error(
                expected.displayPath, SourceLocation(line: mismatch.line, column: 1),
                "output of snippet '\(snippet.name)' does not match its expected output",
                hint:
                  "fix the snippet; or, if the new output is right, run 'guide snippet accept \(snippet.name)' to update \(expected.displayPath)",
                notes: mismatch.diff + [users.isEmpty ? "used by no page" : "used by: " + users.joined(separator: ", ")]))
          }
        } else {
          report.diagnostics.append(
            .warning(
              snippet.displayPath, SourceLocation(line: 1, column: 1), "snippet '\(snippet.name)' declares no expected output",
              hint: "add snippets/\(snippet.name).expected (use {{measured}} for timings) so a change in its output is caught"))
        }
      }
    }
    report.diagnostics += MarkdownChecks.figures(site, runs: options.runSnippets ? runs : nil)
    for snippet in site.snippets where (site.snippetUsers[snippet.name] ?? []).isEmpty {
      report.diagnostics.append(
        .warning(
          snippet.displayPath, SourceLocation(line: 1, column: 1), "snippet '\(snippet.name)' is not used by any page",
          hint: "link or embed it from a question, or remove it"))
    }

    report.diagnostics.sort()
    report.pages = site.pages.count
    let failed = report.diagnostics.hasErrors || (options.warningsAsErrors && !report.diagnostics.isEmpty)
    guard !failed, let templates else {
      report.seconds = elapsed()
      return report
    }

    stage("snippets")
    // Render, index and write: each file goes to the staging folder as soon as it is rendered;
    // with an input index, files whose render key is unchanged come from the previous output.
    let keys = inputIndex.map { RenderKeys(site: site, runs: runs, inputs: $0) }
    let builder = SearchIndexBuilder(
      levels: site.config.levels.map { (id: $0.id, name: $0.name) }, tags: site.config.tags.map { (id: $0.id, name: $0.name) },
      synonyms: site.config.synonyms)
    func renderEverything(
      previous: PreviousOutput?, _ sink: @escaping @Sendable (SiteRenderer.OutputFile) -> Void
    ) -> [SiteRenderer.Produced] {
      let renderer = SiteRenderer(site: site, runs: runs, templates: templates, keys: keys, previous: previous)
      // The search index: one task beside the rendering, reused whole when no page changed.
      let searchKey = keys?.aggregate("search", pages: Array(site.pages.indices)) ?? ""
      let searchBytes = Counter()
      let search: @Sendable () -> [SiteRenderer.Produced] = {
        let oldSearch = previous?.keys.filter { $0.key.hasPrefix("assets/search") }.map(\.key).sorted() ?? []
        if let previous, previous.reuse(oldSearch, key: { _ in searchKey }) {
          for path in oldSearch {
            searchBytes.add(Int(FileIdentity.of(previous.folder.appendingPathComponent(path).path)?.size ?? 0))
          }
          return oldSearch.map { .init(path: $0, key: searchKey, contents: nil) }
        }
        return builder.build(SearchSections.sections(of: site)).map { file in
          searchBytes.add(file.contents.utf8.count)
          // A shard is named by its content: one the previous output has is linked, not rewritten.
          if SearchIndexBuilder.isContentAddressed(file.path), let previous, previous.keys[file.path] != nil,
            previous.link([file.path])
          {
            return .init(path: file.path, key: searchKey, contents: nil)
          }
          return .init(path: file.path, key: searchKey, contents: file.contents)
        }
      }
      let files = renderer.renderAll(jobs: options.jobs, extra: [search], sink: sink)
      report.searchIndexBytes = searchBytes.value
      return files
    }

    guard options.writeOutput else {
      _ = renderEverything(previous: nil) { _ in }
      report.seconds = elapsed()
      return report
    }

    let writer = OutputWriter(output: options.outputDirectory)
    do {
      try writer.withLock {
        let staging = try writer.begin()
        // Reuse needs the output exactly as the build that recorded the keys left it.
        var previous: PreviousOutput?
        if keys != nil, let cache = options.cacheDirectory,
          let manifest = BuildManifest.load(cache: cache, output: options.outputDirectory),
          manifest.output == BuildManifest.outputFingerprint(options.outputDirectory)
        {
          previous = PreviousOutput(
            folder: writer.output, keys: BuildManifest.loadKeys(cache: cache, output: options.outputDirectory),
            segments: BuildManifest.loadSegments(cache: cache, output: options.outputDirectory), staging: staging)
        }
        let files = renderEverything(previous: previous) { staging.write($0.path, $0.contents) }
        let written = Set(files.map(\.path))
        // Template assets (unless generated) and guide assets (images).
        var copies: [(path: String, source: String)] = []
        let assetsDirectory = options.templatesDirectory.appendingPathComponent("assets")
        for relative in listFiles(assetsDirectory) where !written.contains("assets/" + relative) {
          copies.append(("assets/" + relative, OutputGuard.canonical(assetsDirectory.appendingPathComponent(relative).path)))
        }
        let minified = AssetMinifier.stageMinified(&copies, into: staging)  // their CSS and JS: written minified
        if FileManager.default.fileExists(atPath: assetsDirectory.appendingPathComponent("favicon.svg").path) {
          copies.append(("favicon.svg", assetsDirectory.appendingPathComponent("favicon.svg").path))
        }
        for (path, source) in site.assets.sorted(by: { $0.key < $1.key }) { copies.append((path, source)) }
        stage("render, index and write")
        try writer.commit(staging, copies: copies)
        stage("swap in the new site")
        report.filesWritten = written.count + copies.count + minified - staging.linkedFiles
        report.filesReused = staging.linkedFiles
        report.partsCopied = previous?.partsCopied ?? 0
        if let cache = options.cacheDirectory, keys != nil {
          let manifest = BuildManifest(
            inputs: report.diagnostics.isEmpty ? inputsFingerprint : nil, output: BuildManifest.outputFingerprint(options.outputDirectory))
          manifest.save(
            cache: cache, output: options.outputDirectory,
            keys: Dictionary(files.map { ($0.path, $0.key) }, uniquingKeysWith: { a, _ in a }),
            segments: Dictionary(files.filter { !$0.segments.isEmpty }.map { ($0.path, $0.segments) }, uniquingKeysWith: { a, _ in a }))
        }
      }
    } catch {
      report.diagnostics.append(
        .error(
          displayPath(options.outputDirectory), SourceLocation(line: 1, column: 1), "\(error)",
          hint: "check that the output folder's parent is writable; the previous site was left untouched"))
    }
    report.seconds = elapsed()
    return report
  }

  /// The files under `directory` (hidden names skipped), sorted: the same listing the input
  /// index fingerprints, so a template the build reads is always one the fingerprint covers.
  static func listFiles(_ directory: URL) -> [String] {
    FileTree.list(directory).map(\.path)
  }

  /// A partial (`{{> name}}`) or parent (`{{< name}}`) tag in a template, with its position.
  struct PartialReference {
    var name: String
    var line: Int
    var column: Int
  }

  static func partialReferences(in text: String) -> [PartialReference] {
    var out: [PartialReference] = []
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      var rest = line[...]
      while let open = rest.range(of: "{{") {
        let after = rest[open.upperBound...].drop { $0 == " " }
        guard let sigil = after.first, sigil == ">" || sigil == "<", let close = after.range(of: "}}") else {
          rest = rest[open.upperBound...]
          continue
        }
        let name = after[after.index(after: after.startIndex)..<close.lowerBound].trimmingCharacters(in: .whitespaces)
        out.append(PartialReference(name: name, line: number + 1, column: line.distance(from: line.startIndex, to: open.lowerBound) + 1))
        rest = after[close.upperBound...]
      }
    }
    return out
  }

  /// Unknown partials (which would render as nothing) and partials that include themselves,
  /// directly or through others (which would recurse until the stack overflows): each a
  /// diagnostic at the template's line.
  static func partialDiagnostics(texts: [String: String], display: String) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    var references: [String: [PartialReference]] = [:]
    var pathOf: [String: String] = [:]
    let prefix = GuideLoader.join(display, "")
    for (path, text) in texts {
      let relative = path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
      let name = String(relative.dropLast(".mustache".count))
      references[name] = partialReferences(in: text)
      pathOf[name] = path
    }
    for name in references.keys.sorted() {
      for reference in references[name]! where references[reference.name] == nil {
        diagnostics.append(
          .error(
            pathOf[name]!, SourceLocation(line: reference.line, column: reference.column), "unknown partial '\(reference.name)'",
            hint: Suggestions.closest(to: reference.name, in: Array(references.keys)).map { "did you mean '\($0)'?" }
              ?? "partials are the .mustache files of the templates folder, named by their path without the extension"))
      }
    }
    // Cycles: a depth-first search from every template; each reference that closes a cycle is reported once.
    var state: [String: Int] = [:]  // 1: on the current path, 2: done
    var reported: Set<String> = []
    func visit(_ name: String, _ path: [String]) {
      state[name] = 1
      for reference in references[name] ?? [] where references[reference.name] != nil {
        if state[reference.name] == 1 {
          let key = "\(name) \(reference.line) \(reference.column)"
          if reported.insert(key).inserted {
            let cycle = (path.drop { $0 != reference.name } + [name, reference.name]).joined(separator: " → ")
            diagnostics.append(
              .error(
                pathOf[name]!, SourceLocation(line: reference.line, column: reference.column),
                "partial '\(reference.name)' includes itself (\(cycle))",
                hint: "a partial cannot include itself, directly or through other partials; remove the inclusion"))
          }
        } else if state[reference.name] == nil {
          visit(reference.name, path + [name])
        }
      }
      state[name] = 2
    }
    for name in references.keys.sorted() where state[name] == nil { visit(name, []) }
    return diagnostics
  }

  /// Loads every `*.mustache` file; syntax errors and missing templates are diagnostics.
  static func loadTemplates(_ directory: URL) -> (MustacheLibrary?, [Diagnostic], [String: String]) {
    var diagnostics: [Diagnostic] = []
    var texts: [String: String] = [:]
    let display = displayPath(directory)
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDir), isDir.boolValue else {
      return (
        nil,
        [.error(display, SourceLocation(line: 1, column: 1), "templates folder '\(display)' does not exist", hint: "pass --templates DIR")],
        texts
      )
    }
    // The rule Guide/ has: a symbolic link may not lead out of the folder (a template or an
    // asset linked to /etc/passwd would be read or copied into the site).
    let root = OutputGuard.canonical(directory.path)
    for relative in listFiles(directory) {
      let full = directory.appendingPathComponent(relative).path
      var info = stat()
      guard lstat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { continue }
      let target = OutputGuard.canonical(full)
      if !target.hasPrefix(root + "/") {
        diagnostics.append(
          .error(
            GuideLoader.join(display, relative), SourceLocation(line: 1, column: 1), "symbolic link points outside the templates folder",
            hint: "copy the file into the templates folder instead of linking to '\(target)'"))
      }
    }
    if diagnostics.hasErrors { return (nil, diagnostics, texts) }
    var library = MustacheLibrary()
    var names: Set<String> = []
    for relative in listFiles(directory) where relative.hasSuffix(".mustache") {
      let path = GuideLoader.join(display, relative)
      let data: Data
      switch GuideLoader.readRegularFile(directory.appendingPathComponent(relative).path) {
      case .success(let bytes): data = bytes
      case .failure(let problem):
        diagnostics.append(.error(path, SourceLocation(line: 1, column: 1), problem.message))
        continue
      }
      guard let text = String(validating: data, as: UTF8.self) else {
        diagnostics.append(.error(path, SourceLocation(line: 1, column: 1), "template is not readable UTF-8 text"))
        continue
      }
      texts[path] = text
      let name = String(relative.dropLast(".mustache".count))
      do {
        library.register(try MustacheTemplate(string: GuideHTML.pragma + text), named: name)
        names.insert(name)
      } catch let error as MustacheTemplate.ParserError {
        diagnostics.append(
          .error(
            path, SourceLocation(line: max(1, error.context.lineNumber - 1), column: max(1, error.context.columnNumber)),
            "template syntax error: \(error.error)", hint: "check that every {{#section}} has a matching {{/section}}"))
      } catch {
        diagnostics.append(.error(path, SourceLocation(line: 1, column: 1), "template syntax error: \(error)"))
      }
    }
    diagnostics += partialDiagnostics(texts: texts, display: display)
    for required in requiredTemplates
    where !names.contains(required) && !texts.keys.contains(GuideLoader.join(display, required + ".mustache")) {
      diagnostics.append(
        .error(
          GuideLoader.join(display, required + ".mustache"), SourceLocation(line: 1, column: 1), "missing template '\(required)'",
          hint: "every page kind needs its template; restore it from the repository"))
    }
    return (diagnostics.hasErrors ? nil : library, diagnostics, texts)
  }
}

/// A total added to from several threads.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var total = 0
  func add(_ amount: Int) {
    lock.lock()
    total += amount
    lock.unlock()
  }
  var value: Int {
    lock.lock()
    defer { lock.unlock() }
    return total
  }
}

/// The process's peak resident memory so far in MiB (Linux: VmHWM; 0 elsewhere).
func peakMemoryMiB() -> Int {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
  else { return 0 }
  return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
}

/// HTML escaping for the templates' `{{value}}` tags: the same five characters as swift-mustache's
/// own HTML content type, escaped byte by byte (``HTML/escape(_:)``). swift-mustache 2.1 escapes
/// Character by Character through a dictionary, which was 8.5% of a full build. Every template is
/// read with this content type selected on a line of its own before its first line (the line
/// numbers of template diagnostics are corrected for it).
struct GuideHTML: MustacheContentType {
  func escapeText(_ text: String) -> String { HTML.escape(text) }

  static let pragma: String = {
    MustacheContentTypes.register(GuideHTML(), named: "GUIDE_HTML")
    return "{{% CONTENT_TYPE: GUIDE_HTML}}\n"
  }()
}
