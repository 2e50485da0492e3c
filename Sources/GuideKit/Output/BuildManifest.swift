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
    var text = ""
    for entry in FileTree.list(output) {
      text += entry.path + "\t" + entry.identity.text + "\n"
    }
    return Hashing.sha256Hex(text)
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

/// Each input file's identity and SHA-256, kept between builds: a file whose identity is
/// unchanged is not read again, unless it was changed so shortly before the recording that a
/// second change within the same timestamp tick could hide (the "racy" case git knows too).
struct InputIndex {
  struct Entry: Equatable {
    var identity: FileIdentity
    var hash: String
  }

  /// Keys are `g/<path in Guide>` and `t/<path in Templates>`.
  var entries: [String: Entry] = [:]
  /// When the scan that produced the entries started (nanoseconds, wall clock).
  var scannedAt: Int64 = 0

  /// Changes this close to a scan (or later) are re-read on the next scan.
  static let racyMargin: Int64 = 2_000_000_000

  static func url(cache: URL, output: URL) -> URL {
    BuildManifest.folder(cache: cache, output: output).appendingPathComponent("inputs.tsv")
  }

  static func load(cache: URL, output: URL) -> InputIndex? {
    guard let text = try? String(contentsOf: url(cache: cache, output: output), encoding: .utf8) else { return nil }
    var index = InputIndex()
    for (number, line) in text.split(separator: "\n").enumerated() {
      if number == 0 {
        guard line.hasPrefix("scanned\t"), let value = Int64(line.dropFirst("scanned\t".count)) else { return nil }
        index.scannedAt = value
        continue
      }
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard fields.count == 3, let identity = FileIdentity(text: fields[1]) else { return nil }
      index.entries[String(fields[0])] = Entry(identity: identity, hash: String(fields[2]))
    }
    return index
  }

  func save(cache: URL, output: URL) {
    let url = Self.url(cache: cache, output: output)
    try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    var text = "scanned\t\(scannedAt)\n"
    for (key, entry) in entries.sorted(by: { $0.key < $1.key }) {
      text += key + "\t" + entry.identity.text + "\t" + entry.hash + "\n"
    }
    try? Data(text.utf8).write(to: url, options: .atomic)
  }

  static func now() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
  }

  /// Lists the folders, hashing only the files the previous index cannot vouch for. Returns the
  /// new index and how many files were read.
  static func scan(_ folders: [(prefix: String, url: URL)], previous: InputIndex?, jobs: Int) -> (InputIndex, read: Int) {
    var index = InputIndex()
    index.scannedAt = now()
    var toRead: [(key: String, path: String, identity: FileIdentity)] = []
    for (prefix, url) in folders {
      for entry in FileTree.list(url) {
        let key = prefix + entry.path
        if let old = previous?.entries[key], old.identity == entry.identity,
          entry.identity.changed < previous!.scannedAt - racyMargin
        {
          index.entries[key] = old
        } else {
          toRead.append((key, url.appendingPathComponent(entry.path).path, entry.identity))
        }
      }
    }
    // A file over the size limit is never read (the build refuses or copies it without reading):
    // its identity, which every write changes, stands for its content.
    let hashes = ParallelMap.map(toRead.map { ($0.path, $0.identity) }, jobs: jobs) { item -> String in
      let (path, identity) = item
      if identity.size > GuideLoader.maximumFileSize { return "large " + identity.text }
      guard case .success(let data) = GuideLoader.readRegularFile(path) else { return "unreadable" }
      var hasher = SHA256Digest()
      data.withUnsafeBytes { hasher.update(bytes: $0) }
      return hasher.finalizeHex()
    }
    for (item, hash) in zip(toRead, hashes) { index.entries[item.key] = Entry(identity: item.identity, hash: hash) }
    return (index, toRead.count)
  }

  /// One hash of every input's path and content, the generator and compiler binaries, and the
  /// settings that change the output.
  func fingerprint(runSnippets: Bool) -> String {
    var hasher = SHA256Digest()
    for (key, entry) in entries.sorted(by: { $0.key < $1.key }) {
      hasher.update(key)
      hasher.update(CollectionOfOne(UInt8(0)))
      hasher.update(entry.hash)
      hasher.update(CollectionOfOne(UInt8(0)))
    }
    hasher.update(BuildManifest.generatorIdentity)
    hasher.update(BuildManifest.identity(Toolchain.swiftc?.resolvingSymlinksInPath().path ?? ""))
    hasher.update("jobs-independent v2 \(runSnippets)")
    return hasher.finalizeHex()
  }
}
