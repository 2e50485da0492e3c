import Foundation
import GuideKit

/// `guide serve`: serves the built site on 127.0.0.1, rebuilds when `Guide/` or `Templates/`
/// change, and reloads the open page (or shows the build errors over it).
///
/// Three parts that never wait for one another: the HTTP server (``LoopbackHTTPServer``, a thread
/// of its own), the builds (one at a time, each on a thread of its own, started by a watcher task),
/// and ``LiveState``, where a finished build publishes its result and the server reads it. A page
/// load or a status poll is answered while a build runs; the build writes the site beside the old
/// one and swaps it in, so the server reads either the old site or the new one.
public actor PreviewServer {
  public let options: BuildOptions
  /// The port asked for (0: any free port; ``boundPort`` then tells which).
  public let port: UInt16
  /// The port listened on, once ``run()`` has bound it.
  public private(set) var boundPort: UInt16?
  private let state = LiveState()
  private var server: LoopbackHTTPServer?
  private let log: @Sendable (String) -> Void
  private let build: @Sendable (BuildOptions) -> BuildReport
  private let limits: LoopbackHTTPServer.Limits
  private var stopped = false

  /// Log every request (and every refused or dropped connection); off by default, so the log shows only builds.
  private let verbose: Bool

  public init(options: BuildOptions, port: UInt16, verbose: Bool = false, log: @escaping @Sendable (String) -> Void) {
    self.init(options: options, port: port, verbose: verbose, limits: .init(), build: GuideBuild.run, log: log)
  }

  /// `build` replaces the real build (tests slow it down); `limits` are the HTTP server's.
  init(
    options: BuildOptions, port: UInt16, verbose: Bool = false, limits: LoopbackHTTPServer.Limits,
    build: @escaping @Sendable (BuildOptions) -> BuildReport, log: @escaping @Sendable (String) -> Void
  ) {
    self.options = options
    self.port = port
    self.verbose = verbose
    self.limits = limits
    self.build = build
    self.log = log
  }

  /// Maps a request path to a file inside `root`; nil for anything that escapes it.
  public static func resolve(path rawPath: String, root: URL) -> URL? {
    var path = rawPath
    if let q = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<q]) }
    // Decode repeatedly so %252e%252e cannot smuggle '..' through.
    for _ in 0..<3 {
      guard let decoded = path.removingPercentEncoding else { return nil }
      if decoded == path { break }
      path = decoded
    }
    if path.contains("\0") || path.contains("\\") { return nil }
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == ".." || part.hasPrefix("..") && part.allSatisfy({ $0 == "." }) { return nil }
      parts.append(part)
    }
    var url = root
    for part in parts { url.appendPathComponent(String(part)) }
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue {
      url.appendPathComponent("index.html")
    }
    let resolved = url.resolvingSymlinksInPath().standardizedFileURL.path
    let rootPath = root.resolvingSymlinksInPath().standardizedFileURL.path
    guard resolved == rootPath || resolved.hasPrefix(rootPath + "/") else { return nil }
    return url
  }

  static func contentType(_ url: URL) -> String {
    switch url.pathExtension {
    case "html": return "text/html; charset=utf-8"
    case "css": return "text/css; charset=utf-8"
    case "js": return "text/javascript; charset=utf-8"
    case "svg": return "image/svg+xml"
    case "png": return "image/png"
    case "jpg", "jpeg": return "image/jpeg"
    case "xml": return "application/xml"
    case "txt": return "text/plain; charset=utf-8"
    case "json": return "application/json"
    default: return "application/octet-stream"
    }
  }

  /// Polls the build status; reloads on a new build (keeping the scroll position and the open
  /// `<details>`, such as revealed answers, across the reload) or shows the build errors.
  static let liveScript = """
    (function () {
      var v = null, key = 'guide-live-state';
      function save() {
        var open = [], all = document.querySelectorAll('details');
        for (var i = 0; i < all.length; i++) if (all[i].open) open.push(i);
        try { sessionStorage.setItem(key, JSON.stringify({ path: location.pathname, x: scrollX, y: scrollY, open: open })); } catch (e) {}
      }
      function restore() {
        var s = null;
        try { s = JSON.parse(sessionStorage.getItem(key) || 'null'); sessionStorage.removeItem(key); } catch (e) {}
        if (!s || s.path !== location.pathname) return;
        var all = document.querySelectorAll('details');
        for (var i = 0; i < s.open.length; i++) if (all[s.open[i]]) all[s.open[i]].open = true;
        var go = function () { scrollTo(s.x, s.y); };
        go(); if (document.readyState !== 'complete') addEventListener('load', go);
      }
      restore();
      function overlay(text) {
        var o = document.getElementById('guide-live-errors');
        if (!text) { if (o) o.remove(); return; }
        if (!o) { o = document.createElement('pre'); o.id = 'guide-live-errors';
          o.style.cssText = 'position:fixed;inset:1rem;z-index:99999;overflow:auto;margin:0;padding:1rem;background:#1b1b1b;color:#ffd7d7;font:13px/1.4 monospace;border:3px solid #d33;white-space:pre-wrap';
          document.body.appendChild(o); }
        o.textContent = 'Build failed: fix the errors below and save; the page reloads by itself.\\n\\n' + text;
      }
      function poll() {
        fetch('/__guide/status', { cache: 'no-store' }).then(function (r) { return r.json(); }).then(function (s) {
          if (v !== null && s.version !== v && !s.errors) { save(); location.reload(); return; }
          v = s.version; overlay(s.errors);
        }).catch(function () {}).then(function () { setTimeout(poll, 500); });
      }
      poll();
    })();
    """

  /// The answer to one request: the status poll, the live-reload script, or a file of the site.
  static func respond(to request: HTTPRequestHead, root: URL, state: LiveState) -> HTTPResponse {
    let path = request.path
    if path == "/__guide/status" {
      return HTTPResponse(.ok, headers: [("Content-Type", "application/json"), ("Cache-Control", "no-store")], body: state.statusJSON())
    }
    if path == "/__guide/live.js" {
      return HTTPResponse(.ok, headers: [("Content-Type", "text/javascript; charset=utf-8")], body: Data(liveScript.utf8))
    }
    guard let url = resolve(path: request.target, root: root) else {
      return .text(.forbidden, "403 forbidden\n")
    }
    let noStore = ("Cache-Control", "no-store")
    guard let data = FileManager.default.contents(atPath: url.path) else {
      let html = ("Content-Type", "text/html; charset=utf-8")
      if let notFound = FileManager.default.contents(atPath: root.appendingPathComponent("404.html").path) {
        return HTTPResponse(.notFound, headers: [html, noStore], body: withLiveScript(notFound))
      }
      if state.snapshot().version == 0 {
        // No site yet: the first build is running. This page reloads when it is done.
        let page = "<!doctype html><title>Building…</title><body><p>Building the guide; this page reloads by itself.</p></body>"
        return HTTPResponse(.serviceUnavailable, headers: [html, noStore], body: withLiveScript(Data(page.utf8)))
      }
      return .text(.notFound, "404 not found\n")
    }
    let body = url.pathExtension == "html" ? withLiveScript(data) : data
    return HTTPResponse(.ok, headers: [("Content-Type", contentType(url)), noStore], body: body)
  }

  /// The page with the live-reload script before its last `</body>` (unchanged when it has none).
  static func withLiveScript(_ page: Data) -> Data {
    guard var text = String(data: page, encoding: .utf8), let end = text.range(of: "</body>", options: .backwards) else {
      return page
    }
    text.insert(contentsOf: "<script src=\"/__guide/live.js\"></script>\n", at: end.lowerBound)
    return Data(text.utf8)
  }

  /// Serves until stopped or cancelled: listens at once, builds, and rebuilds when the sources change.
  public func run() async throws {
    let state = state
    let root = options.outputDirectory
    let server = try LoopbackHTTPServer(port: port, limits: limits, log: verbose ? log : nil) { request in
      Self.respond(to: request, root: root, state: state)
    }
    self.server = server
    boundPort = server.port
    if stopped { server.stop() }
    server.start()
    log("guide serve: http://127.0.0.1:\(server.port)/index.html (Ctrl-C to stop)")

    // The watcher runs off this actor; each build runs on a thread of its own.
    let options = options
    let build = build
    let log = log
    let watcher = Task.detached {
      // Taken before the build, so that an edit saved during the build starts another.
      var fingerprint = Self.fingerprint([options.guideDirectory, options.templatesDirectory])
      await Self.rebuild(options: options, reason: "initial build", build: build, state: state, log: log)
      while !Task.isCancelled {
        try? await Task.sleep(nanoseconds: 250_000_000)
        let now = Self.fingerprint([options.guideDirectory, options.templatesDirectory])
        if now != fingerprint && !Task.isCancelled {
          fingerprint = now
          await Self.rebuild(options: options, reason: "change detected", build: build, state: state, log: log)
        }
      }
    }
    await withTaskCancellationHandler {
      await server.waitUntilStopped()
    } onCancel: {
      server.stop()
    }
    watcher.cancel()
    await watcher.value  // a build under way finishes before run() returns
  }

  /// Stops serving; ``run()`` then returns once a build under way has finished.
  public func stop() async {
    stopped = true
    server?.stop()
  }

  /// Waits until the server accepts connections and has published its first build.
  public func waitUntilListening() async throws {
    while server == nil || state.snapshot().version == 0 {
      try await Task.sleep(nanoseconds: 20_000_000)
    }
  }

  /// Runs one build on a thread of its own (never on the server's or the concurrency pool's
  /// threads) and publishes its result.
  static func rebuild(
    options: BuildOptions, reason: String, build: @escaping @Sendable (BuildOptions) -> BuildReport, state: LiveState,
    log: @escaping @Sendable (String) -> Void
  ) async {
    // The report comes back in a box: resuming a continuation with the large report value
    // itself, from another thread, crashed on Linux (Swift 6.3.1: a bad release as the report was
    // destroyed) once the report grew by one field; handed over by reference it does not.
    let report = await withCheckedContinuation { (continuation: CheckedContinuation<ReportBox, Never>) in
      let thread = Thread { continuation.resume(returning: ReportBox(build(options))) }
      thread.name = "guide-serve-build"
      thread.stackSize = 16 << 20  // more than the 8 MiB main thread that `guide build` runs on
      thread.start()
    }.report
    if report.diagnostics.hasErrors {
      let printer = DiagnosticPrinter(useColor: false, sources: report.sources)
      let errors = printer.format(report.diagnostics.filter { $0.severity == .error })
      state.publish(errors: errors)
      log(errors)
      log("guide serve: build failed (\(report.diagnostics.errorCount) errors); serving the previous site")
    } else {
      state.publish(errors: "")
      log(
        "guide serve: rebuilt (\(reason)) in \(String(format: "%.2f", report.seconds)) s; snippets: \(report.snippets.ran) ran, \(report.snippets.cached) cached"
      )
    }
  }

  /// Paths, sizes and modification times of every file under the folders.
  static func fingerprint(_ folders: [URL]) -> [String] {
    var out: [String] = []
    for folder in folders {
      guard
        let enumerator = FileManager.default.enumerator(
          at: folder, includingPropertiesForKeys: [.contentModificationDateKey, .fileSizeKey])
      else { continue }
      for case let url as URL in enumerator {
        let values = try? url.resourceValues(forKeys: [.contentModificationDateKey, .fileSizeKey])
        out.append("\(url.path)|\(values?.fileSize ?? -1)|\(values?.contentModificationDate?.timeIntervalSince1970 ?? 0)")
      }
    }
    return out.sorted()
  }
}

/// A build's report, handed from the build's thread to the server's task by reference.
private final class ReportBox: Sendable {
  let report: BuildReport
  init(_ report: BuildReport) { self.report = report }
}
