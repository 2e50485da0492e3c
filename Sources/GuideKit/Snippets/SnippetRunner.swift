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
    let compilerVersion = Toolchain.version(of: compiler, cache: settings.cacheDirectory)
    let outcomes = ParallelMap.map(site.snippets, jobs: settings.jobs) { snippet in
      runOne(snippet, site: site, compiler: compiler, compilerVersion: compilerVersion)
    }
    var runs: [String: SnippetRun] = [:]
    var diagnostics: [Diagnostic] = []
    var stats = SnippetStatistics()
    for (snippet, outcome) in zip(site.snippets, outcomes) {
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

  /// The cache key components: everything that can change a result.
  struct KeyParts: Codable, Hashable {
    var source: String
    var shared: [String: String]
    var compiler: String
    var settings: String

    var key: String { Hashing.sha256([source] + shared.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + [compiler, settings]) }
  }

  func keyParts(for snippet: Snippet, site: SiteModel, compilerVersion: String) -> KeyParts {
    var shared: [String: String] = [:]
    for file in site.sharedClosure(of: snippet) { shared[file.fileName] = Hashing.sha256([file.source]) }
    let settingsText = "v1 flags=\(settings.compilerFlags.joined(separator: " ")) timeout=\(snippet.timeout) cap=\(settings.outputLimit)"
    return KeyParts(
      source: Hashing.sha256([snippet.source]), shared: shared, compiler: Hashing.sha256([compilerVersion]),
      settings: Hashing.sha256([settingsText]))
  }

  func runOne(_ snippet: Snippet, site: SiteModel, compiler: URL, compilerVersion: String) -> Outcome {
    let parts = keyParts(for: snippet, site: site, compilerVersion: compilerVersion)
    let key = parts.key
    let cache = settings.cacheDirectory.map { SnippetCache(directory: $0) }
    var reason = "no cache"
    if let cache {
      if !settings.rerun, var run = cache.load(key: key) {
        run.fromCache = true
        return Outcome(run: run, diagnostics: [], reason: "cached")
      }
      reason = settings.rerun ? "--rerun-snippets" : cache.explainMiss(name: snippet.name, parts: parts)
    }

    let fm = FileManager.default
    let work = fm.temporaryDirectory.appendingPathComponent("guide-snippet-\(snippet.name)-\(UUID().uuidString)")
    defer { try? fm.removeItem(at: work) }
    do {
      try fm.createDirectory(at: work, withIntermediateDirectories: true)
      try snippet.source.write(to: work.appendingPathComponent("main.swift"), atomically: false, encoding: .utf8)
      var pathMap = ["main.swift": snippet.displayPath]
      var files = ["main.swift"]
      for shared in site.sharedClosure(of: snippet) {
        try shared.source.write(to: work.appendingPathComponent(shared.fileName), atomically: false, encoding: .utf8)
        pathMap[shared.fileName] = shared.displayPath
        files.append(shared.fileName)
      }
      let environment = [
        "PATH": Toolchain.minimalPath(compiler: compiler), "HOME": work.path, "TMPDIR": work.path, "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8", "SWIFT_BACKTRACE": "enable=no",
      ]
      let binary = work.appendingPathComponent("snippet")
      let compile = try ProcessRunner(
        executable: compiler,
        arguments: settings.compilerFlags + ["-module-name", "Snippet"] + files + ["-o", binary.path],
        workingDirectory: work, environment: environment, timeout: 600, outputLimit: settings.outputLimit
      ).run()
      if compile.status != 0 || compile.timedOut {
        return Outcome(
          run: nil, diagnostics: compileDiagnostics(compile, snippet: snippet, pathMap: pathMap, workPath: work.path), reason: reason)
      }
      let run = try ProcessRunner(
        executable: binary, arguments: [], workingDirectory: work, environment: environment, timeout: snippet.timeout,
        outputLimit: settings.outputLimit
      ).run()
      if let problem = runDiagnostic(run, snippet: snippet) {
        return Outcome(run: nil, diagnostics: [problem], reason: reason)
      }
      let result = SnippetRun(
        name: snippet.name, stdout: run.stdout, stderr: run.stderr, runSeconds: run.seconds,
        compileSeconds: compile.seconds, fromCache: false)
      cache?.store(result, key: key, name: snippet.name, parts: parts)
      return Outcome(run: result, diagnostics: [], reason: reason)
    } catch {
      return Outcome(
        run: nil, diagnostics: [.error(snippet.displayPath, SourceLocation(line: 1, column: 1), "cannot run snippet: \(error)")],
        reason: reason)
    }
  }

  /// Maps swiftc's `file:line:col: error: message` lines back to the guide's paths.
  func compileDiagnostics(_ outcome: ProcessRunner.Outcome, snippet: Snippet, pathMap: [String: String], workPath: String) -> [Diagnostic] {
    if outcome.timedOut {
      return [.error(snippet.displayPath, SourceLocation(line: 1, column: 1), "snippet did not compile within 600 s")]
    }
    var diagnostics: [Diagnostic] = []
    let text = outcome.stderr + "\n" + outcome.stdout
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
      guard parts.count == 5, let lineNumber = Int(parts[1]), let column = Int(parts[2]),
        parts[3].trimmedSpaces == "error"
      else { continue }
      let file = (String(parts[0]) as NSString).lastPathComponent
      let path = pathMap[file] ?? snippet.displayPath
      diagnostics.append(
        .error(
          path, SourceLocation(line: lineNumber, column: column),
          "snippet '\(snippet.name)' does not compile: \(parts[4].trimmedSpaces)"))
    }
    if diagnostics.isEmpty {
      let tail = text.split(separator: "\n").suffix(12).map { "| " + $0.replacingOccurrences(of: workPath + "/", with: "") }
      diagnostics.append(
        .error(
          snippet.displayPath, SourceLocation(line: 1, column: 1),
          "snippet '\(snippet.name)' does not compile (swiftc exit \(outcome.status))",
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
