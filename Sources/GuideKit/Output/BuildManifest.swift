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

  /// Saves the render keys of the output's files and the parts of its aggregates: `segments`
  /// those of the files this build made, and the files at `carried` (linked unchanged from the
  /// previous output) keep their lines in `previous` byte for byte. The manifest
  /// (``save(cache:output:)``) is written after them: it is only trusted together with them.
  static func saveRecords(
    cache: URL, output: URL, keys: [String: String], segments: [String: [Segment]], carried: [String] = [],
    previous: SegmentRecords? = nil
  ) {
    let folder = folder(cache: cache, output: output)
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var paths = Array(segments.keys)
    if let previous { paths += carried.filter { segments[$0] == nil && previous.recordedLines(of: $0) != nil } }
    var parts: [UInt8] = []
    parts.reserveCapacity(segments.reduce(0) { $0 + $1.value.count } * 100)
    for path in paths.sorted() {
      guard let list = segments[path] else {
        if let lines = previous?.recordedLines(of: path) { parts += lines }
        continue
      }
      for segment in list {
        parts += path.utf8
        parts.append(UInt8(ascii: "\t"))
        parts += segment.key.utf8
        parts += "\t\(segment.offset)\t\(segment.length)\n".utf8
      }
    }
    try? Data(parts).write(to: folder.appendingPathComponent("segments.tsv"), options: .atomic)
    var lines: [UInt8] = []
    lines.reserveCapacity(keys.count * 120)
    for (path, key) in keys.sorted(by: { $0.key < $1.key }) {
      lines += path.utf8
      lines.append(UInt8(ascii: "\t"))
      lines += key.utf8
      lines.append(UInt8(ascii: "\n"))
    }
    try? Data(lines).write(to: folder.appendingPathComponent("outputs.tsv"), options: .atomic)
  }

  /// Saves the manifest (after ``saveRecords(cache:output:keys:segments:)``).
  func save(cache: URL, output: URL) {
    let folder = Self.folder(cache: cache, output: output)
    let text = "inputs\t\(inputs ?? "")\noutput\t\(self.output)\n"
    try? Data(text.utf8).write(to: folder.appendingPathComponent("manifest.tsv"), options: .atomic)
  }

  /// The tab-separated fields of each line of a cache file, as byte slices (no strings made
  /// for fields the caller does not keep).
  static func forEachLine(of url: URL, _ body: ([ArraySlice<UInt8>]) -> Void) {
    guard let data = try? Data(contentsOf: url) else { return }
    let bytes = [UInt8](data)
    var fields: [ArraySlice<UInt8>] = []
    var lineStart = 0
    while lineStart < bytes.count {
      let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
      fields.removeAll(keepingCapacity: true)
      var fieldStart = lineStart
      for i in lineStart..<lineEnd where bytes[i] == UInt8(ascii: "\t") {
        fields.append(bytes[fieldStart..<i])
        fieldStart = i + 1
      }
      fields.append(bytes[fieldStart..<lineEnd])
      if lineEnd > lineStart { body(fields) }
      lineStart = lineEnd + 1
    }
  }

  static func loadKeys(cache: URL, output: URL) -> [String: String] {
    var keys: [String: String] = [:]
    forEachLine(of: folder(cache: cache, output: output).appendingPathComponent("outputs.tsv")) { fields in
      guard fields.count >= 2 else { return }
      let key = fields.count == 2 ? fields[1] : ArraySlice(fields[1...].joined(separator: [9]))
      keys[String(decoding: fields[0], as: UTF8.self)] = String(decoding: key, as: UTF8.self)
    }
    return keys
  }

  /// The parts of the last build's aggregates (``SegmentRecords``, mapped).
  static func loadSegments(cache: URL, output: URL) -> SegmentRecords {
    SegmentRecords(FileBytes.load(folder(cache: cache, output: output).appendingPathComponent("segments.tsv").path))
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

extension Int {
  /// A non-negative decimal number from its ASCII digits (nil for anything else or an overflow).
  init?(decimal bytes: some Collection<UInt8>) {
    guard !bytes.isEmpty else { return nil }
    var value = 0
    for byte in bytes {
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
      let (times, o1) = value.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
      guard !o1, !o2 else { return nil }
      value = sum
    }
    self = value
  }
}
