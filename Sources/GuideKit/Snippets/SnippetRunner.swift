import Foundation
import Markdown

/// The result of compiling and running one snippet.
public struct SnippetRun: Sendable, Codable, Hashable {
  public var name: String
  public var stdout: String
  public var stderr: String
  /// Seconds the program ran (machine-dependent; shown inside `data-measured`).
  public var runSeconds: Double
  public var compileSeconds: Double
  public var fromCache: Bool
  /// Figures the program saved (`NAME.svg` in the folder named by `GUIDE_FIGURES_DIR`), sorted by name.
  public var figures: [SnippetFigure] = []
}

/// What the runner did, for the build summary.
public struct SnippetStatistics: Sendable, Hashable {
  public var ran = 0
  public var cached = 0
  public var failed = 0
  /// Why each snippet ran (for `--verbose`).
  public var reasons: [String: String] = [:]
}

/// Compiles and runs snippets in parallel, with a content-hash cache.
public struct SnippetRunner: Sendable {
  public struct Settings: Sendable, Hashable {
    public var jobs: Int
    public var cacheDirectory: URL?
    public var rerun: Bool
    public var outputLimit: Int = 1 << 20
    public var compilerFlags = ["-O", "-wmo", "-swift-version", "6"]

    public init(jobs: Int, cacheDirectory: URL?, rerun: Bool) {
      self.jobs = jobs
      self.cacheDirectory = cacheDirectory
      self.rerun = rerun
    }
  }

  public var settings: Settings

  public init(settings: Settings) { self.settings = settings }

  /// Compiles and runs every snippet of the site; failures are diagnostics that name the pages
  /// embedding the snippet.
  ///
  /// The shared code (`Guide/snippets/Shared/`) is compiled once into the module `CVKit` (cached
  /// by the content of every shared file, the compiler and the flags); each snippet that is not in
  /// the cache is then compiled against it (imported implicitly, as `@testable`, so that snippets
  /// need no `import` line and shared code can stay internal) and run, in parallel.
  public func runAll(_ site: SiteModel) -> ([String: SnippetRun], [Diagnostic], SnippetStatistics) {
    guard !site.snippets.isEmpty else { return ([:], [], SnippetStatistics()) }
    guard let compiler = Toolchain.swiftc else {
      let first = site.snippets[0]
      return (
        [:],
        [
          .error(
            first.displayPath, SourceLocation(line: 1, column: 1), "cannot run snippets: 'swiftc' was not found",
            hint: "install Swift or put swiftc on PATH (or set SWIFTC)")
        ],
        SnippetStatistics()
      )
    }
    TemporaryFolders.removeStale()
    let compilerVersion = Toolchain.version(of: compiler, cache: settings.cacheDirectory)
    let cache = settings.cacheDirectory.map { SnippetCache(directory: $0) }

    // 1. What the cache already holds: a rebuild with nothing changed compiles nothing.
    var outcomes: [Outcome?] = []
    var keys: [KeyParts] = []
    for snippet in site.snippets {
      let parts = keyParts(for: snippet, site: site, compilerVersion: compilerVersion)
      keys.append(parts)
      if let cache, !settings.rerun, var run = cache.load(key: parts.key) {
        run.fromCache = true
        outcomes.append(Outcome(run: run, diagnostics: [], reason: "cached"))
      } else {
        outcomes.append(nil)
      }
    }
    let missing = outcomes.indices.filter { outcomes[$0] == nil }

    // 2. The shared module, once, only if something must be compiled.
    var sharedDiagnostics: [Diagnostic] = []
    var module: SharedModule?
    var moduleFailed = false
    if !missing.isEmpty && !site.sharedFiles.isEmpty {
      switch buildModule(site.sharedFiles, compiler: compiler, compilerVersion: compilerVersion) {
      case .success(let built): module = built
      case .failure(let failure):
        moduleFailed = true
        let names = missing.map { site.snippets[$0].name }
        sharedDiagnostics = failure.diagnostics.map {
          var d = $0
          d.notes.append("not run because the shared code does not compile: " + names.joined(separator: ", "))
          return d
        }
      }
    }

    // 3. Compile and run what is missing, in parallel.
    if !moduleFailed {
      let keys = keys
      let module = module
      let ran = ParallelMap.map(missing, jobs: settings.jobs) { index in
        let snippet = site.snippets[index]
        let parts = keys[index]
        let reason =
          cache == nil
          ? "no cache" : settings.rerun ? "--rerun-snippets" : cache!.explainMiss(name: snippet.name, parts: parts)
        return compileAndRun(snippet, parts: parts, module: module, compiler: compiler, cache: cache, reason: reason)
      }
      for (index, outcome) in zip(missing, ran) { outcomes[index] = outcome }
    }
    defer { if let module, module.temporary { try? FileManager.default.removeItem(at: module.directory) } }

    var runs: [String: SnippetRun] = [:]
    var diagnostics: [Diagnostic] = sharedDiagnostics
    var stats = SnippetStatistics()
    for (snippet, outcome) in zip(site.snippets, outcomes) {
      guard let outcome else {
        stats.reasons[snippet.name] = "not run: the shared code does not compile"
        stats.failed += 1
        continue
      }
      stats.reasons[snippet.name] = outcome.reason
      if let run = outcome.run {
        runs[snippet.name] = run
        if run.fromCache { stats.cached += 1 } else { stats.ran += 1 }
      } else {
        stats.failed += 1
        stats.ran += 1
      }
      let users = (site.snippetUsers[snippet.name] ?? []).map { site.pages[$0].displayPath }
      let usedBy = users.isEmpty ? "used by no page" : "used by: " + users.joined(separator: ", ")
      diagnostics += outcome.diagnostics.map {
        var d = $0
        d.notes.append(usedBy)
        return d
      }
    }
    return (runs, diagnostics, stats)
  }

  struct Outcome: Sendable {
    var run: SnippetRun?
    var diagnostics: [Diagnostic]
    var reason: String
  }

  /// The cache key components: everything that can change a result. A snippet's result depends
  /// on the shared files it uses (`// snippet.uses:`, transitively), not on the others.
  struct KeyParts: Codable, Hashable {
    var source: String
    var shared: [String: String]
    var compiler: String
    var settings: String

    var key: String { Hashing.sha256([source] + shared.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + [compiler, settings]) }
  }

  func keyParts(for snippet: Snippet, site: SiteModel, compilerVersion: String) -> KeyParts {
    // Every shared file, not only the `snippet.uses` closure: the snippet is compiled against the whole
    // shared module, so it can call (and the optimiser can inline) code from a file it does not name,
    // and a cache keyed on the closure alone would keep a stale result after that file changed.
    var shared: [String: String] = [:]
    for file in site.sharedFiles { shared[file.fileName] = Hashing.sha256([file.source]) }
    let settingsText =
      "v2 flags=\(settings.compilerFlags.joined(separator: " ")) module=\(SharedModule.flags.joined(separator: " ")) "
      + "timeout=\(snippet.timeout) cap=\(settings.outputLimit) figures=\(FigureCollector.version)"
    return KeyParts(
      source: Hashing.sha256([snippet.source]), shared: shared, compiler: Hashing.sha256([compilerVersion]),
      settings: Hashing.sha256([settingsText]))
  }

  /// The compiled shared code: `CVKit.swiftmodule` and its object files in `directory`.
  struct SharedModule: Sendable {
    static let name = "CVKit"
    /// `-parse-as-library`: shared files hold declarations only. `-enable-testing`: snippets import
    /// the module as `@testable`, so its internal declarations are visible to them.
    static let flags = ["-parse-as-library", "-enable-testing"]

    var directory: URL
    var objects: [String]
    /// Built for this run only (no cache directory): removed afterwards.
    var temporary: Bool

    /// What a snippet's compilation adds to see and link the module.
    var compilerArguments: [String] {
      ["-I", directory.path, "-Xfrontend", "-testable-import-module", "-Xfrontend", Self.name]
    }
  }

  struct ModuleFailure: Error {
    var diagnostics: [Diagnostic]
  }

  /// Compiles every shared file into the module, or takes it from the cache
  /// (`modules/<hash of the shared files, the compiler and the flags>/`).
  func buildModule(_ sharedFiles: [SharedSnippetFile], compiler: URL, compilerVersion: String) -> Result<SharedModule, ModuleFailure> {
    let files = sharedFiles.sorted { $0.fileName < $1.fileName }
    let flags = settings.compilerFlags + SharedModule.flags
    let key = Hashing.sha256(
      ["module v1", compilerVersion, flags.joined(separator: " ")] + files.flatMap { [$0.fileName, $0.source] })
    let fm = FileManager.default
    let modules = settings.cacheDirectory?.appendingPathComponent("modules")
    if let modules, let cached = Self.loadModule(modules.appendingPathComponent(key)) { return .success(cached) }

    let work = TemporaryFolders.make("guide-module")
    defer { try? fm.removeItem(at: work) }
    let sources = work.appendingPathComponent("src")
    let out = work.appendingPathComponent("out")
    var pathMap: [String: String] = [:]
    var diagnosticsPathHint: String = files[0].displayPath
    do {
      try fm.createDirectory(at: sources, withIntermediateDirectories: true)
      try fm.createDirectory(at: out, withIntermediateDirectories: true)
      for file in files {
        try Data(file.source.utf8).write(to: sources.appendingPathComponent(file.fileName))
        pathMap[file.fileName] = file.displayPath
      }
      diagnosticsPathHint = files[0].displayPath
      // Several object files (one per source, `-num-threads`): LLVM's work is spread over the cores.
      let arguments =
        flags + ["-num-threads", String(max(1, settings.jobs)), "-module-name", SharedModule.name, "-emit-module"]
        + ["-emit-module-path", out.appendingPathComponent(SharedModule.name + ".swiftmodule").path, "-c"]
        + files.map { "../src/" + $0.fileName }
      let compile = try ProcessRunner(
        executable: compiler, arguments: arguments, workingDirectory: out,
        environment: Toolchain.compilerEnvironment(compiler: compiler, home: work), timeout: 900,
        outputLimit: settings.outputLimit
      ).run()
      if compile.status != 0 || compile.timedOut || compile.signaled {
        return .failure(
          ModuleFailure(
            diagnostics: compileDiagnostics(
              compile, subject: "the shared snippet code", fallbackPath: diagnosticsPathHint, pathMap: pathMap,
              workPath: work.path)))
      }
      if let modules {
        let target = modules.appendingPathComponent(key)
        try? fm.createDirectory(at: modules, withIntermediateDirectories: true)
        // Only the current module is kept.
        for old in (try? fm.contentsOfDirectory(atPath: modules.path)) ?? [] where old != key {
          try? fm.removeItem(at: modules.appendingPathComponent(old))
        }
        if (try? fm.moveItem(at: out, to: target)) != nil || fm.fileExists(atPath: target.path),
          let module = Self.loadModule(target)
        {
          return .success(module)
        }
      }
      // No cache: keep the build folder for this run (removed by runAll).
      let kept = TemporaryFolders.make("guide-module")
      try? fm.removeItem(at: kept)
      try fm.moveItem(at: out, to: kept)
      guard var module = Self.loadModule(kept) else {
        throw ProcessRunner.SpawnError(description: "the compiler wrote no module")
      }
      module.temporary = true
      return .success(module)
    } catch {
      return .failure(
        ModuleFailure(diagnostics: [
          .error(
            diagnosticsPathHint, SourceLocation(line: 1, column: 1), "cannot compile the shared snippet code: \(error)")
        ]))
    }
  }

  static func loadModule(_ directory: URL) -> SharedModule? {
    guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(SharedModule.name + ".swiftmodule").path),
      let entries = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
    else { return nil }
    let objects = entries.filter { $0.hasSuffix(".o") }.sorted().map { directory.appendingPathComponent($0).path }
    guard !objects.isEmpty else { return nil }
    return SharedModule(directory: directory, objects: objects, temporary: false)
  }

  func compileAndRun(
    _ snippet: Snippet, parts: KeyParts, module: SharedModule?, compiler: URL, cache: SnippetCache?, reason: String
  ) -> Outcome {
    let fm = FileManager.default
    let work = TemporaryFolders.make("guide-snippet")
    defer { try? fm.removeItem(at: work) }
    do {
      let figures = work.appendingPathComponent("figures")
      try fm.createDirectory(at: figures, withIntermediateDirectories: true)
      try Data(snippet.source.utf8).write(to: work.appendingPathComponent("main.swift"))
      let binary = work.appendingPathComponent("snippet")
      let compile = try ProcessRunner(
        executable: compiler,
        arguments: settings.compilerFlags + ["-module-name", "Snippet"] + (module?.compilerArguments ?? []) + ["main.swift"]
          + (module?.objects ?? []) + ["-o", binary.path],
        workingDirectory: work, environment: Toolchain.compilerEnvironment(compiler: compiler, home: work), timeout: 600,
        outputLimit: settings.outputLimit
      ).run()
      if compile.status != 0 || compile.timedOut || compile.signaled {
        return Outcome(
          run: nil,
          diagnostics: compileDiagnostics(
            compile, subject: "snippet '\(snippet.name)'", fallbackPath: snippet.displayPath,
            pathMap: ["main.swift": snippet.displayPath], workPath: work.path),
          reason: reason)
      }
      var environment = Toolchain.compilerEnvironment(compiler: compiler, home: work)
      environment["GUIDE_FIGURES_DIR"] = figures.path
      let run = try ProcessRunner(
        executable: binary, arguments: [], workingDirectory: work, environment: environment, timeout: snippet.timeout,
        outputLimit: settings.outputLimit
      ).run()
      if let problem = runDiagnostic(run, snippet: snippet) {
        return Outcome(run: nil, diagnostics: [problem], reason: reason)
      }
      let (collected, figureProblems) = FigureCollector.collect(figures, snippet: snippet)
      if !figureProblems.isEmpty { return Outcome(run: nil, diagnostics: figureProblems, reason: reason) }
      let result = SnippetRun(
        name: snippet.name, stdout: run.stdout, stderr: run.stderr, runSeconds: run.seconds,
        compileSeconds: compile.seconds, fromCache: false, figures: collected)
      cache?.store(result, key: parts.key, name: snippet.name, parts: parts)
      return Outcome(run: result, diagnostics: [], reason: reason)
    } catch {
      return Outcome(
        run: nil, diagnostics: [.error(snippet.displayPath, SourceLocation(line: 1, column: 1), "cannot run snippet: \(error)")],
        reason: reason)
    }
  }

  /// Maps swiftc's `file:line:col: error: message` lines back to the guide's paths.
  func compileDiagnostics(
    _ outcome: ProcessRunner.Outcome, subject: String, fallbackPath: String, pathMap: [String: String], workPath: String
  ) -> [Diagnostic] {
    if outcome.timedOut {
      return [.error(fallbackPath, SourceLocation(line: 1, column: 1), "\(subject) did not compile within the time limit")]
    }
    var diagnostics: [Diagnostic] = []
    let text = outcome.stderr + "\n" + outcome.stdout
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
      guard parts.count == 5, let lineNumber = Int(parts[1]), let column = Int(parts[2]),
        parts[3].trimmedSpaces == "error"
      else { continue }
      let file = (String(parts[0]) as NSString).lastPathComponent
      let path = pathMap[file] ?? fallbackPath
      let diagnostic = Diagnostic.error(
        path, SourceLocation(line: lineNumber, column: column), "\(subject) does not compile: \(parts[4].trimmedSpaces)")
      if !diagnostics.contains(diagnostic) { diagnostics.append(diagnostic) }
    }
    if diagnostics.isEmpty {
      let tail = text.split(separator: "\n").suffix(12).map { "| " + $0.replacingOccurrences(of: workPath + "/", with: "") }
      let status = outcome.signaled ? "killed by signal \(outcome.status)" : "exit \(outcome.status)"
      diagnostics.append(
        .error(
          fallbackPath, SourceLocation(line: 1, column: 1), "\(subject) does not compile (swiftc \(status))",
          notes: tail))
    }
    return diagnostics
  }

  func runDiagnostic(_ outcome: ProcessRunner.Outcome, snippet: Snippet) -> Diagnostic? {
    let stderrTail = outcome.stderr.split(separator: "\n").suffix(12).map { "stderr | " + $0 }
    if outcome.timedOut {
      return .error(
        snippet.displayPath, SourceLocation(line: 1, column: 1), "snippet '\(snippet.name)' timed out after \(Int(snippet.timeout)) s",
        hint: "make it faster, or raise the limit with '// snippet.timeout: SECONDS' in its header", notes: stderrTail)
    }
    if outcome.outputExceeded {
      return .error(
        snippet.displayPath, SourceLocation(line: 1, column: 1),
        "snippet '\(snippet.name)' printed more than \(settings.outputLimit / 1024) KB of output",
        hint: "print a summary, not every value")
    }
    if outcome.signaled || outcome.status != 0 {
      let location = crashLocation(in: outcome.stderr) ?? SourceLocation(line: 1, column: 1)
      let what = outcome.signaled ? "crashed (signal \(outcome.status))" : "exited with status \(outcome.status)"
      return .error(
        snippet.displayPath, location, "snippet '\(snippet.name)' \(what)",
        hint: "run it by hand with 'Guide/snippets/run \(snippet.name)' to see the whole output", notes: stderrTail)
    }
    return nil
  }

  /// Swift runtime traps print `main.swift:LINE` or `file main.swift, line LINE`.
  func crashLocation(in stderr: String) -> SourceLocation? {
    for line in stderr.split(separator: "\n") {
      if let range = line.range(of: "main.swift:") {
        let digits = line[range.upperBound...].prefix(while: \.isNumber)
        if let n = Int(digits) { return SourceLocation(line: n, column: 1) }
      }
      if line.contains("main.swift, line "), let range = line.range(of: "line ") {
        let digits = line[range.upperBound...].prefix(while: \.isNumber)
        if let n = Int(digits) { return SourceLocation(line: n, column: 1) }
      }
    }
    return nil
  }
}

/// The on-disk cache of snippet runs, keyed by content hash.
struct SnippetCache {
  var directory: URL

  private var runsDirectory: URL { directory.appendingPathComponent("snippets") }

  func load(key: String) -> SnippetRun? {
    guard let data = try? Data(contentsOf: runsDirectory.appendingPathComponent(key + ".json")) else { return nil }
    return try? JSONDecoder().decode(SnippetRun.self, from: data)
  }

  func store(_ run: SnippetRun, key: String, name: String, parts: SnippetRunner.KeyParts) {
    let fm = FileManager.default
    try? fm.createDirectory(at: runsDirectory.appendingPathComponent("by-name"), withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    if let data = try? encoder.encode(run) {
      try? data.write(to: runsDirectory.appendingPathComponent(key + ".json"), options: .atomic)
    }
    if let data = try? encoder.encode(parts) {
      try? data.write(to: runsDirectory.appendingPathComponent("by-name/\(name).json"), options: .atomic)
    }
  }

  /// Why a snippet is not in the cache, compared with its last cached run.
  func explainMiss(name: String, parts: SnippetRunner.KeyParts) -> String {
    guard let data = try? Data(contentsOf: runsDirectory.appendingPathComponent("by-name/\(name).json")),
      let previous = try? JSONDecoder().decode(SnippetRunner.KeyParts.self, from: data)
    else { return "not in the cache (first run)" }
    var reasons: [String] = []
    if previous.source != parts.source { reasons.append("its source changed") }
    let changedShared = Set(previous.shared.keys).union(parts.shared.keys).filter { previous.shared[$0] != parts.shared[$0] }.sorted()
    if !changedShared.isEmpty { reasons.append("shared code changed: \(changedShared.joined(separator: ", "))") }
    if previous.compiler != parts.compiler { reasons.append("the compiler changed") }
    if previous.settings != parts.settings { reasons.append("runner settings changed") }
    return reasons.isEmpty ? "not in the cache" : reasons.joined(separator: "; ")
  }
}

/// Finding swiftc and describing it.
enum Toolchain {
  static let swiftc: URL? = {
    let env = ProcessInfo.processInfo.environment
    if let explicit = env["SWIFTC"], FileManager.default.isExecutableFile(atPath: explicit) { return URL(fileURLWithPath: explicit) }
    for dir in (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
      let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("swiftc")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
  }()

  /// `swiftc --version`, remembered in the cache under the identity of the compiler binary (its
  /// path, size, times and inode): running the compiler took 0.1 s of every rebuild.
  static func version(of compiler: URL, cache: URL?) -> String {
    let resolved = compiler.resolvingSymlinksInPath().path
    let key = Hashing.sha256([compiler.path, resolved, BuildManifest.identity(resolved)])
    let file = cache?.appendingPathComponent("toolchains").appendingPathComponent(key + ".txt")
    if let file, let known = try? String(contentsOf: file, encoding: .utf8), !known.isEmpty { return known }
    let version = version(of: compiler)
    if let file, !version.isEmpty {
      try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try? Data(version.utf8).write(to: file, options: .atomic)
    }
    return version
  }

  static func version(of compiler: URL) -> String {
    let outcome = try? ProcessRunner(
      executable: compiler, arguments: ["--version"], workingDirectory: FileManager.default.temporaryDirectory,
      environment: ["PATH": minimalPath(compiler: compiler)], timeout: 60, outputLimit: 65536
    ).run()
    return (outcome?.stdout ?? "") + (outcome?.stderr ?? "")
  }

  /// The minimal environment of the compiler and the snippets.
  static func compilerEnvironment(compiler: URL, home: URL) -> [String: String] {
    [
      "PATH": minimalPath(compiler: compiler), "HOME": home.path, "TMPDIR": home.path, "LANG": "C.UTF-8",
      "LC_ALL": "C.UTF-8", "SWIFT_BACKTRACE": "enable=no",
    ]
  }

  static func minimalPath(compiler: URL) -> String {
    compiler.deletingLastPathComponent().path + ":/usr/bin:/bin"
  }
}

/// SHA-256 hex digests of content.
public enum Hashing {
  public static func sha256(_ parts: [String]) -> String {
    var hasher = SHA256Digest()
    for part in parts {
      hasher.update(part.utf8)
      hasher.update(CollectionOfOne(UInt8(0)))
    }
    return hasher.finalizeHex()
  }

  /// The plain SHA-256 hex digest of one string (no separator), for tests against known vectors.
  public static func sha256Hex(_ text: String) -> String {
    var hasher = SHA256Digest()
    hasher.update(text.utf8)
    return hasher.finalizeHex()
  }
}
