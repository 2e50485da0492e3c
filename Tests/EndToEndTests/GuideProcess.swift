import Foundation
import Testing

/// Helpers for running the built `guide` binary as a process against fixture guides.
///
/// Conventions (shared by every end-to-end test):
/// - Fixtures live in `Tests/Fixtures/<name>/Guide/`. A test copies the fixture folder (the parent
///   of `Guide/`) into a fresh temporary folder and runs the binary with that copy as its working
///   directory, passing `--guide Guide`. Diagnostic paths are therefore relative to the fixture
///   folder: `Guide/questions/junior/iou.md:3:8: error: …`.
/// - Templates: the real `Templates/` of the package (absolute path from `#filePath`), unless the
///   environment variable `GUIDE_TEST_TEMPLATES` names another folder. A case that needs broken
///   templates copies them into its working directory as `Templates/` (paths `Templates/x.mustache`).
/// - The binary: `GUIDE_BINARY`, else the `guide` built with the tests (next to the test runner or the
///   test bundle, so a sanitizer build tests the sanitized binary), else `<package>/.build/debug/guide`.
///   Never `.build/release/guide`: `swift test` does not rebuild it, so it may be stale.
/// - Snippet results are cached with `--cache` in a temporary folder, never in the package.
enum E2E {
  /// The package root: three levels above this file (Tests/EndToEndTests/GuideProcess.swift).
  static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")

  static let templates: URL = {
    if let explicit = ProcessInfo.processInfo.environment["GUIDE_TEST_TEMPLATES"], !explicit.isEmpty {
      return URL(fileURLWithPath: explicit)
    }
    return packageRoot.appendingPathComponent("Templates")
  }()

  static let binary: URL? = {
    let fm = FileManager.default
    var candidates: [URL] = []
    if let explicit = ProcessInfo.processInfo.environment["GUIDE_BINARY"], !explicit.isEmpty {
      candidates.append(URL(fileURLWithPath: explicit))
    }
    let runner = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
    candidates.append(runner.appendingPathComponent("guide"))
    for bundle in Bundle.allBundles {
      candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("guide"))
    }
    candidates.append(packageRoot.appendingPathComponent(".build/debug/guide"))
    return candidates.first { fm.isExecutableFile(atPath: $0.path) }
  }()

  struct Result: Sendable, CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    /// The `path:line:col: severity: message` lines of stderr, in order.
    var diagnosticLines: [String] {
      stderr.split(separator: "\n").map(String.init).filter { E2E.isDiagnosticLine($0) }
    }

    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
  }

  static func isDiagnosticLine(_ line: String) -> Bool {
    guard let first = line.first, first != " " else { return false }
    return line.range(of: #"^\S.*:\d+:\d+: (error|warning): "#, options: .regularExpression) != nil
  }

  private final class Sink: @unchecked Sendable {
    var data = Data()
  }

  /// Runs the binary with `arguments` in `directory`; waits for it to exit.
  static func run(_ arguments: [String], in directory: URL, executable: URL? = nil) throws -> Result {
    let binary = try #require(binary, "no guide binary: build it (swift build) or set GUIDE_BINARY")
    let process = Process()
    process.executableURL = executable ?? binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    let group = DispatchGroup()
    let sinks = [Sink(), Sink()]
    try process.run()
    for (pipe, sink) in zip([out, err], sinks) {
      group.enter()
      DispatchQueue.global().async {
        sink.data = pipe.fileHandleForReading.readDataToEndOfFile()
        group.leave()
      }
    }
    group.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: sinks[0].data, as: UTF8.self),
      stderr: String(decoding: sinks[1].data, as: UTF8.self))
  }

  /// A fresh temporary folder (removed by the caller with ``remove(_:)``).
  static func temporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("guide-e2e-\(label)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.resolvingSymlinksInPath()
  }

  static func remove(_ url: URL) {
    try? FileManager.default.removeItem(at: url)
  }

  /// Copies `Tests/Fixtures/<relative>` to `destination` (which must not exist).
  static func copyFixture(_ relative: String, to destination: URL) throws {
    try FileManager.default.copyItem(at: fixtures.appendingPathComponent(relative), to: destination)
  }

  /// `build` arguments for a guide in the working directory.
  static func buildArguments(output: String = "Site", cache: URL, templates: String? = nil, extra: [String] = []) -> [String] {
    ["build", "--guide", "Guide", "--templates", templates ?? E2E.templates.path, "--output", output, "--cache", cache.path, "--jobs", "2"]
      + extra
  }

  /// `(ran, fromCache)` from the summary line `…; snippets: R ran, C from cache; …`.
  static func snippetCounts(_ stdout: String) -> (ran: Int, cached: Int)? {
    guard let range = stdout.range(of: #"snippets: \d+ ran, \d+ from cache"#, options: .regularExpression) else { return nil }
    let numbers = stdout[range].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    guard numbers.count == 2 else { return nil }
    return (numbers[0], numbers[1])
  }

  /// Every regular file under `directory`, by relative path.
  static func files(in directory: URL) -> [String: Data] {
    var out: [String: Data] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return out }
    while let item = enumerator.nextObject() as? String {
      var isDir: ObjCBool = false
      let url = directory.appendingPathComponent(item)
      if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue {
        out[item] = FileManager.default.contents(atPath: url.path)
      }
    }
    return out
  }

  /// The text with the contents of every `data-measured` element replaced by `…`.
  static func maskMeasured(_ text: String) -> String {
    text.replacingOccurrences(
      of: #"(<([a-zA-Z]+)[^>]*\sdata-measured[^>]*>)(.*?)(</\2>)"#, with: "$1…$4", options: .regularExpression)
  }

  static func read(_ url: URL) throws -> String {
    let data = try #require(FileManager.default.contents(atPath: url.path), "missing \(url.path)")
    return String(decoding: data, as: UTF8.self)
  }

  // MARK: - A warm snippet cache for the basic fixture

  /// A cache folder in which both snippets of the basic fixture have run once. Tests copy it.
  static let warmBasicCache: Swift.Result<URL, WarmUpError> = {
    do {
      let work = try temporaryDirectory("warm")
      try copyFixture("basic", to: work.appendingPathComponent("basic"))
      let cache = work.appendingPathComponent("cache")
      let result = try run(buildArguments(output: "Site", cache: cache), in: work.appendingPathComponent("basic"))
      guard result.status == 0 else { return .failure(WarmUpError(message: "warming the cache failed:\n\(result)")) }
      return .success(cache)
    } catch {
      return .failure(WarmUpError(message: "\(error)"))
    }
  }()

  struct WarmUpError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  /// A private copy of the warm cache inside `directory`.
  static func warmCacheCopy(in directory: URL) throws -> URL {
    let source = try warmBasicCache.get()
    let copy = directory.appendingPathComponent("cache")
    try FileManager.default.copyItem(at: source, to: copy)
    return copy
  }
}
