import Foundation
import Markdown

/// The shared snippet code (`Guide/snippets/Shared/*.swift`) as the module `CVKit`, built in two
/// steps so that snippets need not wait for the optimiser:
///
/// 1. **Declarations** (`interface/CVKit.swiftmodule`): emitted without function bodies
///    (`-experimental-skip-non-inlinable-function-bodies`), in about half a second. Snippets are
///    type-checked and compiled against it, so they can start at once, and nothing of the shared
///    code is inlined into them: they reach it only through symbols, which tells the runner exactly
///    which shared files each snippet depends on. Editing a function body leaves these bytes
///    unchanged, so the hash of this file is the part of every snippet's cache key that stands for
///    "the declarations of the shared code".
/// 2. **Objects** (one per shared file): compiled with `-O`, file by file, in parallel with the
///    snippets, and linked into each of them. Each is cached by its own source and the declarations
///    (`shared-objects/<hash>.o`), so a body edit recompiles one file.
///
/// The declarations are cached under `modules/<hash of every shared file, the compiler and the flags>/`.
struct SharedModule: Sendable {
  static let name = "CVKit"
  /// `-parse-as-library`: shared files hold declarations only. `-enable-testing`: snippets import
  /// the module as `@testable`, so its internal declarations are visible to them.
  static let flags = ["-parse-as-library", "-enable-testing"]
  static let version = "module v2"

  var directory: URL
  /// SHA-256 of the declarations-only `CVKit.swiftmodule`.
  var interfaceHash: String
  /// Built for this run only (no cache directory): removed afterwards.
  var temporary: Bool

  var interfaceDirectory: URL { directory.appendingPathComponent("interface") }

  /// What a snippet's compilation adds to see the module (imported implicitly, as `@testable`).
  var compilerArguments: [String] {
    ["-I", interfaceDirectory.path, "-Xfrontend", "-testable-import-module", "-Xfrontend", Self.name]
  }

  struct Failure: Error {
    var diagnostics: [Diagnostic]
  }
}

/// Builds (or finds in the cache) the two halves of `CVKit`.
struct SharedModuleBuilder: Sendable {
  /// Sorted by file name (the order of the compiler's arguments and of the key).
  let files: [SharedSnippetFile]
  var compiler: URL
  var compilerVersion: String
  var compilerFlags: [String]
  var jobs: Int
  var outputLimit: Int
  /// The cache folder (`modules/` and the clang module cache go inside); nil: a temporary folder.
  var cacheDirectory: URL?
  /// Where the compiler keeps its precompiled C modules (Glibc, Foundation's shims). Sharing it
  /// between all compilations matters: a fresh one costs about a second of every compilation.
  var clangModuleCache: URL

  init(
    files: [SharedSnippetFile], compiler: URL, compilerVersion: String, compilerFlags: [String], jobs: Int,
    outputLimit: Int, cacheDirectory: URL?, clangModuleCache: URL
  ) {
    self.files = files.sorted { $0.fileName < $1.fileName }
    self.compiler = compiler
    self.compilerVersion = compilerVersion
    self.compilerFlags = compilerFlags
    self.jobs = jobs
    self.outputLimit = outputLimit
    self.cacheDirectory = cacheDirectory
    self.clangModuleCache = clangModuleCache
  }

  var key: String {
    Hashing.sha256(
      [SharedModule.version, compilerVersion, (compilerFlags + SharedModule.flags).joined(separator: " ")]
        + files.flatMap { [$0.fileName, $0.source] })
  }

  /// The declarations half: from the cache, or emitted now (the shared files' declarations must
  /// type-check; errors in function bodies are reported when the objects are compiled).
  func declarations() -> Result<SharedModule, SharedModule.Failure> {
    let fm = FileManager.default
    let key = key
    let directory: URL
    var temporary = false
    if let cacheDirectory {
      let modules = cacheDirectory.appendingPathComponent("modules")
      directory = modules.appendingPathComponent(key)
      if let module = Self.load(directory) { return .success(module) }
      try? fm.createDirectory(at: modules, withIntermediateDirectories: true)
      // Only the current module is kept.
      for old in (try? fm.contentsOfDirectory(atPath: modules.path)) ?? [] where old != key {
        try? fm.removeItem(at: modules.appendingPathComponent(old))
      }
    } else {
      // Made only once the declarations compiled (a failed build must leave no folder behind).
      directory = TemporaryFolders.url("guide-module")
      temporary = true
    }
    let work = TemporaryFolders.make("guide-module")
    defer { try? fm.removeItem(at: work) }
    let arguments =
      compilerFlags + SharedModule.flags + ["-module-cache-path", clangModuleCache.path]
      + ["-module-name", SharedModule.name, "-emit-module", "-emit-module-path", SharedModule.name + ".swiftmodule"]
      + ["-Xfrontend", "-experimental-skip-non-inlinable-function-bodies"]
    if let failure = compile(arguments, in: work, subject: "the shared snippet code") { return .failure(failure) }
    let out = work.appendingPathComponent("out")
    guard let bytes = try? Data(contentsOf: out.appendingPathComponent(SharedModule.name + ".swiftmodule")) else {
      return .failure(failure("the compiler wrote no module"))
    }
    let hash = Hashing.sha256Hex(bytes: bytes)
    do {
      try fm.createDirectory(at: directory, withIntermediateDirectories: true)
      let interface = directory.appendingPathComponent("interface")
      // A concurrent build with the same shared code may have finished first: use its copy rather
      // than replace a module its snippets are compiling against.
      if !temporary, let done = Self.load(directory) { return .success(done) }
      // The folder appears whole (module and hash) with one rename.
      try Data(hash.utf8).write(to: out.appendingPathComponent("interface.sha256"))
      if (try? fm.moveItem(at: out, to: interface)) == nil {
        if !temporary, let done = Self.load(directory) { return .success(done) }
        try? fm.removeItem(at: interface)
        try fm.moveItem(at: out, to: interface)
      }
    } catch {
      return .failure(failure("cannot keep the compiled shared code: \(error)"))
    }
    return .success(SharedModule(directory: directory, interfaceHash: hash, temporary: temporary))
  }

  /// Where the object files are kept: one per shared file, named by the hash of what it is
  /// compiled from (`shared-objects/<hash>.o`), so editing one file recompiles that file only.
  func objectPool(for module: SharedModule) -> URL {
    cacheDirectory?.appendingPathComponent("shared-objects") ?? module.directory.appendingPathComponent("objects")
  }

  /// The cache key of one file's object: its source, the declarations of the whole module (the
  /// other files are seen through them), the compiler and the flags.
  func objectKey(_ file: SharedSnippetFile, module: SharedModule) -> String {
    Hashing.sha256(
      ["object v1", compilerVersion, objectFlags.joined(separator: " "), module.interfaceHash, file.fileName, file.source])
  }

  /// `-O` without `-wmo`: each file is optimised on its own, so each object holds the code of its own
  /// file only and a snippet's symbols name the files it depends on. (With `-wmo`, module-wide tables
  /// and global initialisers land in the first file's object.) The detector benchmark measured no
  /// slower this way.
  var objectFlags: [String] {
    compilerFlags.filter { $0 != "-wmo" && $0 != "-whole-module-optimization" } + SharedModule.flags
  }

  /// Where each shared file's object is (or will be) in the pool: file name → object file.
  func objectFiles(of module: SharedModule) -> [String: URL] {
    let pool = objectPool(for: module)
    return Dictionary(
      uniqueKeysWithValues: files.map { ($0.fileName, pool.appendingPathComponent(objectKey($0, module: module) + ".o")) })
  }

  /// The objects already compiled, or nil when one is missing.
  func cachedObjects(of module: SharedModule) -> [String: URL]? {
    let objects = objectFiles(of: module)
    return objects.values.allSatisfy { FileManager.default.fileExists(atPath: $0.path) } ? objects : nil
  }

  /// The objects half, compiled with the build's optimisation flags: only the files whose object
  /// is not in the pool, split over `jobs` compiler processes (each compiles several files, seeing
  /// the rest as declarations).
  func objects(of module: SharedModule) -> Result<[String: URL], SharedModule.Failure> {
    let fm = FileManager.default
    let pool = objectPool(for: module)
    try? fm.createDirectory(at: pool, withIntermediateDirectories: true)
    let objects = objectFiles(of: module)
    let missing = files.filter { !fm.fileExists(atPath: objects[$0.fileName]!.path) }
    // Only the objects of the current files are kept, apart from recent ones: another build
    // sharing this cache (`guide serve` beside `guide build`) may be about to link them.
    let current = Set(objects.values.map(\.lastPathComponent))
    for entry in (try? fm.contentsOfDirectory(atPath: pool.path)) ?? [] where !current.contains(entry) {
      let url = pool.appendingPathComponent(entry)
      let modified = (try? fm.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date ?? .distantPast
      if Date().timeIntervalSince(modified) > 600 { try? fm.removeItem(at: url) }
    }
    guard !missing.isEmpty else { return .success(objects) }

    let work = TemporaryFolders.make("guide-module")
    defer { try? fm.removeItem(at: work) }
    let groups = max(1, min(jobs, missing.count))
    // Largest first, dealt round-robin, so the processes finish at about the same time.
    let bySize = missing.sorted { $0.source.utf8.count > $1.source.utf8.count }
    let batches = (0..<groups).map { group in stride(from: group, to: bySize.count, by: groups).map { bySize[$0] } }
    let failures = ParallelMap.map(batches, jobs: groups) { batch -> SharedModule.Failure? in
      let primaries = Set(batch.map(\.fileName))
      var arguments =
        ["-frontend", "-c"] + objectFlags
        + ["-module-cache-path", clangModuleCache.path, "-module-name", SharedModule.name]
      for file in files {
        arguments += primaries.contains(file.fileName) ? ["-primary-file", "../src/" + file.fileName] : ["../src/" + file.fileName]
      }
      for file in files where primaries.contains(file.fileName) {
        arguments += ["-o", file.fileName.dropLast(".swift".count) + ".o"]
      }
      let folder = work.appendingPathComponent("batch-\(batch[0].fileName)")
      return compile(arguments, in: folder, subject: "the shared snippet code", addSources: false)
    }
    if failures.contains(where: { $0 != nil }) {
      return .failure(SharedModule.Failure(diagnostics: Self.unique(failures)))
    }
    for (index, batch) in batches.enumerated() {
      let out = work.appendingPathComponent("batch-\(batch[0].fileName)").appendingPathComponent("out")
      for file in batch {
        let built = out.appendingPathComponent(file.fileName.dropLast(".swift".count) + ".o")
        let target = objects[file.fileName]!
        // A concurrent build may have put the same object there first (same key, same bytes):
        // keep that one rather than replace a file it may be linking.
        if (try? fm.moveItem(at: built, to: target)) == nil && !fm.fileExists(atPath: target.path) {
          return .failure(failure("cannot keep the compiled shared code (batch \(index + 1)): \(target.lastPathComponent)"))
        }
      }
    }
    return .success(objects)
  }

  /// The diagnostics of several failed compilations, each once, in order.
  static func unique(_ failures: [SharedModule.Failure?]) -> [Diagnostic] {
    var seen: [Diagnostic] = []
    for diagnostic in failures.compactMap({ $0 }).flatMap(\.diagnostics) where !seen.contains(diagnostic) {
      seen.append(diagnostic)
    }
    return seen
  }

  static func load(_ directory: URL) -> SharedModule? {
    let fm = FileManager.default
    guard
      fm.fileExists(
        atPath: directory.appendingPathComponent("interface").appendingPathComponent(SharedModule.name + ".swiftmodule").path),
      let hash = try? String(
        contentsOf: directory.appendingPathComponent("interface").appendingPathComponent("interface.sha256"), encoding: .utf8),
      hash.count == 64
    else { return nil }
    return SharedModule(directory: directory, interfaceHash: hash, temporary: false)
  }

  /// Runs swiftc on the shared files (written to `work/src`, output in `work/out`); the failure's
  /// diagnostics point at the shared files' own paths.
  private func compile(_ arguments: [String], in work: URL, subject: String, addSources: Bool = true) -> SharedModule.Failure? {
    let fm = FileManager.default
    let sources = work.appendingPathComponent("src")
    let out = work.appendingPathComponent("out")
    var pathMap: [String: String] = [:]
    do {
      try fm.createDirectory(at: sources, withIntermediateDirectories: true)
      try fm.createDirectory(at: out, withIntermediateDirectories: true)
      for file in files {
        try Data(file.source.utf8).write(to: sources.appendingPathComponent(file.fileName))
        pathMap[file.fileName] = file.displayPath
      }
      let outcome = try ProcessRunner(
        executable: compiler, arguments: arguments + (addSources ? files.map { "../src/" + $0.fileName } : []),
        workingDirectory: out,
        environment: Toolchain.compilerEnvironment(compiler: compiler, home: work), timeout: 900, outputLimit: outputLimit
      ).run()
      if outcome.status != 0 || outcome.timedOut || outcome.signaled {
        return SharedModule.Failure(
          diagnostics: CompilerDiagnostics.parse(
            outcome, subject: subject, fallbackPath: files[0].displayPath, pathMap: pathMap, workPath: work.path))
      }
      return nil
    } catch {
      return failure("cannot compile the shared snippet code: \(error)")
    }
  }

  private func failure(_ message: String) -> SharedModule.Failure {
    let path = files.map(\.displayPath).min() ?? "snippets/Shared"
    return SharedModule.Failure(diagnostics: [.error(path, SourceLocation(line: 1, column: 1), message)])
  }
}

/// Maps swiftc's `file:line:col: error: message` lines back to the guide's paths.
enum CompilerDiagnostics {
  static func parse(
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
          fallbackPath, SourceLocation(line: 1, column: 1), "\(subject) does not compile (swiftc \(status))", notes: tail))
    }
    return diagnostics
  }
}
