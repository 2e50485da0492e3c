import FlyingFox
import FlyingSocks
import Foundation
import GuideKit

/// `guide serve`: serves the built site on 127.0.0.1, rebuilds when `Guide/` or `Templates/`
/// change, and reloads the open page (or shows the build errors over it).
public actor PreviewServer {
  public let options: BuildOptions
  public let port: UInt16
  private var version = 0
  private var errorsText = ""
  private var server: HTTPServer?
  private let log: @Sendable (String) -> Void

  /// Log every request (FlyingFox's connection log); off by default, so the log shows only builds.
  private let verbose: Bool

  public init(options: BuildOptions, port: UInt16, verbose: Bool = false, log: @escaping @Sendable (String) -> Void) {
    self.options = options
    self.port = port
    self.verbose = verbose
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

  func status() -> Data {
    let object: [String: Any] = ["version": version, "errors": errorsText]
    return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
  }

  func handle(_ request: HTTPRequest) async -> HTTPResponse {
    if request.path == "/__guide/status" {
      return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json", .init("Cache-Control"): "no-store"], body: status())
    }
    if request.path == "/__guide/live.js" {
      return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/javascript"], body: Data(Self.liveScript.utf8))
    }
    let rawTarget = request.target.rawValue
    let candidate = rawTarget.isEmpty ? request.path : rawTarget
    guard let url = Self.resolve(path: candidate, root: options.outputDirectory), !request.path.contains("/../") else {
      return HTTPResponse(statusCode: .forbidden, headers: [.contentType: "text/plain"], body: Data("403 forbidden\n".utf8))
    }
    guard var data = FileManager.default.contents(atPath: url.path) else {
      let notFound = FileManager.default.contents(atPath: options.outputDirectory.appendingPathComponent("404.html").path)
      return HTTPResponse(
        statusCode: .notFound, headers: [.contentType: "text/html; charset=utf-8"], body: notFound ?? Data("404 not found\n".utf8))
    }
    if url.pathExtension == "html", let text = String(data: data, encoding: .utf8) {
      data = Data(text.replacingOccurrences(of: "</body>", with: "<script src=\"/__guide/live.js\"></script>\n</body>").utf8)
    }
    return HTTPResponse(statusCode: .ok, headers: [.contentType: Self.contentType(url), .init("Cache-Control"): "no-store"], body: data)
  }

  /// Builds, then serves until cancelled, rebuilding when the sources change.
  public func run() async throws {
    rebuild(reason: "initial build")
    let server = HTTPServer(
      address: try .inet(ip4: "127.0.0.1", port: port), logger: verbose ? HTTPServer.defaultLogger() : .disabled,
      handler: ClosureHTTPHandler { [self] request in await self.handle(request) })
    self.server = server
    let watcher = Task { [self] in
      var fingerprint = Self.fingerprint([options.guideDirectory, options.templatesDirectory])
      while !Task.isCancelled {
        try? await Task.sleep(nanoseconds: 250_000_000)
        let now = Self.fingerprint([options.guideDirectory, options.templatesDirectory])
        if now != fingerprint {
          fingerprint = now
          await self.rebuild(reason: "change detected")
        }
      }
    }
    defer { watcher.cancel() }
    log("guide serve: http://127.0.0.1:\(port)/index.html (Ctrl-C to stop)")
    try await server.run()
  }

  public func stop() async {
    await server?.stop(timeout: 1)
  }

  /// Waits until the server accepts connections.
  public func waitUntilListening() async throws {
    while server == nil { try await Task.sleep(nanoseconds: 20_000_000) }
    try await server?.waitUntilListening()
  }

  func rebuild(reason: String) {
    let report = GuideBuild.run(options)
    version += 1
    if report.diagnostics.hasErrors {
      let printer = DiagnosticPrinter(useColor: false, sources: report.sources)
      errorsText = printer.format(report.diagnostics.filter { $0.severity == .error })
      log(errorsText)
      log("guide serve: build failed (\(report.diagnostics.errorCount) errors); serving the previous site")
    } else {
      errorsText = ""
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
