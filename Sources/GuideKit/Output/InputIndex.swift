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
  /// Every key with its hash in the listing's order, as ``scan(_:previous:jobs:listed:)`` met them
  /// (a folder's names sorted byte by byte, folders walked in turn): the order the fingerprint
  /// hashes them in, without sorting 10,000 keys. Empty for an index read from its file.
  var inListingOrder: [(key: String, hash: String)] = []

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
  /// `listed`: the folders' listings (with entries) made at `listedAt`, when the caller has them.
  static func scan(
    _ folders: [(prefix: String, url: URL)], previous: InputIndex?, jobs: Int, listed: (at: Int64, [FileTree.Listing])? = nil
  ) -> (InputIndex, read: Int) {
    var index = InputIndex()
    index.scannedAt = listed?.at ?? now()
    let listings = listed?.1 ?? FileTree.listings(roots(folders), entries: true)
    index.listing = FileTree.digest(listings)
    index.latestChange = listings.map(\.latestChange).max() ?? Int64.min
    var toRead: [(key: String, path: String, identity: FileIdentity)] = []
    var readAt: [Int] = []  // where each file read goes in `inListingOrder`
    let count = listings.reduce(0) { $0 + $1.entries.count }
    index.entries.reserveCapacity(count)
    index.inListingOrder.reserveCapacity(count)
    for ((prefix, url), listing) in zip(folders, listings) {
      let root = url.standardizedFileURL.path + "/"
      for entry in listing.entries {
        let key = entry.path
        if let old = previous?.entries[key], old.identity == entry.identity,
          entry.identity.changed < previous!.scannedAt - racyMargin
        {
          index.entries[key] = old
          index.inListingOrder.append((key, old.hash))
        } else {
          toRead.append((key, root + key.dropFirst(prefix.count), entry.identity))
          readAt.append(index.inListingOrder.count)
          index.inListingOrder.append((key, ""))
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
    for ((item, hash), at) in zip(zip(toRead, hashes), readAt) {
      index.entries[item.key] = Entry(identity: item.identity, hash: hash)
      index.inListingOrder[at].hash = hash
    }
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
    // In the listing's order when the index was scanned (a canonical order: names sorted, folders
    // walked in turn), else sorted; the same files with the same contents give the same hash.
    let keyed =
      inListingOrder.count == entries.count ? inListingOrder : entries.map { ($0.key, $0.value.hash) }.sorted { $0.0 < $1.0 }
    for (key, hash) in keyed {
      hasher.update(key)
      hasher.update(CollectionOfOne(UInt8(0)))
      hasher.update(hash)
      hasher.update(CollectionOfOne(UInt8(0)))
    }
    for setting in Self.settings(runSnippets: runSnippets) { hasher.update(setting) }
    return hasher.finalizeHex()
  }

  /// What the last scan found, in one line (`listing.tsv`): the digest of its listing with the
  /// settings, when it ran, the fingerprint of the inputs it saw, and the hashes of the files it
  /// could not vouch for (changed less than ``racyMargin`` before it). A later scan whose listing
  /// has the same digest sees the same files with the same identities: those that changed well
  /// before that scan have the same contents, the others are read and compared with their
  /// recorded hashes. If all match, the inputs' fingerprint is the recorded one, found without
  /// reading the index: the no-change build's whole input check.
  struct Record: Equatable {
    var listing: String
    var scannedAt: Int64
    var fingerprint: String
    /// Key → hash of each file changed less than ``racyMargin`` before the scan.
    var unsettled: [String: String] = [:]

    static func url(cache: URL, output: URL) -> URL {
      BuildManifest.folder(cache: cache, output: output).appendingPathComponent("listing.tsv")
    }

    /// The digest a record holds: the listing's and the settings'.
    static func digest(listing: String, runSnippets: Bool) -> String {
      Hashing.sha256([listing] + InputIndex.settings(runSnippets: runSnippets))
    }

    /// The record of a scan that made `index`.
    init(index: InputIndex, runSnippets: Bool, fingerprint: String) {
      listing = Self.digest(listing: index.listing, runSnippets: runSnippets)
      scannedAt = index.scannedAt
      self.fingerprint = fingerprint
      for (key, entry) in index.entries where entry.identity.changed >= scannedAt - InputIndex.racyMargin {
        unsettled[key] = entry.hash
      }
    }

    init(listing: String, scannedAt: Int64, fingerprint: String, unsettled: [String: String] = [:]) {
      self.listing = listing
      self.scannedAt = scannedAt
      self.fingerprint = fingerprint
      self.unsettled = unsettled
    }

    static let separator: Character = "\u{1e}"

    static func load(cache: URL, output: URL) -> Record? {
      guard let text = try? String(contentsOf: url(cache: cache, output: output), encoding: .utf8), text.hasSuffix("\n") else {
        return nil
      }
      let fields = text.dropLast().split(separator: "\t", omittingEmptySubsequences: false)
      guard fields.count == 4, let scannedAt = Int64(fields[1]) else { return nil }
      var unsettled: [String: String] = [:]
      let pairs = fields[3].split(separator: separator)
      guard pairs.count % 2 == 0 else { return nil }
      for i in stride(from: 0, to: pairs.count, by: 2) { unsettled[String(pairs[i])] = String(pairs[i + 1]) }
      return Record(listing: String(fields[0]), scannedAt: scannedAt, fingerprint: String(fields[2]), unsettled: unsettled)
    }

    /// Saves the record, or removes the file when a key could not be written in one line.
    func save(cache: URL, output: URL) {
      let url = Self.url(cache: cache, output: output)
      let keys = unsettled.keys.sorted()
      guard keys.allSatisfy({ !$0.isEmpty && !$0.contains(where: { $0 == "\t" || $0 == "\n" || $0 == Self.separator }) }) else {
        try? FileManager.default.removeItem(at: url)
        return
      }
      let list = keys.flatMap { [$0, unsettled[$0]!] }.joined(separator: String(Self.separator))
      try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try? Data("\(listing)\t\(scannedAt)\t\(fingerprint)\t\(list)\n".utf8).write(to: url, options: .atomic)
    }

    /// The fingerprint of the inputs listed now (`listings` of `folders`, made at `listedAt`),
    /// when this record vouches for them: same listing, and every file changed less than
    /// ``racyMargin`` before the recorded scan still has its recorded hash (it is read). Nil
    /// otherwise. `renewed` is the record of this check, when files were read (so that the next
    /// check need not read them again once they have settled).
    func fingerprint(
      of listings: [FileTree.Listing], folders: [(prefix: String, url: URL)], listedAt: Int64, runSnippets: Bool
    ) -> (fingerprint: String, renewed: Record?)? {
      guard Self.digest(listing: FileTree.digest(listings), runSnippets: runSnippets) == listing else { return nil }
      var renewed = Record(listing: listing, scannedAt: listedAt, fingerprint: fingerprint)
      for (folder, listed) in zip(folders, listings) {
        for entry in listed.entries where entry.identity.changed >= scannedAt - InputIndex.racyMargin {
          guard let hash = unsettled[entry.path], entry.identity.size <= GuideLoader.maximumFileSize,
            case .success(let data) = GuideLoader.readRegularFile(
              folder.url.standardizedFileURL.path + "/" + entry.path.dropFirst(folder.prefix.count))
          else { return nil }
          var hasher = SHA256Digest()
          data.withUnsafeBytes { hasher.update(bytes: $0) }
          guard hasher.finalizeHex() == hash else { return nil }
          if entry.identity.changed >= listedAt - InputIndex.racyMargin { renewed.unsettled[entry.path] = hash }
        }
      }
      return (fingerprint, unsettled.isEmpty ? nil : renewed)
    }
  }
}
