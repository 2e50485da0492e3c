import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What identifies a version of a file without reading it: size, modification and status-change
/// times, inode. Any write changes the status-change time, which nobody can set by hand.
struct FileIdentity: Hashable, Sendable {
  var size: Int64
  var modified: Int64
  var changed: Int64
  var inode: UInt64

  init(size: Int64, modified: Int64, changed: Int64, inode: UInt64) {
    self.size = size
    self.modified = modified
    self.changed = changed
    self.inode = inode
  }

  init(_ info: stat) {
    #if canImport(Darwin)
      let m = info.st_mtimespec
      let c = info.st_ctimespec
    #else
      let m = info.st_mtim
      let c = info.st_ctim
    #endif
    self.init(
      size: Int64(info.st_size), modified: Int64(m.tv_sec) * 1_000_000_000 + Int64(m.tv_nsec),
      changed: Int64(c.tv_sec) * 1_000_000_000 + Int64(c.tv_nsec), inode: UInt64(info.st_ino))
  }

  /// The identity of the file at `path` (following links), or nil when there is none.
  static func of(_ path: String) -> FileIdentity? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return FileIdentity(info)
  }

  var text: String { "\(size) \(modified) \(changed) \(inode)" }

  init?(text: Substring) {
    let parts = text.split(separator: " ")
    guard parts.count == 4, let size = Int64(parts[0]), let modified = Int64(parts[1]), let changed = Int64(parts[2]),
      let inode = UInt64(parts[3])
    else { return nil }
    self.init(size: size, modified: modified, changed: changed, inode: inode)
  }

  /// ``text`` read back from its UTF-8 bytes, without making strings.
  init?(bytes: ArraySlice<UInt8>) {
    var numbers: [Int64] = []
    var value: Int64 = 0
    var negative = false
    var digits = 0
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        let (times, o1) = value.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
        guard !o1, !o2 else { return nil }
        value = sum
        digits += 1
      case UInt8(ascii: "-") where digits == 0 && !negative:
        negative = true
      case UInt8(ascii: " "):
        guard digits > 0 else { return nil }
        numbers.append(negative ? -value : value)
        (value, negative, digits) = (0, false, 0)
      default:
        return nil
      }
    }
    guard digits > 0 else { return nil }
    numbers.append(negative ? -value : value)
    guard numbers.count == 4, numbers[0] >= 0, numbers[3] >= 0 else { return nil }
    self.init(size: numbers[0], modified: numbers[1], changed: numbers[2], inode: UInt64(numbers[3]))
  }
}

/// A fast listing of a folder tree with each file's identity: `openat`, `readdir` and `fstatat`
/// relative to the open folder (no path lookups from the root, no Foundation), names compared as
/// bytes. The no-change check lists the guide and the site on every build (20,000 files at
/// 10,000 pages), so this is on the critical path of every rebuild.
enum FileTree {
  struct Entry: Sendable {
    /// Path relative to the listed folder, `/`-separated.
    var path: String
    var identity: FileIdentity
  }

  /// Every regular file under `root` (following links to files, not to folders), hidden names
  /// skipped, sorted by path.
  static func list(_ root: URL) -> [Entry] {
    var out: [Entry] = []
    walk(root.standardizedFileURL.path) { path, info in
      out.append(Entry(path: String(decoding: path, as: UTF8.self), identity: FileIdentity(info)))
    }
    out.sort { $0.path < $1.path }
    return out
  }

  /// Calls `visit` with the relative path (UTF-8 bytes, valid only during the call) of every
  /// entry under `root` that is not a folder (hidden ones too, links not followed), whether it is
  /// a regular file, and its inode number, as the folder's own entries give them (`readdir`'s
  /// `d_type` and `d_ino`: no status is asked for, except on a file system that leaves the type
  /// unknown). In no particular order. What the spare site's check needs of 10,000 files.
  static func walkEntries(_ root: String, _ visit: (UnsafeBufferPointer<UInt8>, _ isFile: Bool, _ inode: UInt64) -> Void) {
    let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    var path: [UInt8] = []
    path.reserveCapacity(512)
    walkEntries(folder: fd, path: &path, visit)
  }

  private static func walkEntries(
    folder fd: Int32, path: inout [UInt8], _ visit: (UnsafeBufferPointer<UInt8>, Bool, UInt64) -> Void
  ) {
    guard let handle = fdopendir(fd) else {
      close(fd)
      return
    }
    defer { closedir(handle) }
    let folder = dirfd(handle)
    let base = path.count
    while let item = readdir(handle) {
      var type = item.pointee.d_type
      var inode = UInt64(item.pointee.d_ino)
      let done = withUnsafeBytes(of: &item.pointee.d_name) { raw -> Bool in
        let bytes = raw.bindMemory(to: UInt8.self)
        let length = bytes.firstIndex(of: 0) ?? bytes.count
        if (length == 1 && bytes[0] == 46) || (length == 2 && bytes[0] == 46 && bytes[1] == 46) { return true }
        path.removeSubrange(base...)
        path.append(contentsOf: bytes[..<length])
        if type == UInt8(DT_UNKNOWN) {
          var info = stat()
          guard fstatat(folder, raw.baseAddress!.assumingMemoryBound(to: CChar.self), &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            return true
          }
          switch info.st_mode & S_IFMT {
          case S_IFDIR: type = UInt8(DT_DIR)
          case S_IFREG: type = UInt8(DT_REG)
          default: type = UInt8(DT_LNK)
          }
          inode = UInt64(info.st_ino)
        }
        if type == UInt8(DT_DIR) {
          let child = openat(
            folder, raw.baseAddress!.assumingMemoryBound(to: CChar.self), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
          if child >= 0 {
            path.append(UInt8(ascii: "/"))
            walkEntries(folder: child, path: &path, visit)
          }
          return true
        }
        return false
      }
      if !done { path.withUnsafeBufferPointer { visit($0, type == UInt8(DT_REG), inode) } }
    }
    path.removeSubrange(base...)
  }

  /// Calls `visit` with the relative path (UTF-8 bytes, valid only during the call) and the
  /// status of every regular file under `root` (links to files followed, links to folders not),
  /// hidden names skipped. Within a folder, names come in byte order, so the same tree is always
  /// visited in the same order.
  static func walk(_ root: String, _ visit: (UnsafeBufferPointer<UInt8>, stat) -> Void) {
    let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    var path: [UInt8] = []
    path.reserveCapacity(512)
    walk(folder: fd, path: &path, visit)
  }

  /// Lists the open folder `fd` (closed here), `path` being its path relative to the root (empty
  /// or ending in `/`).
  private static func walk(folder fd: Int32, path: inout [UInt8], _ visit: (UnsafeBufferPointer<UInt8>, stat) -> Void) {
    guard let handle = fdopendir(fd) else {
      close(fd)
      return
    }
    defer { closedir(handle) }
    let folder = dirfd(handle)
    // Each name with its terminating zero (for the calls below); the zero sorts before any byte.
    var names: [[UInt8]] = []
    while let item = readdir(handle) {
      let name = withUnsafeBytes(of: &item.pointee.d_name) { raw -> [UInt8] in
        let bytes = raw.bindMemory(to: UInt8.self)
        let length = bytes.firstIndex(of: 0) ?? bytes.count
        return Array(bytes[..<length]) + [0]
      }
      if name.first == UInt8(ascii: ".") { continue }
      names.append(name)
    }
    names.sort { $0.lexicographicallyPrecedes($1) }
    let base = path.count
    for name in names {
      path.removeSubrange(base...)
      path.append(contentsOf: name[..<(name.count - 1)])
      var info = stat()
      let isFile = name.withUnsafeBytes { raw -> Bool in
        let cName = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
        guard fstatat(folder, cName, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return false }
        switch info.st_mode & S_IFMT {
        case S_IFLNK:
          return fstatat(folder, cName, &info, 0) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        case S_IFDIR:
          let child = openat(folder, cName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
          if child >= 0 {
            path.append(UInt8(ascii: "/"))
            walk(folder: child, path: &path, visit)
          }
          return false
        case S_IFREG: return true
        default: return false
        }
      }
      if isFile { path.withUnsafeBufferPointer { visit($0, info) } }
    }
    path.removeSubrange(base...)
  }

  /// The files under a root: the digest of their names and identities, the latest status-change
  /// time among them, and the entries themselves when asked for.
  struct Listing: Sendable {
    /// SHA-256 of the label, then of each file its path and identity (hashed on the thread that
    /// listed them).
    var digest = ""
    var latestChange = Int64.min
    var entries: [Entry] = []
  }

  /// Lists `root` for a digest: `label`, then every file's path and identity in ``walk(_:_:)``'s
  /// order; with `entries`, the entries too (paths prefixed with `label`).
  static func listing(_ root: String, label: String, entries: Bool = false) -> Listing {
    var listing = Listing()
    var bytes = Array(label.utf8)
    bytes.append(0)
    walk(root) { path, info in
      let identity = FileIdentity(info)
      bytes.append(contentsOf: path)
      bytes.append(0)
      withUnsafeBytes(of: identity.size.littleEndian) { bytes += $0 }
      withUnsafeBytes(of: identity.modified.littleEndian) { bytes += $0 }
      withUnsafeBytes(of: identity.changed.littleEndian) { bytes += $0 }
      withUnsafeBytes(of: identity.inode.littleEndian) { bytes += $0 }
      listing.latestChange = max(listing.latestChange, identity.changed)
      if entries { listing.entries.append(Entry(path: label + String(decoding: path, as: UTF8.self), identity: identity)) }
    }
    bytes.append(0)
    var hasher = SHA256Digest()
    hasher.update(bytes: bytes)
    listing.digest = hasher.finalizeHex()
    return listing
  }

  /// Several roots listed in parallel, as (root, label) pairs.
  static func listings(_ roots: [(root: String, label: String)], entries: Bool = false) -> [Listing] {
    ParallelMap.map(roots, jobs: min(roots.count, ProcessInfo.processInfo.activeProcessorCount)) {
      listing($0.root, label: $0.label, entries: entries)
    }
  }

  /// One SHA-256 of listings and of `extra` texts: equal digests mean the same files with the
  /// same identities (and the same extras).
  static func digest(_ listings: [Listing], extra: [String] = []) -> String {
    var hasher = SHA256Digest()
    for listing in listings { hasher.update(listing.digest) }
    for text in extra {
      hasher.update(text)
      hasher.update(CollectionOfOne(UInt8(0)))
    }
    return hasher.finalizeHex()
  }
}

// MARK: - Removing a tree

extension FileTree {
  /// Removes the folder `root` and everything in it (links are removed, never followed): its
  /// folders are found first, then each folder's files are unlinked (`unlinkat` relative to the
  /// open folder) with the folders spread over `jobs` threads, then the folders go, deepest first.
  /// Whatever this leaves (a file it could not remove) is tried again with Foundation. Replacing a
  /// site of 10,000 pages removes the old one on every build.
  static func remove(_ root: String, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
    var info = stat()
    guard lstat(root, &info) == 0 else { return }
    guard (info.st_mode & S_IFMT) == S_IFDIR else {
      unlink(root)
      return
    }
    var folders: [String] = []
    collectFolders(root, into: &folders)
    _ = ParallelMap.map(folders, jobs: jobs) { folder -> Bool in
      let fd = open(folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      guard fd >= 0, let handle = fdopendir(fd) else { return false }
      defer { closedir(handle) }
      let parent = dirfd(handle)
      var names: [[UInt8]] = []
      while let item = readdir(handle) {
        let isFolder = item.pointee.d_type == UInt8(DT_DIR)
        let name = withUnsafeBytes(of: &item.pointee.d_name) { raw -> [UInt8] in
          let bytes = raw.bindMemory(to: UInt8.self)
          let length = bytes.firstIndex(of: 0) ?? bytes.count
          return Array(bytes[..<length]) + [0]
        }
        if !isFolder { names.append(name) }
      }
      for name in names {
        name.withUnsafeBytes { raw in
          _ = unlinkat(parent, raw.baseAddress!.assumingMemoryBound(to: CChar.self), 0)
        }
      }
      return true
    }
    for folder in folders.reversed() { rmdir(folder) }
    if lstat(root, &info) == 0 { try? FileManager.default.removeItem(atPath: root) }
  }

  /// Removes every empty folder under `root` (deepest first, so a folder holding only empty
  /// folders goes too); `root` stays.
  static func removeEmptyFolders(under root: String) {
    var folders: [String] = []
    collectFolders(root, into: &folders)
    for folder in folders.dropFirst().reversed() { rmdir(folder) }
  }

  /// `root` and every folder under it (not through links), parents before children.
  private static func collectFolders(_ root: String, into folders: inout [String]) {
    folders.append(root)
    guard let handle = opendir(root) else { return }
    defer { closedir(handle) }
    var children: [String] = []
    while let item = readdir(handle) {
      guard item.pointee.d_type == UInt8(DT_DIR) || item.pointee.d_type == UInt8(DT_UNKNOWN) else { continue }
      let name = withUnsafeBytes(of: &item.pointee.d_name) { raw in
        String(decoding: raw.bindMemory(to: UInt8.self).prefix { $0 != 0 }, as: UTF8.self)
      }
      if name == "." || name == ".." { continue }
      let path = root + "/" + name
      var info = stat()
      if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { children.append(path) }
    }
    for child in children { collectFolders(child, into: &folders) }
  }
}
