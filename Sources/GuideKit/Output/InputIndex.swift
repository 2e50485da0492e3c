import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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
  /// The digest of the scan's listing (``FileTree/digest(_:extra:)`` of every folder's names and
  /// identities): the next scan compares its own with it (``Record``).
  var listing = ""
  /// The latest status-change time in the listing.
  var latestChange = Int64.min

  /// Changes this close to a scan (or later) are re-read on the next scan.
  static let racyMargin: Int64 = 2_000_000_000

  static func url(cache: URL, output: URL) -> URL {
    BuildManifest.folder(cache: cache, output: output).appendingPathComponent("inputs.tsv")
  }

  /// Reads the index (`scanned\t<time>`, then `key\tsize modified changed inode\thash` lines),
  /// byte by byte: at 10,000 pages it has 10,000 lines and is read on every build with an edit.
  static func load(cache: URL, output: URL) -> InputIndex? {
    guard let data = try? Data(contentsOf: url(cache: cache, output: output)) else { return nil }
    return parse([UInt8](data))
  }

  static func parse(_ bytes: [UInt8]) -> InputIndex? {
    var index = InputIndex()
    var lineStart = 0
    var first = true
    let tab = UInt8(ascii: "\t")
    while lineStart < bytes.count {
      let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
      defer { lineStart = lineEnd + 1 }
      let line = bytes[lineStart..<lineEnd]
      if line.isEmpty { continue }
      guard let firstTab = line.firstIndex(of: tab) else { return nil }
      if first {
        first = false
        guard line[..<firstTab].elementsEqual("scanned".utf8),
          let value = Int64(String(decoding: line[(firstTab + 1)...], as: UTF8.self))
        else { return nil }
        index.scannedAt = value
        continue
      }
      guard let secondTab = line[(firstTab + 1)...].firstIndex(of: tab),
        let identity = FileIdentity(bytes: line[(firstTab + 1)..<secondTab])
      else { return nil }
      index.entries[String(decoding: line[..<firstTab], as: UTF8.self)] = Entry(
        identity: identity, hash: String(decoding: line[(secondTab + 1)...], as: UTF8.self))
    }
    return first ? nil : index
  }

  func save(cache: URL, output: URL) {
    let url = Self.url(cache: cache, output: output)
    try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    var text: [UInt8] = Array("scanned\t\(scannedAt)\n".utf8)
    text.reserveCapacity(entries.count * 160)
    for (key, entry) in entries.sorted(by: { $0.key < $1.key }) {
      text += key.utf8
      text.append(UInt8(ascii: "\t"))
      text += entry.identity.text.utf8
      text.append(UInt8(ascii: "\t"))
      text += entry.hash.utf8
      text.append(UInt8(ascii: "\n"))
    }
    try? Data(text).write(to: url, options: .atomic)
  }

  static func now() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
  }

  /// The folders as (prefix, path) pairs for ``FileTree/listings(_:entries:)``.
  static func roots(_ folders: [(prefix: String, url: URL)]) -> [(root: String, label: String)] {
    folders.map { (root: $0.url.standardizedFileURL.path, label: $0.prefix) }
  }

  /// Lists the folders, hashing only the files the previous index cannot vouch for. Returns the
  /// new index and how many files were read.
  static func scan(_ folders: [(prefix: String, url: URL)], previous: InputIndex?, jobs: Int) -> (InputIndex, read: Int) {
    var index = InputIndex()
    index.scannedAt = now()
    let listings = FileTree.listings(roots(folders), entries: true)
    index.listing = FileTree.digest(listings)
    index.latestChange = listings.map(\.latestChange).max() ?? Int64.min
    var toRead: [(key: String, path: String, identity: FileIdentity)] = []
    index.entries.reserveCapacity(listings.reduce(0) { $0 + $1.entries.count })
    for ((prefix, url), listing) in zip(folders, listings) {
      let root = url.standardizedFileURL.path + "/"
      for entry in listing.entries {
        let key = entry.path
        if let old = previous?.entries[key], old.identity == entry.identity,
          entry.identity.changed < previous!.scannedAt - racyMargin
        {
          index.entries[key] = old
        } else {
          toRead.append((key, root + key.dropFirst(prefix.count), entry.identity))
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

  /// What the settings add to the listing: the generator and compiler binaries, whether snippets
  /// run. Part of the fingerprint and of the ``Record``.
  static func settings(runSnippets: Bool) -> [String] {
    [
      BuildManifest.generatorIdentity, BuildManifest.identity(Toolchain.swiftc?.resolvingSymlinksInPath().path ?? ""),
      "jobs-independent v2 \(runSnippets)",
    ]
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
    for setting in Self.settings(runSnippets: runSnippets) { hasher.update(setting) }
    return hasher.finalizeHex()
  }

  /// What the last scan found, in one line (`listing.tsv`): the digest of its listing with the
  /// settings, when it ran, and the fingerprint of the inputs it saw. A later scan whose listing
  /// has the same digest, and whose files all changed well before that scan (see
  /// ``racyMargin``), sees the same files with the same contents, hence the same fingerprint,
  /// without reading the index or any file: the no-change build's whole input check.
  struct Record: Equatable {
    var listing: String
    var scannedAt: Int64
    var fingerprint: String

    static func url(cache: URL, output: URL) -> URL {
      BuildManifest.folder(cache: cache, output: output).appendingPathComponent("listing.tsv")
    }

    /// The digest a record holds: the listing's and the settings'.
    static func digest(listing: String, runSnippets: Bool) -> String {
      Hashing.sha256([listing] + InputIndex.settings(runSnippets: runSnippets))
    }

    static func load(cache: URL, output: URL) -> Record? {
      guard let text = try? String(contentsOf: url(cache: cache, output: output), encoding: .utf8) else { return nil }
      let fields = text.split(separator: "\t", omittingEmptySubsequences: false)
      guard fields.count == 3, let scannedAt = Int64(fields[1]) else { return nil }
      return Record(listing: String(fields[0]), scannedAt: scannedAt, fingerprint: String(fields[2].dropLast()))
    }

    func save(cache: URL, output: URL) {
      let url = Self.url(cache: cache, output: output)
      try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try? Data("\(listing)\t\(scannedAt)\t\(fingerprint)\n".utf8).write(to: url, options: .atomic)
    }

    /// True when `latestChange`, the latest change among the files listed now, is old enough
    /// for this record to vouch for them.
    func vouches(latestChange: Int64) -> Bool { latestChange < scannedAt - InputIndex.racyMargin }
  }
}
