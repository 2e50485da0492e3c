import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the last build into an output folder left in the cache (`.guide-cache/builds/<output>/`):
///
/// - `inputs.tsv`, the input index: each input file's identity and content hash, so the next
///   build reads only files whose identity changed;
/// - `manifest.tsv`: the fingerprint of every input and of the output folder after that build.
///   When both are equal again, nothing can have changed and the build ends at once;
/// - `outputs.tsv`: the render key of every file written (``RenderKeys``). A file whose key is
///   unchanged is linked from the previous output instead of being rendered again, provided the
///   output folder is exactly as that build left it.
struct BuildManifest: Equatable {
  /// Fingerprint of the inputs, or nil when the build had warnings (they must be shown again).
  var inputs: String?
  var output: String

  static func folder(cache: URL, output: URL) -> URL {
    cache.appendingPathComponent("builds").appendingPathComponent(Hashing.sha256Hex(output.standardizedFileURL.path))
  }

  static func load(cache: URL, output: URL) -> BuildManifest? {
    let url = folder(cache: cache, output: output).appendingPathComponent("manifest.tsv")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard lines.count >= 2, lines[0].hasPrefix("inputs\t"), lines[1].hasPrefix("output\t") else { return nil }
    let inputs = String(lines[0].dropFirst("inputs\t".count))
    return BuildManifest(inputs: inputs.isEmpty ? nil : inputs, output: String(lines[1].dropFirst("output\t".count)))
  }

  /// Saves the manifest, the render keys of the output's files and the parts of its aggregates.
  func save(cache: URL, output: URL, keys: [String: String], segments: [String: [Segment]]) {
    let folder = Self.folder(cache: cache, output: output)
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var parts = ""
    for (path, list) in segments.sorted(by: { $0.key < $1.key }) {
      for segment in list { parts += "\(path)\t\(segment.key)\t\(segment.offset)\t\(segment.length)\n" }
    }
    try? Data(parts.utf8).write(to: folder.appendingPathComponent("segments.tsv"), options: .atomic)
    var lines = ""
    for (path, key) in keys.sorted(by: { $0.key < $1.key }) { lines += path + "\t" + key + "\n" }
    // Keys first: a manifest is only trusted together with the keys written before it.
    try? Data(lines.utf8).write(to: folder.appendingPathComponent("outputs.tsv"), options: .atomic)
    let text = "inputs\t\(inputs ?? "")\noutput\t\(self.output)\n"
    try? Data(text.utf8).write(to: folder.appendingPathComponent("manifest.tsv"), options: .atomic)
  }

  static func loadKeys(cache: URL, output: URL) -> [String: String] {
    let url = folder(cache: cache, output: output).appendingPathComponent("outputs.tsv")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
    var keys: [String: String] = [:]
    for line in text.split(separator: "\n") {
      guard let tab = line.firstIndex(of: "\t") else { continue }
      keys[String(line[..<tab])] = String(line[line.index(after: tab)...])
    }
    return keys
  }

  static func loadSegments(cache: URL, output: URL) -> [String: [Segment]] {
    let url = folder(cache: cache, output: output).appendingPathComponent("segments.tsv")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
    var segments: [String: [Segment]] = [:]
    for line in text.split(separator: "\n") {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard fields.count == 4, let offset = Int(fields[2]), let length = Int(fields[3]) else { continue }
      segments[String(fields[0]), default: []].append(Segment(key: String(fields[1]), offset: offset, length: length))
    }
    return segments
  }

  /// Names and identities of the output's files: a changed, added or deleted file shows.
  static func outputFingerprint(_ output: URL) -> String {
    FileTree.digest([FileTree.listing(output.standardizedFileURL.path, label: "")])
  }

  static func identity(_ path: String) -> String {
    FileIdentity.of(path)?.text ?? "missing"
  }

  /// The running generator's identity: a new binary invalidates every render key and the
  /// no-change fingerprint. Linux has `/proc/self/exe`; elsewhere the executable is found from
  /// `Bundle.main` or `argv[0]`. When none can be read the identity is unique to this process,
  /// so nothing is reused (safe, only slower).
  static let generatorIdentity: String = generatorIdentity(
    candidates: ["/proc/self/exe", Bundle.main.executablePath ?? "", CommandLine.arguments.first ?? ""])

  static func generatorIdentity(candidates: [String]) -> String {
    for path in candidates where !path.isEmpty {
      if let identity = FileIdentity.of(URL(fileURLWithPath: path).resolvingSymlinksInPath().path) { return "exe " + identity.text }
    }
    return "unknown generator \(UUID().uuidString)"
  }
}
