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
  /// The shared files the compiled program depends on (through the symbols it refers to,
  /// transitively), sorted.
  public var sharedFilesUsed: [String] = []
}

/// What the runner did, for the build summary.
public struct SnippetStatistics: Sendable, Hashable {
  public var ran = 0
  public var cached = 0
  public var failed = 0
  /// Why each snippet ran (for `--verbose`).
  public var reasons: [String: String] = [:]
  /// Where the stage's time went, in order (for `--verbose`): each phase's wall-clock seconds and
  /// the CPU seconds (user + system) of the compilers and snippets that finished in it.
  public var phases: [SnippetPhase] = []
}

/// One phase of the snippet stage, timed.
public struct SnippetPhase: Sendable, Hashable {
  public var name: String
  public var seconds: Double
  public var childCPUSeconds: Double
}

/// Wall-clock and children's CPU time since it was made.
struct PhaseClock {
  private var wall = DispatchTime.now().uptimeNanoseconds
  private var cpu = PhaseClock.childrenCPU()

  static func childrenCPU() -> Double {
    var usage = rusage()
    #if os(Linux)
      getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    #else
      getrusage(RUSAGE_CHILDREN, &usage)
    #endif
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
  }

  /// The phase since the last lap, and a new start.
  mutating func lap(_ name: String) -> SnippetPhase {
    let now = DispatchTime.now().uptimeNanoseconds
    let cpuNow = Self.childrenCPU()
    defer {
      wall = now
      cpu = cpuNow
    }
    return SnippetPhase(name: name, seconds: Double(now - wall) / 1e9, childCPUSeconds: cpuNow - cpu)
  }
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
  /// 1. The declarations of the shared code (`CVKit`, see ``SharedModule``), from the cache or
  ///    emitted in half a second; their hash is part of every snippet's cache key.
  /// 2. The cache: a snippet is reused when its source, those declarations, the shared files it
  ///    used last time (found from its symbols), the compiler and the settings are unchanged.
  /// 3. What is missing is compiled in parallel: the shared objects (`-O`, once per change of
  ///    the shared code) beside the snippets, each against the declarations only.
  /// 4. Each compiled snippet is linked with the shared objects and run, in parallel.
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
    let fm = FileManager.default
    let compilerVersion = Toolchain.version(of: compiler, cache: settings.cacheDirectory)
    let cache = settings.cacheDirectory.map { SnippetCache(directory: $0) }
    let clangModuleCache = settings.cacheDirectory.map(Self.clangModuleCache(in:)) ?? TemporaryFolders.make("guide-module")
    defer { if settings.cacheDirectory == nil { try? fm.removeItem(at: clangModuleCache) } }
    let context = Context(
      compiler: compiler, compilerVersion: compilerVersion, clangModuleCache: clangModuleCache,
      sharedHashes: Dictionary(uniqueKeysWithValues: site.sharedFiles.map { ($0.fileName, Hashing.sha256([$0.source])) }))

    var clock = PhaseClock()
    var phases: [SnippetPhase] = []
    // 1. The declarations of the shared code.
    var module: SharedModule?
    var sharedDiagnostics: [Diagnostic] = []
    let builder = SharedModuleBuilder(
      files: site.sharedFiles, compiler: compiler, compilerVersion: compilerVersion, compilerFlags: settings.compilerFlags,
      jobs: settings.jobs, outputLimit: settings.outputLimit, cacheDirectory: settings.cacheDirectory,
      clangModuleCache: clangModuleCache)
    if !site.sharedFiles.isEmpty {
      switch builder.declarations() {
      case .success(let built): module = built
      case .failure(let failure): sharedDiagnostics = failure.diagnostics
      }
    }
    defer { if let module, module.temporary { try? fm.removeItem(at: module.directory) } }
    if !site.sharedFiles.isEmpty && module == nil {
      return notRun(site, because: sharedDiagnostics)
    }
    phases.append(clock.lap("declarations of the shared code"))

    // 2. What the cache already holds: a rebuild with nothing changed compiles nothing.
    var outcomes: [Outcome?] = []
    var reasons: [String] = []
    for snippet in site.snippets {
      let previous = cache?.previousParts(name: snippet.name)
      let parts = keyParts(for: snippet, used: previous?.shared.keys.sorted(), module: module, context: context)
      if let cache, !settings.rerun, previous != nil, var run = cache.load(key: parts.key) {
        run.fromCache = true
        outcomes.append(Outcome(run: run, diagnostics: [], reason: "cached"))
        reasons.append("cached")
      } else {
        outcomes.append(nil)
        reasons.append(
          cache == nil ? "no cache" : settings.rerun ? "--rerun-snippets" : cache!.explainMiss(previous: previous, now: parts))
      }
    }
    let missing = outcomes.indices.filter { outcomes[$0] == nil }
    guard !missing.isEmpty else { return collect(site, outcomes, [], phases: phases) }

    // 3. Compile the shared objects and the missing snippets side by side (largest first).
    enum Job: Sendable {
      case sharedObjects
      case snippet(Int)
    }
    let built = module
    let why = reasons
    let order = missing.sorted { site.snippets[$0].source.utf8.count > site.snippets[$1].source.utf8.count }
    let cachedObjects = module.flatMap { builder.cachedObjects(of: $0) }
    let jobs: [Job] = (module != nil && cachedObjects == nil ? [.sharedObjects] : []) + order.map { .snippet($0) }
    enum Compiled: Sendable {
      case objects(Result<[String: URL], SharedModule.Failure>)
      case snippet(Int, Result<CompiledSnippet, Outcome>)
    }
    let compiled = ParallelMap.map(jobs, jobs: settings.jobs) { job -> Compiled in
      switch job {
      case .sharedObjects: return .objects(builder.objects(of: built!))
      case .snippet(let index):
        return .snippet(index, compile(site.snippets[index], index: index, module: built, context: context, reason: why[index]))
      }
    }
    var objects: [String: URL] = cachedObjects ?? [:]
    var ready: [CompiledSnippet] = []
    defer { for snippet in ready { try? fm.removeItem(at: snippet.work) } }
    for result in compiled {
      switch result {
      case .objects(.success(let built)): objects = built
      case .objects(.failure(let failure)): sharedDiagnostics = failure.diagnostics
      case .snippet(let index, .failure(let outcome)): outcomes[index] = outcome
      case .snippet(_, .success(let snippet)): ready.append(snippet)
      }
    }
    if !sharedDiagnostics.isEmpty {
      return notRun(site, because: sharedDiagnostics)
    }
    let objectsCompiled = jobs.contains { if case .sharedObjects = $0 { true } else { false } }
    phases.append(
      clock.lap("compile \(objectsCompiled ? "the shared objects and " : "")\(order.count) snippet(s), \(settings.jobs) at a time"))

    // 4. Link and run, in parallel.
    let graph = SharedSymbolGraph(objects: objects)
    let linkAndRun = ready.sorted { $0.index < $1.index }
    let finalObjects = objects
    let ran = ParallelMap.map(linkAndRun, jobs: settings.jobs) { compiled -> Outcome in
      run(
        compiled, snippet: site.snippets[compiled.index], objects: finalObjects, graph: graph, module: built, cache: cache, context: context
      )
    }
    for (compiled, outcome) in zip(linkAndRun, ran) { outcomes[compiled.index] = outcome }
    phases.append(clock.lap("link and run \(linkAndRun.count) snippet(s)"))
    return collect(site, outcomes, [], phases: phases)
  }

  /// The compiler's cache of precompiled C modules, shared by every compilation of every build
  /// that uses this cache folder. Clang refuses a module cache that was moved (its files record
  /// their folder), so the folder is named after the absolute path of the cache, and the folders
  /// of other paths (a copied or moved cache) are removed.
  static func clangModuleCache(in cacheDirectory: URL) -> URL {
    let fm = FileManager.default
    let parent = cacheDirectory.appendingPathComponent("clang-modules")
    let name = String(Hashing.sha256([cacheDirectory.standardizedFileURL.path]).prefix(16))
    for entry in (try? fm.contentsOfDirectory(atPath: parent.path)) ?? [] where entry != name {
      try? fm.removeItem(at: parent.appendingPathComponent(entry))
    }
    return parent.appendingPathComponent(name)
  }

  /// What every compilation needs to know.
  struct Context: Sendable {
    var compiler: URL
    var compilerVersion: String
    var clangModuleCache: URL
    /// Shared file name → SHA-256 of its source.
    var sharedHashes: [String: String]
  }

  struct Outcome: Sendable, Error {
    var run: SnippetRun?
    var diagnostics: [Diagnostic]
    var reason: String
  }

  /// A snippet compiled to an object file, waiting to be linked with the shared objects.
  struct CompiledSnippet: Sendable {
    var index: Int
    var work: URL
    var object: URL
    var compileSeconds: Double
    var reason: String
  }

  /// The diagnostics of a shared module that does not compile, with every snippet not run.
  func notRun(_ site: SiteModel, because diagnostics: [Diagnostic]) -> ([String: SnippetRun], [Diagnostic], SnippetStatistics) {
    let names = site.snippets.map(\.name)
    var stats = SnippetStatistics()
    for name in names { stats.reasons[name] = "not run: the shared code does not compile" }
    stats.failed = names.count
    let noted = diagnostics.map {
      var d = $0
      d.notes.append("not run because the shared code does not compile: " + names.joined(separator: ", "))
      return d
    }
    return ([:], noted, stats)
  }

  /// The runs, diagnostics (with the pages that embed each snippet) and statistics.
  func collect(_ site: SiteModel, _ outcomes: [Outcome?], _ extra: [Diagnostic], phases: [SnippetPhase] = []) -> (
    [String: SnippetRun], [Diagnostic], SnippetStatistics
  ) {
    var runs: [String: SnippetRun] = [:]
    var diagnostics = extra
    var stats = SnippetStatistics()
    stats.phases = phases
    for (snippet, outcome) in zip(site.snippets, outcomes) {
      guard let outcome else { continue }
      stats.reasons[snippet.name] = outcome.reason
      var found = outcome.diagnostics
      if let run = outcome.run {
        runs[snippet.name] = run
        if run.fromCache { stats.cached += 1 } else { stats.ran += 1 }
        found += undeclaredUses(run, snippet: snippet, site: site)
      } else {
        stats.failed += 1
        stats.ran += 1
      }
      let users = (site.snippetUsers[snippet.name] ?? []).map { site.pages[$0].displayPath }
      let usedBy = users.isEmpty ? "used by no page" : "used by: " + users.joined(separator: ", ")
      diagnostics += found.map {
        var d = $0
        d.notes.append(usedBy)
        return d
      }
    }
    return (runs, diagnostics, stats)
  }

  /// A warning when the program depends on shared files its `// snippet.uses:` header (with the
  /// headers of the files it names) does not list: the snippet's page shows that list to readers.
  func undeclaredUses(_ run: SnippetRun, snippet: Snippet, site: SiteModel) -> [Diagnostic] {
    let declared = Set(site.sharedClosure(of: snippet).map(\.fileName))
    let missing = run.sharedFilesUsed.filter { !declared.contains($0) }
    guard !missing.isEmpty else { return [] }
    let names = missing.joined(separator: ", ")
    let header = "// snippet.uses: " + (snippet.uses + missing).joined(separator: " ")
    return [
      .warning(
        snippet.displayPath, snippet.usesLocation,
        "snippet '\(snippet.name)' uses \(names) from snippets/Shared without naming \(missing.count == 1 ? "it" : "them") in its 'snippet.uses' header",
        hint: "write '\(header)' (its page lists the shared files it uses)")
    ]
  }

  /// The cache key components: everything that can change a result. A snippet is compiled
  /// against the declarations of the shared code and linked with its objects, so its result
  /// depends on those declarations and on the bodies of the shared files it reaches through
  /// symbols (`used`: found when it was last compiled), not on the other files.
  struct KeyParts: Codable, Hashable {
    var source: String
    /// SHA-256 of the shared code's declarations (the bodiless `CVKit.swiftmodule`).
    var declarations: String
    /// Used shared file → SHA-256 of its source ("" for a file that no longer exists).
    var shared: [String: String]
    var compiler: String
    var settings: String

    var key: String {
      Hashing.sha256(
        [source, declarations] + shared.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + [compiler, settings])
    }
  }

  func keyParts(for snippet: Snippet, used: [String]?, module: SharedModule?, context: Context) -> KeyParts {
    var shared: [String: String] = [:]
    for file in used ?? [] { shared[file] = context.sharedHashes[file] ?? "" }
    let settingsText =
      "v3 flags=\(settings.compilerFlags.joined(separator: " ")) module=\(SharedModule.version) \(SharedModule.flags.joined(separator: " ")) "
      + "timeout=\(snippet.timeout) cap=\(settings.outputLimit) figures=\(FigureCollector.version)"
    return KeyParts(
      source: Hashing.sha256([snippet.source]), declarations: module?.interfaceHash ?? "", shared: shared,
      compiler: Hashing.sha256([context.compilerVersion]), settings: Hashing.sha256([settingsText]))
  }

  /// Compiles one snippet to an object file against the shared declarations.
  func compile(_ snippet: Snippet, index: Int, module: SharedModule?, context: Context, reason: String) -> Result<
    CompiledSnippet, Outcome
  > {
    let work = TemporaryFolders.make("guide-snippet")
    let fail = { (diagnostics: [Diagnostic]) -> Result<CompiledSnippet, Outcome> in
      try? FileManager.default.removeItem(at: work)
      return .failure(Outcome(run: nil, diagnostics: diagnostics, reason: reason))
    }
    do {
      try Data(snippet.source.utf8).write(to: work.appendingPathComponent("main.swift"))
      let object = work.appendingPathComponent("snippet.o")
      let outcome = try ProcessRunner(
        executable: context.compiler,
        arguments: settings.compilerFlags + ["-module-cache-path", context.clangModuleCache.path, "-module-name", "Snippet"]
          + (module?.compilerArguments ?? []) + ["-c", "main.swift", "-o", object.path],
        workingDirectory: work, environment: Toolchain.compilerEnvironment(compiler: context.compiler, home: work),
        timeout: 600, outputLimit: settings.outputLimit
      ).run()
      if outcome.status != 0 || outcome.timedOut || outcome.signaled {
        return fail(
          CompilerDiagnostics.parse(
            outcome, subject: "snippet '\(snippet.name)'", fallbackPath: snippet.displayPath,
            pathMap: ["main.swift": snippet.displayPath], workPath: work.path))
      }
      return .success(CompiledSnippet(index: index, work: work, object: object, compileSeconds: outcome.seconds, reason: reason))
    } catch {
      return fail([.error(snippet.displayPath, SourceLocation(line: 1, column: 1), "cannot compile snippet: \(error)")])
    }
  }

  /// Links a compiled snippet with the shared objects, runs it, collects its figures and caches the result.
  func run(
    _ compiled: CompiledSnippet, snippet: Snippet, objects: [String: URL], graph: SharedSymbolGraph, module: SharedModule?,
    cache: SnippetCache?, context: Context
  ) -> Outcome {
    let fm = FileManager.default
    let work = compiled.work
    let reason = compiled.reason
    do {
      let binary = work.appendingPathComponent("snippet")
      let link = try ProcessRunner(
        executable: context.compiler,
        arguments: settings.compilerFlags + [compiled.object.path] + objects.keys.sorted().map { objects[$0]!.path }
          + ["-o", binary.path],
        workingDirectory: work, environment: Toolchain.compilerEnvironment(compiler: context.compiler, home: work),
        timeout: 600, outputLimit: settings.outputLimit
      ).run()
      if link.status != 0 || link.timedOut || link.signaled {
        return Outcome(
          run: nil,
          diagnostics: CompilerDiagnostics.parse(
            link, subject: "snippet '\(snippet.name)'", fallbackPath: snippet.displayPath,
            pathMap: ["main.swift": snippet.displayPath], workPath: work.path),
          reason: reason)
      }
      let used = module == nil ? [] : graph.filesUsed(by: ObjectSymbols.read(compiled.object))
      let figures = work.appendingPathComponent("figures")
      try fm.createDirectory(at: figures, withIntermediateDirectories: true)
      var environment = Toolchain.compilerEnvironment(compiler: context.compiler, home: work)
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
        compileSeconds: compiled.compileSeconds + link.seconds, fromCache: false, figures: collected, sharedFilesUsed: used)
      if let cache {
        let parts = keyParts(for: snippet, used: used, module: module, context: context)
        cache.store(result, key: parts.key, name: snippet.name, parts: parts)
      }
      return Outcome(run: result, diagnostics: [], reason: reason)
    } catch {
      return Outcome(
        run: nil, diagnostics: [.error(snippet.displayPath, SourceLocation(line: 1, column: 1), "cannot run snippet: \(error)")],
        reason: reason)
    }
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

  /// The key components of the snippet's last compiled run (they name the shared files it used).
  func previousParts(name: String) -> SnippetRunner.KeyParts? {
    guard let data = try? Data(contentsOf: runsDirectory.appendingPathComponent("by-name/\(name).json")) else { return nil }
    return try? JSONDecoder().decode(SnippetRunner.KeyParts.self, from: data)
  }

  /// Why a snippet is not in the cache, compared with its last compiled run.
  func explainMiss(previous: SnippetRunner.KeyParts?, now parts: SnippetRunner.KeyParts) -> String {
    guard let previous else { return "not in the cache (first run)" }
    var reasons: [String] = []
    if previous.source != parts.source { reasons.append("its source changed") }
    if previous.declarations != parts.declarations { reasons.append("the declarations of the shared code changed") }
    let changedShared = previous.shared.keys.filter { previous.shared[$0] != parts.shared[$0] }.sorted()
    if !changedShared.isEmpty { reasons.append("shared code it uses changed: \(changedShared.joined(separator: ", "))") }
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
