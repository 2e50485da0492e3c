import Foundation
import Markdown
import Mustache

/// The stages of a build, in order, each a function of the previous stages' values: what
/// ``GuideBuild/run(_:)`` calls one after another.
enum Stages {
  // MARK: - Check the output and scan the inputs

  /// Never replace a folder this generator did not write (the command line checks first, exit 64).
  static func refuseForeignOutput(_ options: BuildOptions) -> Diagnostic? {
    guard options.writeOutput,
      let refusal = OutputGuard.refusal(
        output: options.outputDirectory.path, guide: options.guideDirectory, templates: options.templatesDirectory,
        cache: options.cacheDirectory)
    else { return nil }
    return .error(
      GuideBuild.displayPath(options.outputDirectory), SourceLocation(line: 1, column: 1), refusal, hint: OutputGuard.hint)
  }

  /// The inputs as the cache sees them: every file's identity and hash (only files whose identity
  /// changed since the last build are read), their fingerprint, and whether inputs and output are
  /// exactly as the last clean build left them (then there is nothing to do).
  struct ScannedInputs {
    var index: InputIndex
    var fingerprint: String
    var unchanged: Bool
    /// The digest of the output folder, listed with the inputs.
    var output = ""
    /// The output's files as listed then, with their inodes (a spare site keeps those it shares).
    var outputEntries: [FileTree.Entry] = []
    /// The input index being written for the next build (waited for before the build ends).
    var indexSaved: Background<Void>? = nil
    /// The key of the inputs links depend on beyond the pages (``LinkSnapshot/inputsKey(_:)``).
    var linkInputs = ""
  }

  static func scanInputs(_ options: BuildOptions) -> ScannedInputs? {
    guard options.writeOutput, let cache = options.cacheDirectory else { return nil }
    let output = options.outputDirectory
    let folders = [("g/", options.guideDirectory), ("t/", options.templatesDirectory)]
    let manifest = options.rerunSnippets ? nil : BuildManifest.load(cache: cache, output: output)
    // The inputs and the site listed together (in parallel); the input index is read only when
    // the last scan's record cannot vouch for the inputs listed now.
    let listedAt = InputIndex.now()
    var listings = FileTree.listings(InputIndex.roots(folders) + [(output.standardizedFileURL.path, "")], entries: true)
    let outputListing = listings.removeLast()
    let listedOutput = FileTree.digest([outputListing])
    if let manifest, manifest.inputs != nil, let record = InputIndex.Record.load(cache: cache, output: output),
      let vouched = record.fingerprint(of: listings, folders: folders, listedAt: listedAt, runSnippets: options.runSnippets)
    {
      vouched.renewed?.save(cache: cache, output: output)
      if manifest.inputs == vouched.fingerprint, manifest.output == listedOutput {
        return ScannedInputs(index: InputIndex(), fingerprint: vouched.fingerprint, unchanged: true, output: listedOutput)
      }
    }
    let (index, read) = InputIndex.scan(
      folders, previous: InputIndex.load(cache: cache, output: output), jobs: options.jobs, listed: (listedAt, listings))
    // Written on another thread while the build goes on (the build waits for it before it ends).
    let saved = read > 0 ? Background { index.save(cache: cache, output: output) } : nil
    let fingerprint = index.fingerprint(runSnippets: options.runSnippets)
    InputIndex.Record(index: index, runSnippets: options.runSnippets, fingerprint: fingerprint).save(cache: cache, output: output)
    var unchanged = false
    if let manifest {
      unchanged = manifest.inputs == fingerprint && manifest.output == listedOutput
    }
    return ScannedInputs(
      index: index, fingerprint: fingerprint, unchanged: unchanged, output: listedOutput, outputEntries: outputListing.entries,
      indexSaved: saved, linkInputs: unchanged ? "" : LinkSnapshot.inputsKey(index))
  }

  // MARK: - Load and link

  /// The summaries the last build kept of the pages (``PageSummaries``), and the pages whose
  /// summary is still valid, decoded: their files need not be read or parsed.
  struct KeptPages {
    var summaries: PageSummaries
    /// The decoded pages, and their source paths (the files the load skips).
    var pages: [Page]
    var paths: Set<String>
  }

  static func keptPages(_ options: BuildOptions, inputs: ScannedInputs?) -> KeptPages? {
    guard let inputs, let cache = options.cacheDirectory else { return nil }
    let summaries = PageSummaries.load(cache: cache, output: options.outputDirectory, wanted: PageSummaries.keys(inputs.index))
    let root = options.guideDirectory.standardizedFileURL.resolvingSymlinksInPath().path
    let pages = summaries.pages(
      summaries.reusablePaths.sorted(), guideRoot: root, displayPrefix: GuideBuild.displayPath(options.guideDirectory), jobs: options.jobs)
    return KeptPages(summaries: summaries, pages: pages, paths: Set(pages.indices.map { pages[$0].sourcePath }))
  }

  /// Reads the guide, except the Markdown files whose kept summary is valid.
  static func load(_ options: BuildOptions, kept: KeptPages? = nil) -> StageOutput<GuideSources?> {
    let (loaded, diagnostics, texts) = GuideLoader.load(
      guideDirectory: options.guideDirectory, displayPrefix: GuideBuild.displayPath(options.guideDirectory), jobs: options.jobs,
      skipping: kept?.paths ?? [])
    return StageOutput(value: loaded, diagnostics: diagnostics, sources: texts)
  }

  /// The templates, checked even when the content has errors, so all problems come out together.
  static func loadTemplates(_ options: BuildOptions) -> StageOutput<MustacheLibrary?> {
    let (library, diagnostics, texts) = TemplateLoader.load(options.templatesDirectory)
    return StageOutput(value: library, diagnostics: diagnostics, sources: texts)
  }

  /// Parses what was read, links it with the kept pages, and keeps the summaries of this
  /// build's cleanly parsed pages for the next one. A diagnostic on a kept page (a link whose
  /// target went away) gets its file's text, to quote the line.
  /// `loaded` are the diagnostics of loading (a byte-order mark, say): a page with one is not
  /// kept either, so that it is read, and its warning shown, again by the next build.
  /// With the scanned `inputs` and a cache, the last build's link is used where it holds
  /// (``LinkSnapshot``).
  static func link(_ sources: GuideSources, kept: KeptPages?, _ options: BuildOptions) -> StageOutput<SiteModel> {
    var kept = kept
    return link(sources, kept: &kept, options)
  }

  static func link(
    _ sources: GuideSources, kept: inout KeptPages?, loaded: [Diagnostic] = [], inputs: ScannedInputs? = nil,
    _ options: BuildOptions
  ) -> StageOutput<SiteModel> {
    // The kept pages whose file the load skipped (a file removed since the scan is not there),
    // taken out of `kept`, not copied page by page: a page is a large value, and the linker adds
    // the parsed pages to the same array.
    var reused: [Page] = []
    if kept != nil { swap(&reused, &kept!.pages) }
    if let kept, sources.unreadMarkdown.count != kept.paths.count {
      let unread = Set(sources.unreadMarkdown)
      reused.removeAll { !unread.contains($0.sourcePath) }
    }
    let reusedCount = reused.count
    // Handed over, not shared: the linker adds the parsed pages to the same array, uncopied.
    var previous: SiteLinker.Previous?
    if let inputs, let cache = options.cacheDirectory, options.writeOutput,
      let snapshot = LinkSnapshot.load(cache: cache, output: options.outputDirectory)
    {
      let index = inputs.index
      previous = SiteLinker.Previous(
        snapshot: snapshot, inputs: inputs.linkInputs, sourceHash: { index.entries["g/" + $0]?.hash })
    }
    var (site, diagnostics) = SiteLinker.link(sources, reused: consume reused, jobs: options.jobs, snapshot: previous)
    let flagged = Set(loaded.map(\.path))
    for index in site.pages.indices where flagged.contains(site.pages[index].displayPath) {
      site.pages[index].parsedCleanly = false
    }
    var texts: [String: String] = [:]
    let restored =
      diagnostics.isEmpty
      ? [] : Set(site.pages.indices.filter { site.pages[$0].body.isRestored }.map { site.pages[$0].displayPath })
    for diagnostic in diagnostics where texts[diagnostic.path] == nil {
      guard restored.contains(diagnostic.path), case .success(let bytes) = GuideLoader.readRegularFile(diagnostic.path),
        let decoded = SourceText.decode(Array(bytes), path: diagnostic.path)
      else { continue }
      texts[diagnostic.path] = decoded.text
    }
    if let kept, let cache = options.cacheDirectory, options.writeOutput,
      reusedCount != site.pages.count || kept.paths.count != reusedCount
    {
      kept.summaries.save(site.pages, cache: cache, output: options.outputDirectory)
    }
    return StageOutput(value: site, diagnostics: diagnostics, sources: texts)
  }

  /// Keeps this build's link for the next build (``LinkSnapshot``), when it was made afresh and
  /// without a diagnostic so far (a page taken from it is not checked again).
  static func recordLink(_ site: SiteModel, keys: RenderKeys?, inputs: ScannedInputs?, clean: Bool, _ options: BuildOptions) {
    guard site.linkSnapshot == nil, clean, let keys, let inputs, let cache = options.cacheDirectory, options.writeOutput else {
      return
    }
    let index = inputs.index
    let pages = ParallelMap.map(Array(site.pages.indices), jobs: options.jobs) { i in
      LinkSnapshot.PageEntry(
        path: site.pages[i].sourcePath, sourceHash: index.entries["g/" + site.pages[i].sourcePath]?.hash ?? "",
        digest: site.pages[i].structureDigest ?? RenderKeys.pageDigest(site.pages[i]), signature: LinkSnapshot.signature(site.pages[i]))
    }
    LinkSnapshot(
      inputs: inputs.linkInputs, pages: pages, backlinks: site.backlinks, related: site.related,
      snippetsOfPage: site.snippetsOfPage, assets: site.assets, pageParts: keys.pageParts
    ).save(cache: cache, output: options.outputDirectory)
  }

  // MARK: - Snippets

  /// Compiles and runs every snippet (cached by content hash).
  static func runSnippets(
    _ site: SiteModel, _ options: BuildOptions, statistics: inout SnippetStatistics
  ) -> StageOutput<[String: SnippetRun]> {
    guard options.runSnippets else { return StageOutput(value: [:]) }
    let runner = SnippetRunner(
      settings: .init(jobs: options.jobs, cacheDirectory: options.cacheDirectory, rerun: options.rerunSnippets))
    let (runs, diagnostics, stats) = runner.runAll(site)
    statistics = stats
    return StageOutput(value: runs, diagnostics: diagnostics)
  }

  /// Each run's output against its `.expected` file, the figures pages show, unused snippets.
  static func checkSnippets(_ site: SiteModel, runs: [String: SnippetRun], _ options: BuildOptions) -> StageOutput<Void> {
    var diagnostics: [Diagnostic] = []
    if options.runSnippets {
      for snippet in site.snippets {
        guard let run = runs[snippet.name] else { continue }
        if let expected = snippet.expected {
          if case .failure(let mismatch) = expected.match(run.stdout) {
            let users = (site.snippetUsers[snippet.name] ?? []).map { site.pages[$0].displayPath }
            diagnostics.append(
              .error(
                expected.displayPath, SourceLocation(line: mismatch.line, column: 1),
                "output of snippet '\(snippet.name)' does not match its expected output",
                hint:
                  "fix the snippet; or, if the new output is right, run 'guide snippet accept \(snippet.name)' to update \(expected.displayPath)",
                notes: mismatch.diff + [users.isEmpty ? "used by no page" : "used by: " + users.joined(separator: ", ")]))
          }
        } else {
          diagnostics.append(
            .warning(
              snippet.displayPath, SourceLocation(line: 1, column: 1), "snippet '\(snippet.name)' declares no expected output",
              hint: "add snippets/\(snippet.name).expected (use {{measured}} for timings) so a change in its output is caught"))
        }
      }
    }
    diagnostics += MarkdownChecks.figures(site, runs: options.runSnippets ? runs : nil)
    for snippet in site.snippets where (site.snippetUsers[snippet.name] ?? []).isEmpty {
      diagnostics.append(
        .warning(
          snippet.displayPath, SourceLocation(line: 1, column: 1), "snippet '\(snippet.name)' is not used by any page",
          hint: "link or embed it from a question, or remove it"))
    }
    return StageOutput(value: (), diagnostics: diagnostics)
  }

  // MARK: - Plan, execute, commit

  /// Every file of the site (``BuildPlan``); two files on one path are errors.
  static func plan(_ site: SiteModel, _ options: BuildOptions) -> StageOutput<BuildPlan> {
    let assets = options.templatesDirectory.appendingPathComponent("assets")
    let templateAssets = FileTree.list(assets).map {
      (relative: $0.path, source: OutputGuard.canonical(assets.appendingPathComponent($0.path).path))
    }
    let (plan, diagnostics) = BuildPlan.make(
      site: site, templateAssets: templateAssets, templatesDisplay: GuideBuild.displayPath(options.templatesDirectory),
      configPath: GuideLoader.join(GuideBuild.displayPath(options.guideDirectory), "guide.yml"))
    return StageOutput(value: plan, diagnostics: diagnostics)
  }

  /// The render keys when the inputs were scanned, and with a cache folder the search analysis
  /// of the previous build (the search index reuses it for unchanged pages,
  /// ``SearchAnalysisCache``): what the executor needs besides the plan, made while the plan is.
  static func renderKeys(
    site: SiteModel, runs: [String: SnippetRun], inputs: ScannedInputs?, previous: PreviousBuild?
  ) -> (keys: RenderKeys?, searchAnalysis: SearchAnalysisCache?) {
    let keys = inputs.map { RenderKeys(site: site, runs: runs, inputs: $0.index) }
    var searchAnalysis: SearchAnalysisCache?
    if let keys, let previous {
      let byURL = Dictionary(
        site.pages.indices.map { (SiteModel.encodePath(site.pages[$0].outputPath), keys.searchAnalysis($0)) },
        uniquingKeysWith: { a, _ in a })
      searchAnalysis = SearchAnalysisCache(keys: byURL, previous: previous.search.value)
    }
    return (keys, searchAnalysis)
  }

  /// The executor of the plan, with the render keys and search analysis of ``renderKeys(site:runs:inputs:previous:)``.
  static func executor(
    _ plan: BuildPlan, site: SiteModel, runs: [String: SnippetRun], templates: MustacheLibrary,
    keys: (keys: RenderKeys?, searchAnalysis: SearchAnalysisCache?)
  ) -> BuildExecutor {
    BuildExecutor(
      plan: plan, renderer: SiteRenderer(site: site, runs: runs, templates: templates, searchAnalysis: keys.searchAnalysis),
      keys: keys.keys, previous: nil)
  }

  /// Runs `body` under the output's lock; a failure
  /// (an unwritable folder, a failed swap) is a diagnostic, and the previous site stays.
  static func withLockedOutput(_ options: BuildOptions, _ body: (OutputWriter) throws -> Void) -> StageOutput<Void> {
    let writer = OutputWriter(output: options.outputDirectory)
    do {
      try writer.withLock { try body(writer) }
    } catch {
      return StageOutput(
        value: (),
        diagnostics: [
          .error(
            GuideBuild.displayPath(options.outputDirectory), SourceLocation(line: 1, column: 1), "\(error)",
            hint: "check that the output folder's parent is writable; the previous site was left untouched")
        ])
    }
    return StageOutput(value: ())
  }

  /// Makes every planned file into `staging` (nil: checks that everything renders, writes
  /// nothing), reusing `previous` (the last build's output and records, ``PreviousRecords``)
  /// where the render keys allow.
  static func execute(
    _ executor: BuildExecutor, _ options: BuildOptions, into staging: OutputWriter.Staging?, previous: PreviousOutput? = nil
  ) -> BuildExecutor.Result {
    guard let staging else { return executor.run(jobs: options.jobs) { _, _ in } }
    // A spare site's files that this build does not make go before anything is written (a
    // folder there may be a file's path now); the search shards, named as the index is made,
    // once it is made.
    let planned = Set(executor.plan.renderedPaths)
    staging.removeLinked { planned.contains($0) || SearchIndexBuilder.isContentAddressed($0) }
    var result = executor.reusing(previous).run(jobs: options.jobs) { staging.write($0, $1) }
    let made = Set(result.files.map(\.path))
    staging.removeLinked { made.contains($0) }
    result.partsCopied = previous?.partsCopied ?? 0
    return result
  }

  /// Copies the plan's assets into the staging folder (the templates' CSS and JavaScript
  /// minified) and swaps it in. Counts what was written and what was reused into `report`.
  /// The old site is being removed when this returns (``OldSiteRemoval``).
  static func commit(
    _ result: BuildExecutor.Result, _ plan: BuildPlan, staging: OutputWriter.Staging, writer: OutputWriter, cache: URL?,
    report: inout BuildReport
  ) throws -> OldSiteRemoval {
    let written = Set(result.files.map(\.path))
    var copies = plan.copies.filter { !written.contains($0.path) && $0.path.hasPrefix("assets/") }
    let minified = AssetMinifier.stageMinified(
      &copies, into: staging, cache: cache.map { MinifiedAssets.file(cache: $0, output: writer.output) })
    copies += plan.copies.filter { !written.contains($0.path) && !$0.path.hasPrefix("assets/") }
    // A spare site that this build mostly reused keeps the old site after the swap, for the
    // next build; else the old site would stay whole, a second copy, until then.
    let removal = try writer.commit(
      staging, copies: copies, keepingOldSite: staging.linkedFiles * 2 >= max(1, result.files.count))
    report.filesWritten = written.count + copies.count + minified - staging.linkedFiles
    report.filesReused = staging.linkedFiles
    report.partsCopied = result.partsCopied
    report.searchIndexBytes = result.searchIndexBytes
    return removal
  }

  /// Keeps this build's search analysis for the next build, and counts what it reused.
  static func recordSearchAnalysis(_ executor: BuildExecutor, _ options: BuildOptions, report: inout BuildReport) {
    guard let analysis = executor.renderer.searchAnalysis, let cache = options.cacheDirectory else { return }
    report.searchPagesReused = analysis.reused
    report.searchPagesAnalysed = analysis.analysed
    report.searchShardsUpdated = analysis.updatedShards
    // Only when the index was built (not reused whole): else the file still holds every entry.
    if analysis.reused + analysis.analysed > 0 { analysis.save(cache: cache, output: options.outputDirectory) }
  }

  /// Records, for the next build into the same output, the render key and the segments of every
  /// file and the fingerprint of the inputs (only after a build without warnings, which must be
  /// shown again) and of the output. The output is fingerprinted once the old site is gone: it
  /// shares the unchanged files (hard links), and removing it changes their status-change times.
  /// The files linked from `previous` keep the parts it recorded.
  /// `output` is the output's fingerprint, being taken (``fingerprintOutput(_:after:)``).
  static func record(
    _ result: BuildExecutor.Result, _ options: BuildOptions, inputs: ScannedInputs?, clean: Bool, output: Background<String>,
    previous: PreviousOutput? = nil
  ) {
    guard let cache = options.cacheDirectory, let inputs else { return _ = output.value }
    BuildManifest.saveRecords(
      cache: cache, output: options.outputDirectory,
      files: result.files.map { .init(path: $0.path, key: $0.key, segments: $0.segments, carried: $0.linked) },
      previous: previous?.segmentRecords)
    BuildManifest(inputs: clean ? inputs.fingerprint : nil, output: output.value).save(cache: cache, output: options.outputDirectory)
  }

  /// The output's fingerprint for the manifest, taken on another thread once the old site is gone
  /// (while the search analysis and the records are written).
  static func fingerprintOutput(_ options: BuildOptions, after oldSite: OldSiteRemoval) -> Background<String> {
    let output = options.outputDirectory
    let recorded = options.cacheDirectory != nil
    return Background {
      oldSite.wait()
      return recorded ? BuildManifest.outputFingerprint(output) : ""
    }
  }

  /// The output as the last build left it, for reuse: only when it is exactly as that build
  /// recorded (a hand-edited file turns reuse off). `listedOutput` is its digest as the scan of
  /// the inputs listed it, moments before (it is not listed again): a build that replaced the
  /// output since then, holding the lock this build now holds, recorded its own digest, which
  /// differs, so nothing is reused; a file edited by hand since then is missed, as one edited
  /// while this build renders always was.
  static func previousOutputReusable(_ options: BuildOptions, keys: RenderKeys?, listedOutput: String?) -> Bool {
    guard keys != nil, let cache = options.cacheDirectory,
      let manifest = BuildManifest.load(cache: cache, output: options.outputDirectory),
      manifest.output == listedOutput ?? BuildManifest.outputFingerprint(options.outputDirectory)
    else { return false }
    return true
  }

  /// The staging folder: the output's spare site where there can be one
  /// (``OutputWriter/beginSpare(_:matching:)``), with the files of `previous` (the output as
  /// listed, when it is reused) that it shares; else a new folder beside the output.
  static func staging(_ writer: OutputWriter, _ options: BuildOptions, previous: [FileTree.Entry]?) throws -> OutputWriter.Staging {
    if let cache = options.cacheDirectory,
      let spare = writer.spareFolder(in: BuildManifest.folder(cache: cache, output: options.outputDirectory))
    {
      return try writer.beginSpare(spare, matching: previous)
    }
    return try writer.begin()
  }

  /// What the last build left in the cache for this one, read on threads of their own while the
  /// pages are linked: the search analyses and index state, the render keys and the aggregates'
  /// parts.
  struct PreviousBuild {
    var search: Background<SearchAnalysisCache.Previous>
    var records: PreviousRecords
  }

  static func readPreviousBuild(_ options: BuildOptions, inputs: ScannedInputs?) -> PreviousBuild? {
    guard inputs != nil, options.writeOutput, let cache = options.cacheDirectory else { return nil }
    let output = options.outputDirectory
    return PreviousBuild(
      search: Background { SearchAnalysisCache.Previous.read(cache: cache, output: output) },
      records: PreviousRecords(cache: cache, output: output))
  }

  /// The last build's records, each read on a thread of its own: the render keys and the
  /// aggregates' parts. They are read before the output is locked, so each file's identity is
  /// taken before it is read: ``current()`` reads them again, under the lock, when another build
  /// has replaced either since.
  struct PreviousRecords {
    var keys: Background<[String: String]>
    var segments: Background<SegmentRecords>
    private let cache: URL
    private let output: URL
    private let identities: [FileIdentity?]

    init(cache: URL, output: URL) {
      self.cache = cache
      self.output = output
      identities = Self.files(cache: cache, output: output).map { FileIdentity.of($0.path) }
      keys = Background { BuildManifest.loadKeys(cache: cache, output: output) }
      segments = Background { BuildManifest.loadSegments(cache: cache, output: output) }
    }

    private static func files(cache: URL, output: URL) -> [URL] {
      let folder = BuildManifest.folder(cache: cache, output: output)
      return [folder.appendingPathComponent("outputs.tsv"), folder.appendingPathComponent("segments.tsv")]
    }

    /// These records if their files are still the ones read, else the records read again.
    func current() -> PreviousRecords {
      _ = (keys.value, segments.value)
      let now = Self.files(cache: cache, output: output).map { FileIdentity.of($0.path) }
      return now == identities ? self : PreviousRecords(cache: cache, output: output)
    }
  }
}
