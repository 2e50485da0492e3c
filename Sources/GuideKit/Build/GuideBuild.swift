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
  /// The process ends right after the build (`guide build`): the site model, the sources and the
  /// renderer are left for the operating system to reclaim instead of being freed object by
  /// object (about 0.6 s at 10,000 pages). Never set in a process that builds again (`serve`).
  public var exitsAfterBuild = false

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
  /// Pages of the search index whose analysis was taken from the previous build, and pages
  /// analysed (0 and 0 when the index was reused whole or there is no cache).
  public var searchPagesReused = 0
  public var searchPagesAnalysed = 0
  /// When the search index was updated from the last build's rather than made from every page:
  /// the shards made again (changed, or missing from the previous output), and all the shards.
  public var searchShardsUpdated: (made: Int, shards: Int)?
  /// Pages parsed from their files, and pages taken from the last build's summaries without
  /// reading their files (``PageSummaries``).
  public var pagesParsed = 0
  public var pagesRestored = 0
  /// Pages whose links the last build's link stands for (``LinkSnapshot``): not resolved now.
  public var pagesLinkedBefore = 0
  /// Seconds per stage (wall and the process's CPU, all threads) and the peak memory so far, in
  /// order (shown by `guide build --verbose`).
  public var stages: [(name: String, seconds: Double, cpuSeconds: Double, peakMiB: Int)] = []
}

/// The whole pipeline, one stage after another (each in `Build/BuildStages.swift`):
/// check the output → scan inputs → load → link → run snippets → check snippets → plan →
/// execute → commit.
public enum GuideBuild {
  public static func run(_ options: BuildOptions) -> BuildReport {
    var build = BuildLog()
    if let refusal = Stages.refuseForeignOutput(options) { return build.finish(adding: [refusal]) }
    let inputs = Stages.scanInputs(options)
    build.pending = inputs?.indexSaved
    if inputs?.unchanged == true { return build.finishUnchanged() }
    build.endStage("scan inputs")

    var kept = Stages.keptPages(options, inputs: inputs)
    let sources = build.collect(Stages.load(options, kept: kept))
    guard let sources else {
      // The templates are checked even so, so that all problems come out together.
      _ = build.collect(Stages.loadTemplates(options))
      return build.finish()
    }
    build.endStage("load")
    // Read on other threads while the pages are linked (loading them keeps both cores busy).
    let previousBuild = Stages.readPreviousBuild(options, inputs: inputs)
    let templatesLoaded = Background { Stages.loadTemplates(options) }

    let site = build.collect(Stages.link(sources, kept: &kept, loaded: build.report.diagnostics, inputs: inputs, options))
    let linkedCleanly = build.report.diagnostics.isEmpty
    build.report.pagesRestored = site.pages.indices.count { site.pages[$0].body.isRestored }
    build.report.pagesParsed = site.pages.count - build.report.pagesRestored
    if site.linkSnapshot != nil { build.report.pagesLinkedBefore = build.report.pagesRestored }
    build.endStage("parse and link")

    let runs = build.collect(Stages.runSnippets(site, options, statistics: &build.report.snippets))
    build.collect(Stages.checkSnippets(site, runs: runs, options))
    build.endStage("snippets")

    let templates = build.collect(templatesLoaded.value)
    // The plan and the render keys, each a pass over every page on one thread, side by side.
    let planning = Background { Stages.plan(site, options) }
    let keys = Stages.renderKeys(site: site, runs: runs, inputs: inputs, previous: previousBuild)
    let plan = build.collect(planning.value)
    build.report.pages = site.pages.count
    guard !build.failed(options), let templates else { return build.finish() }
    build.endStage("plan and render keys")

    var executor = Stages.executor(plan, site: site, runs: runs, templates: templates, keys: keys)
    if options.writeOutput, executor.keys != nil {
      executor = executor.startingSearchIndex(previousShards: previousBuild?.records.keys.value)
    }
    Stages.recordLink(site, keys: executor.keys, inputs: inputs, clean: linkedCleanly, options)
    // What the build made, left for the operating system to reclaim when the process ends.
    let keepUntilExit = { [executor] in
      if options.exitsAfterBuild {
        ProcessLifetime.keep((inputs, sources, kept, previousBuild, site, runs, plan, templates, executor))
      }
    }
    guard options.writeOutput else {
      build.report.searchIndexBytes = Stages.execute(executor, options, into: nil).searchIndexBytes
      keepUntilExit()
      return build.finish()
    }
    build.collect(
      Stages.withLockedOutput(options) { writer in
        let reusable = Stages.previousOutputReusable(options, keys: executor.keys, listedOutput: inputs?.output)
        let staging = try Stages.staging(writer, options, previous: reusable ? inputs?.outputEntries : nil)
        // The records were read before the lock: read again if another build replaced them.
        let records = previousBuild?.records.current()
        let previous = (reusable ? records : nil).map {
          PreviousOutput(folder: writer.output, keys: $0.keys.value, segments: $0.segments.value, staging: staging)
        }
        build.endStage("read the last build's records")
        let result = Stages.execute(executor, options, into: staging, previous: previous)
        build.endStage("render, index and write")
        let oldSite = try Stages.commit(
          result, plan, staging: staging, writer: writer, cache: options.cacheDirectory, report: &build.report)
        build.endStage("swap in the new site")
        // The old site is removed meanwhile, and then the output fingerprinted.
        let fingerprint = Stages.fingerprintOutput(options, after: oldSite)
        Stages.recordSearchAnalysis(executor, options, report: &build.report)
        Stages.record(
          result, options, inputs: inputs, clean: build.report.diagnostics.isEmpty, output: fingerprint, previous: previous)
        build.endStage("record for the next build")
        if options.exitsAfterBuild { ProcessLifetime.keep((records, previous, result)) }
      })
    keepUntilExit()
    return build.finish()
  }

  /// A path for diagnostics: relative to the working directory when inside it.
  public static func displayPath(_ url: URL) -> String {
    let cwd = FileManager.default.currentDirectoryPath
    let path = url.standardizedFileURL.path
    if path == cwd { return "." }
    if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
    return path
  }

  /// Loads every `*.mustache` file (see ``TemplateLoader``).
  static func loadTemplates(_ directory: URL) -> (MustacheLibrary?, [Diagnostic], [String: String]) {
    TemplateLoader.load(directory)
  }
}

/// The report being made: diagnostics from every stage, and each stage's time.
struct BuildLog {
  var report = BuildReport(
    diagnostics: [], filesWritten: 0, pages: 0, snippets: SnippetStatistics(), seconds: 0, sources: [:], searchIndexBytes: 0)
  let start = DispatchTime.now()
  var stageStart = 0.0
  var stageCPUStart = processCPUSeconds()
  /// A cache file still being written for the next build: the build ends once it is written.
  var pending: Background<Void>?

  func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

  /// Records the time of the stage that just ended and the peak memory so far.
  mutating func endStage(_ name: String) {
    let now = elapsed()
    let cpu = processCPUSeconds()
    report.stages.append((name, now - stageStart, cpu - stageCPUStart, peakMemoryMiB()))
    stageStart = now
    stageCPUStart = cpu
  }

  /// A stage's value; its diagnostics (and quoted sources) go to the report.
  mutating func collect<T>(_ output: StageOutput<T>) -> T {
    report.diagnostics += output.diagnostics
    report.sources.merge(output.sources) { a, _ in a }
    return output.value
  }

  mutating func collect(_ output: StageOutput<Void>) {
    report.diagnostics += output.diagnostics
  }

  /// Errors, or warnings under `--warnings-as-errors`: nothing is written.
  func failed(_ options: BuildOptions) -> Bool {
    report.diagnostics.hasErrors || (options.warningsAsErrors && !report.diagnostics.isEmpty)
  }

  mutating func finish(adding diagnostics: [Diagnostic] = []) -> BuildReport {
    pending?.value
    report.diagnostics += diagnostics
    report.diagnostics.sort()
    report.seconds = elapsed()
    return report
  }

  mutating func finishUnchanged() -> BuildReport {
    report.unchanged = true
    return finish()
  }
}

/// What a stage returns: its value and its diagnostics.
struct StageOutput<Value> {
  var value: Value
  var diagnostics: [Diagnostic] = []
  /// Source texts by displayed path, for quoting lines in diagnostics.
  var sources: [String: String] = [:]
}

extension StageOutput: Sendable where Value: Sendable {}
