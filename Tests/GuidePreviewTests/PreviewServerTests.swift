import Foundation
import GuideKit
import Synchronization
import Testing

@testable import GuidePreview

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

@Suite struct PreviewServerTests {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  @Test(arguments: [
    "/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%252e%252e/etc/passwd", "/a/../../etc/passwd", "/..%2fetc/passwd",
    "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
  ])
  func refusesPathsThatLeaveTheSite(_ path: String) throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("preview-root-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(PreviewServer.resolve(path: path, root: root) == nil, "\(path) must be refused")
  }

  @Test func mapsFoldersToTheirIndexPage() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("preview-root-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("levels"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(PreviewServer.resolve(path: "/", root: root)?.lastPathComponent == "index.html")
    #expect(PreviewServer.resolve(path: "/levels/junior.html?x=1#top", root: root)?.path.hasSuffix("levels/junior.html") == true)
  }

  /// A tiny guide with no snippets, written into a temporary folder.
  static func makeGuide() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("preview-guide-\(UUID().uuidString)")
    let fm = FileManager.default
    try fm.createDirectory(at: dir.appendingPathComponent("questions/junior"), withIntermediateDirectories: true)
    try """
    title: Preview test
    levels:
      - id: junior
        name: Junior
    tags:
      cnn: Convolutional networks
    """.write(to: dir.appendingPathComponent("guide.yml"), atomically: true, encoding: .utf8)
    try "---\ntitle: Home\n---\n\nWelcome.\n".write(to: dir.appendingPathComponent("index.md"), atomically: true, encoding: .utf8)
    try "---\ntitle: First question\nlevel: junior\ntags: [cnn]\n---\n\n## 60-second answer\n\nVersion one.\n"
      .write(to: dir.appendingPathComponent("questions/junior/first.md"), atomically: true, encoding: .utf8)
    return dir
  }

  static func get(_ port: UInt16, _ path: String) async throws -> (Int, String) {
    let url = URL(string: "http://127.0.0.1:\(port)\(path)")!
    let (data, response) = try await URLSession.shared.data(from: url)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
  }

  @Test(.timeLimit(.minutes(1)))
  func servesPagesRebuildsOnEditAndStops() async throws {
    let guide = try Self.makeGuide()
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("preview-site-\(UUID().uuidString)")
    defer {
      try? FileManager.default.removeItem(at: guide)
      try? FileManager.default.removeItem(at: output)
    }
    let options = BuildOptions(
      guideDirectory: guide, templatesDirectory: Self.packageRoot.appendingPathComponent("Templates"), outputDirectory: output,
      cacheDirectory: nil, jobs: 2)
    let port = UInt16.random(in: 20000...60000)
    let server = PreviewServer(options: options, port: port) { _ in }
    let task = Task { try await server.run() }
    try await server.waitUntilListening()

    let (status, body) = try await Self.get(port, "/questions/junior/first.html")
    #expect(status == 200)
    #expect(body.contains("Version one."))
    #expect(body.contains("/__guide/live.js"), "pages get the live-reload script")
    #expect(try await Self.get(port, "/assets/style.css").0 == 200)
    #expect(try await Self.get(port, "/no-such-page.html").0 == 404)

    try "---\ntitle: First question\nlevel: junior\ntags: [cnn]\n---\n\n## 60-second answer\n\nVersion two.\n"
      .write(to: guide.appendingPathComponent("questions/junior/first.md"), atomically: true, encoding: .utf8)
    var rebuilt = false
    for _ in 0..<100 {
      try await Task.sleep(nanoseconds: 100_000_000)
      if try await Self.get(port, "/questions/junior/first.html").1.contains("Version two.") {
        rebuilt = true
        break
      }
    }
    #expect(rebuilt, "the edited page is served within 10 s")

    // A broken edit: the status endpoint reports the error, the old page is still served.
    try "---\ntitle: First question\nlevel: nope\ntags: [cnn]\n---\n\nBroken.\n"
      .write(to: guide.appendingPathComponent("questions/junior/first.md"), atomically: true, encoding: .utf8)
    var reported = false
    for _ in 0..<100 {
      try await Task.sleep(nanoseconds: 100_000_000)
      if try await Self.get(port, "/__guide/status").1.contains("unknown level") {
        reported = true
        break
      }
    }
    #expect(reported)
    #expect(try await Self.get(port, "/questions/junior/first.html").1.contains("Version two."))

    await server.stop()
    task.cancel()
    _ = await task.result
  }

  /// Counts the builds started; the ones from `slowFrom` on first sleep for `seconds`.
  final class SlowBuild: Sendable {
    let started = Atomic<Int>(0)
    let slowFrom: Int
    let seconds: Double

    init(slowFrom: Int, seconds: Double) {
      self.slowFrom = slowFrom
      self.seconds = seconds
    }

    func run(_ options: BuildOptions) -> BuildReport {
      let number = started.add(1, ordering: .sequentiallyConsistent).newValue
      if number >= slowFrom { Thread.sleep(forTimeInterval: seconds) }
      return GuideBuild.run(options)
    }
  }

  static func options(guide: URL, output: URL) -> BuildOptions {
    BuildOptions(
      guideDirectory: guide, templatesDirectory: packageRoot.appendingPathComponent("Templates"), outputDirectory: output,
      cacheDirectory: nil, jobs: 2)
  }

  static func get(port: UInt16, _ path: String) async -> (status: Int, body: String, seconds: Double) {
    await onThread { (try? RawHTTPClient.get(port: port, path)) ?? (0, "", 0) }
  }

  @Test(.timeLimit(.minutes(1)))
  func answersPagesAndPollsWhileABuildRuns() async throws {
    let guide = try Self.makeGuide()
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("preview-site-\(UUID().uuidString)")
    defer {
      try? FileManager.default.removeItem(at: guide)
      try? FileManager.default.removeItem(at: output)
    }
    let build = SlowBuild(slowFrom: 2, seconds: 3)
    let server = PreviewServer(
      options: Self.options(guide: guide, output: output), port: 0, limits: .init(), build: build.run
    ) { _ in }
    let task = Task { try await server.run() }
    try await server.waitUntilListening()
    let port = try #require(await server.boundPort)

    try "---\ntitle: First question\nlevel: junior\ntags: [cnn]\n---\n\n## 60-second answer\n\nVersion two.\n"
      .write(to: guide.appendingPathComponent("questions/junior/first.md"), atomically: true, encoding: .utf8)
    for _ in 0..<100 where build.started.load(ordering: .sequentiallyConsistent) < 2 {
      try await Task.sleep(nanoseconds: 50_000_000)
    }
    #expect(build.started.load(ordering: .sequentiallyConsistent) == 2, "the edit started a second build")

    // The second build sleeps for 3 s before it builds: the server answers meanwhile.
    let page = await Self.get(port: port, "/questions/junior/first.html")
    #expect(page.status == 200 && page.body.contains("Version one."))
    #expect(page.seconds < 0.5, "a page took \(page.seconds) s during a build")
    let status = await Self.get(port: port, "/__guide/status")
    #expect(status.body.contains("\"version\":1"), "\(status.body)")
    #expect(status.seconds < 0.5, "a poll took \(status.seconds) s during a build")

    var rebuilt = false
    for _ in 0..<100 {
      try await Task.sleep(nanoseconds: 100_000_000)
      if await Self.get(port: port, "/questions/junior/first.html").body.contains("Version two.") {
        rebuilt = true
        break
      }
    }
    #expect(rebuilt, "the slow build's page is served once it ends")
    await server.stop()
    _ = await task.result
  }

  @Test(.timeLimit(.minutes(1)))
  func servesABuildingPageUntilTheFirstBuildEnds() async throws {
    let guide = try Self.makeGuide()
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("preview-site-\(UUID().uuidString)")
    defer {
      try? FileManager.default.removeItem(at: guide)
      try? FileManager.default.removeItem(at: output)
    }
    let build = SlowBuild(slowFrom: 1, seconds: 2)
    let server = PreviewServer(
      options: Self.options(guide: guide, output: output), port: 0, limits: .init(), build: build.run
    ) { _ in }
    let task = Task { try await server.run() }
    var port: UInt16?
    while port == nil {
      try await Task.sleep(nanoseconds: 20_000_000)
      port = await server.boundPort
    }
    let waiting = await Self.get(port: try #require(port), "/index.html")
    #expect(waiting.status == 503 && waiting.body.contains("/__guide/live.js"), "\(waiting)")
    #expect(await Self.get(port: try #require(port), "/__guide/status").body.contains("\"version\":0"))
    try await server.waitUntilListening()
    #expect(await Self.get(port: try #require(port), "/index.html").status == 200)
    await server.stop()
    _ = await task.result
  }
}
