import ArgumentParser
import Foundation
import GuideKit
import GuidePreview

@main
struct Guide: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "guide",
    abstract: "Builds the computer-vision interview study guide from Guide/ and Templates/ into Site/.",
    subcommands: [Build.self, Check.self, New.self, SnippetCommand.self, Serve.self],
    defaultSubcommand: Build.self
  )
}

struct Locations: ParsableArguments {
  @Option(help: "The guide's content folder.") var guide = "Guide"
  @Option(help: "The templates folder.") var templates = "Templates"
  @Option(help: "Where snippet results are cached.") var cache = ".guide-cache"
  @Option(help: "Parallel jobs (default: the number of cores).") var jobs: Int?
  @Flag(help: "Compile and run every snippet, ignoring the cache.") var rerunSnippets = false
  @Flag(help: "Treat warnings as errors.") var warningsAsErrors = false

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
  }

  /// Exits with 64 when the build may not write into `output` (see ``OutputGuard``).
  func checkOutput(_ output: String) throws {
    guard
      let refusal = OutputGuard.refusal(
        output: output, guide: URL(fileURLWithPath: guide), templates: URL(fileURLWithPath: templates),
        cache: cache.isEmpty ? nil : URL(fileURLWithPath: cache))
    else { return }
    FileHandle.standardError.write(Data("error: \(refusal)\n    hint: \(OutputGuard.hint)\n".utf8))
    throw ExitCode(64)
  }

  func options(output: String, write: Bool) -> BuildOptions {
    BuildOptions(
      guideDirectory: URL(fileURLWithPath: guide), templatesDirectory: URL(fileURLWithPath: templates),
      outputDirectory: URL(fileURLWithPath: output), cacheDirectory: cache.isEmpty ? nil : URL(fileURLWithPath: cache),
      jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, rerunSnippets: rerunSnippets, writeOutput: write,
      warningsAsErrors: warningsAsErrors)
  }
}

/// Prints diagnostics and decides the exit code.
func finish(_ report: BuildReport, warningsAsErrors: Bool, json: Bool = false) throws {
  var diagnostics = report.diagnostics
  if warningsAsErrors {
    diagnostics = diagnostics.map {
      var d = $0
      d.severity = .error
      return d
    }
  }
  if json {
    print(DiagnosticPrinter.json(diagnostics))
  } else if !diagnostics.isEmpty {
    let printer = DiagnosticPrinter(useColor: isatty(2) != 0, sources: report.sources)
    FileHandle.standardError.write(Data((printer.format(diagnostics) + "\n").utf8))
  }
  if diagnostics.hasErrors {
    if !json {
      FileHandle.standardError.write(
        Data("guide: \(diagnostics.errorCount) error(s), \(diagnostics.warningCount) warning(s); nothing was written\n".utf8))
    }
    throw ExitCode(1)
  }
}

struct Build: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Build the site (atomically: a failed build leaves the old site).")
  @OptionGroup var locations: Locations
  @Option(help: "The output folder.") var output = "Site"
  @Flag(name: .shortAndLong, help: "Print only errors and warnings.") var quiet = false
  @Flag(name: .shortAndLong, help: "Say why each snippet ran and how long each stage took.") var verbose = false

  func run() throws {
    try locations.checkOutput(output)
    var options = locations.options(output: output, write: true)
    options.exitsAfterBuild = true
    let report = GuideBuild.run(options)
    if verbose {
      for (name, reason) in report.snippets.reasons.sorted(by: { $0.key < $1.key }) {
        print("snippet \(name): \(reason == "cached" ? "from the cache" : "ran: \(reason)")")
      }
      for phase in report.snippets.phases {
        print(
          "snippets, \(phase.name): \(String(format: "%.3f", phase.seconds)) s"
            + " (compilers and snippets: \(String(format: "%.1f", phase.childCPUSeconds)) s CPU)")
      }
      for (name, seconds, cpu, peak) in report.stages {
        print(
          "stage \(name): \(String(format: "%.3f", seconds)) s (CPU \(String(format: "%.3f", cpu)) s,"
            + " peak memory so far \(peak) MiB)")
      }
      if !report.unchanged {
        print("reused: \(report.filesReused) files unchanged, \(report.partsCopied) question parts of the aggregates")
        if report.pagesRestored > 0 {
          print("pages: \(report.pagesParsed) parsed, \(report.pagesRestored) taken from the last build's summaries")
        }
        if report.pagesLinkedBefore > 0 {
          print("links: \(report.pagesLinkedBefore) pages' links as the last build resolved them, the others' resolved")
        }
        if report.searchPagesReused + report.searchPagesAnalysed > 0 {
          print("search index: \(report.searchPagesAnalysed) pages analysed, \(report.searchPagesReused) reused from the last build")
        }
        if let update = report.searchShardsUpdated {
          print("search index: updated from the last build's, \(update.made) of \(update.shards) shards made again")
        }
      }
    }
    try finish(report, warningsAsErrors: locations.warningsAsErrors)
    if !quiet && report.unchanged {
      print(
        "guide: nothing changed since the last build of \(output) (\(String(format: "%.3f", report.seconds)) s); snippets: 0 ran, 0 from cache"
      )
    } else if !quiet {
      let s = report.snippets
      print(
        "guide: wrote \(report.filesWritten) files\(report.filesReused > 0 ? ", kept \(report.filesReused) unchanged" : "") (\(report.pages) pages) to \(output) in \(String(format: "%.2f", report.seconds)) s; snippets: \(s.ran) ran, \(s.cached) from cache; \(report.diagnostics.warningCount) warning(s)"
      )
    }
  }
}

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Run every validation of a build without writing the site.")
  @OptionGroup var locations: Locations
  @Option(help: "Output format: text or json.") var format: OutputFormat = .text

  enum OutputFormat: String, ExpressibleByArgument { case text, json }

  func run() throws {
    var options = locations.options(output: "Site", write: false)
    options.exitsAfterBuild = true
    let report = GuideBuild.run(options)
    try finish(report, warningsAsErrors: locations.warningsAsErrors, json: format == .json)
    if format == .text {
      print("guide check: no errors, \(report.diagnostics.warningCount) warning(s) in \(report.pages) pages")
    }
  }
}

struct New: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Create content from a template.", subcommands: [NewQuestion.self, NewSnippet.self])
}

struct NewQuestion: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "question", abstract: "Write a new question file and print its path.")
  @Option(help: "The guide's content folder.") var guide = "Guide"
  @Option(help: "The level id (e.g. junior, mid, senior).") var level: String
  @Option(help: "The question, as asked.") var title: String
  @Option(help: "Comma-separated tag ids.") var tags: String = ""
  @Option(help: "The question's id and file name, a short slug such as soft-nms (default: made from the title).") var id: String?

  func run() throws {
    do {
      let path = try Scaffold.newQuestion(
        guideDirectory: URL(fileURLWithPath: guide), level: level, title: title,
        tags: tags.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }, id: id)
      print(path)
    } catch let error as Scaffold.ScaffoldError {
      FileHandle.standardError.write(Data("error: \(error.message)\n    hint: \(error.hint)\n".utf8))
      throw ExitCode(error.isUsage ? 64 : 1)
    }
  }
}

func fail(message: String, hint: String, isUsage: Bool) throws -> Never {
  FileHandle.standardError.write(Data("error: \(message)\n    hint: \(hint)\n".utf8))
  throw ExitCode(isUsage ? 64 : 1)
}

struct NewSnippet: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "snippet", abstract: "Write a skeleton snippet and an empty expected-output file, and print their paths.")
  @Option(help: "The guide's content folder.") var guide = "Guide"
  @Option(help: "The snippet's title (default: its name).") var title: String?
  @Argument(help: "The snippet's name: lower-case letters, digits and '-' (e.g. soft-nms).") var name: String

  func run() throws {
    do {
      for path in try SnippetAcceptance.newSnippet(guideDirectory: URL(fileURLWithPath: guide), name: name, title: title) {
        print(path)
      }
    } catch let error as SnippetAcceptance.Failure {
      try fail(message: error.message, hint: error.hint, isUsage: error.isUsage)
    }
  }
}

struct SnippetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "snippet", abstract: "Work with the guide's snippets.", subcommands: [SnippetAccept.self])
}

struct SnippetAccept: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "accept",
    abstract: "Run a snippet and write its output into its .expected file (review the output first).",
    discussion: """
      Lines of the old file with {{measured}} or {{VALUE ± TOLERANCE}} that still match the new output at the \
      same line are kept as they were; every other line is replaced by the new output. Review the change with git diff.
      """)
  @OptionGroup var locations: Locations
  @Argument(help: "The snippet's name (e.g. iou).") var name: String

  func run() throws {
    do {
      let (accepted, diagnostics, sources) = try SnippetAcceptance.accept(
        name: name, options: locations.options(output: "Site", write: false))
      if !diagnostics.isEmpty {
        let printer = DiagnosticPrinter(useColor: isatty(2) != 0, sources: sources)
        FileHandle.standardError.write(Data((printer.format(diagnostics) + "\n").utf8))
      }
      guard let accepted else {
        FileHandle.standardError.write(Data("guide: snippet '\(name)' did not run; its .expected file was not changed\n".utf8))
        throw ExitCode(1)
      }
      print(
        "wrote \(accepted.path): \(accepted.lines) line(s), \(accepted.changedLines) changed, \(accepted.keptPatterns) pattern line(s) kept"
      )
    } catch let error as SnippetAcceptance.Failure {
      try fail(message: error.message, hint: error.hint, isUsage: error.isUsage)
    }
  }
}

struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Preview the guide on 127.0.0.1, rebuilding and reloading on every change.")
  @OptionGroup var locations: Locations
  @Option(help: "The port on 127.0.0.1.") var port: Int = 8000
  @Option(help: "Where the preview is built (not Site/, so the committed site stays as it is).") var output = ".guide-cache/preview"
  @Flag(name: .shortAndLong, help: "Log every HTTP request and connection (quiet by default).") var verbose = false

  func validate() throws {
    guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
  }

  func run() async throws {
    try locations.checkOutput(output)
    let server = PreviewServer(
      options: locations.options(output: output, write: true), port: UInt16(port), verbose: verbose
    ) { line in
      FileHandle.standardError.write(Data((line + "\n").utf8))
    }
    try await server.run()
  }
}
