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

  /// One file's record: its path, render key and the parts of it that are questions' (aggregates
  /// made by this build), or, `carried`, the parts the previous build recorded (a file linked
  /// unchanged from it).
  struct FileRecord {
    var path: String
    var key: String
    var segments: [Segment] = []
    var carried = false
  }

  /// Saves the render keys of the output's files and the parts of its aggregates (`files`
  /// sorted by path, the first of two with one path kept): a carried file keeps its lines of
  /// `previous` byte for byte. The manifest (``save(cache:output:)``) is written after them: it is
  /// only trusted together with them.
  static func saveRecords(cache: URL, output: URL, files: [FileRecord], previous: SegmentRecords? = nil) {
    let folder = folder(cache: cache, output: output)
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    // Sorted already when they come from the executor; sorted here otherwise.
    let sorted = zip(files, files.dropFirst()).allSatisfy { $0.path <= $1.path } ? files : files.sorted { $0.path < $1.path }
    var parts: [UInt8] = []
    var lines: [UInt8] = []
    lines.reserveCapacity(sorted.count * 120)
    var last: String?
    for file in sorted where file.path != last {
      last = file.path
      lines += file.path.utf8
      lines.append(UInt8(ascii: "\t"))
      lines += file.key.utf8
      lines.append(UInt8(ascii: "\n"))
      if file.carried {
        if let recorded = previous?.recordedLines(of: file.path) { parts += recorded }
        continue
      }
      for segment in file.segments {
        parts += file.path.utf8
        parts.append(UInt8(ascii: "\t"))
        parts += segment.key.utf8
        parts += "\t\(segment.offset)\t\(segment.length)\n".utf8
      }
    }
    try? Data(parts).write(to: folder.appendingPathComponent("segments.tsv"), options: .atomic)
    try? Data(lines).write(to: folder.appendingPathComponent("outputs.tsv"), options: .atomic)
  }

  /// Saves the manifest (after ``saveRecords(cache:output:files:previous:)``).
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
