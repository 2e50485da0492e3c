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
}

/// A fast listing of a folder tree with each file's identity (`readdir` and `stat`, no
/// Foundation enumerator): the no-change check lists the guide and the site on every build.
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
    walk(root.standardizedFileURL.path, relative: "", into: &out)
    out.sort { $0.path < $1.path }
    return out
  }

  private static func walk(_ directory: String, relative: String, into out: inout [Entry]) {
    guard let handle = opendir(directory) else { return }
    defer { closedir(handle) }
    while let item = readdir(handle) {
      let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name.hasPrefix(".") { continue }
      let full = directory + "/" + name
      let rel = relative.isEmpty ? name : relative + "/" + name
      var info = stat()
      guard lstat(full, &info) == 0 else { continue }
      if (info.st_mode & S_IFMT) == S_IFLNK {
        guard stat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
        out.append(Entry(path: rel, identity: FileIdentity(info)))
      } else if (info.st_mode & S_IFMT) == S_IFDIR {
        walk(full, relative: rel, into: &out)
      } else if (info.st_mode & S_IFMT) == S_IFREG {
        out.append(Entry(path: rel, identity: FileIdentity(info)))
      }
    }
  }
}
