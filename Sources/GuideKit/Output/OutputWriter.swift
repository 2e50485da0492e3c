import Foundation
import Synchronization

/// The Output stage: writes every file into a temporary folder beside the output and swaps it in,
/// so a failed or interrupted build never leaves a half-written site. A lock keeps two builds of
/// the same output apart.
public struct OutputWriter: Sendable {
  public var output: URL

  /// A symbolic link to a folder as the output: the site goes into the folder it points to (the
  /// link itself is never replaced).
  public init(output: URL) {
    let standardized = output.standardizedFileURL
    self.output = URL(fileURLWithPath: OutputGuard.canonical(standardized.path))
  }

  var parent: URL { output.deletingLastPathComponent() }
  /// The lock file of earlier versions (the lock is now taken on the parent folder itself, so a
  /// killed build leaves no file behind); removed when found.
  var legacyLockURL: URL { parent.appendingPathComponent(".\(output.lastPathComponent).lock") }

  public enum WriteError: Error, CustomStringConvertible {
    case cannotCreate(String, String)
    case cannotWrite(String, String)
    case cannotSwap(String)
    case locked(String)

    public var description: String {
      switch self {
      case .cannotCreate(let path, let why): return "cannot create '\(path)': \(why)"
      case .cannotWrite(let path, let why): return "cannot write '\(path)': \(why)"
      case .cannotSwap(let why): return "cannot replace the output folder: \(why)"
      case .locked(let path): return "another build holds the lock '\(path)'"
      }
    }
  }

  /// Runs `body` while holding an exclusive lock on the output (waits for another build).
  public func withLock<T>(_ body: () throws -> T) throws -> T {
    do {
      try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
    } catch {
      throw WriteError.cannotCreate(parent.path, (error as NSError).localizedFailureReason ?? "not a writable folder")
    }
    let fd = open(parent.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw WriteError.cannotCreate(parent.path, String(cString: strerror(errno))) }
    defer { close(fd) }
    guard flock(fd, LOCK_EX) == 0 else { throw WriteError.locked(parent.path) }
    defer { flock(fd, LOCK_UN) }
    removeStaleLeftovers()
    return try body()
  }

  /// Staging and old-site folders of builds that were killed (their process is gone), and the
  /// lock file of earlier versions: removed under the lock, before a new staging folder exists.
  func removeStaleLeftovers() {
    let fm = FileManager.default
    unlink(legacyLockURL.path)
    guard let names = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
    for name in names {
      let pidText: Substring
      if name.hasPrefix(".\(output.lastPathComponent).tmp-") {
        pidText = name.dropFirst(".\(output.lastPathComponent).tmp-".count).prefix { $0 != "-" }
      } else if name.hasPrefix(".\(output.lastPathComponent).old-") {
        pidText = name.dropFirst(".\(output.lastPathComponent).old-".count)
      } else {
        continue
      }
      guard let pid = Int32(pidText), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
      FileTree.remove(parent.appendingPathComponent(name).path)
    }
  }

  /// A staging folder being filled; files may be written from several threads.
  public final class Staging: Sendable {
    public let url: URL
    /// `url.path` with a final `/`: file paths are made by appending (no `URL` per file).
    private let root: String

    /// What several threads share, behind one lock.
    private struct State {
      var failures: [String] = []
      /// Folders created so far.
      var created: Set<String> = [""]
      /// Paths linked from the previous output: writing one replaces the link, never the old file.
      var linked: Set<String> = []
    }
    private let state = Mutex(State())
    /// True for the spare site (``OutputWriter/beginSpare(_:matching:)``): once swapped in, the
    /// folder it leaves holds the old site, kept as the next build's spare.
    public let isSpare: Bool

    init(url: URL, isSpare: Bool = false, linked: Set<String> = []) {
      self.url = url
      self.isSpare = isSpare
      root = url.path + "/"
      state.withLock { $0.linked = linked }
    }

    /// How many files were linked from the previous output rather than written.
    public var linkedFiles: Int { state.withLock { $0.linked.count } }

    /// Those of `paths` not linked already (a spare site has most of an edit's unchanged files).
    func notLinked(_ paths: [String]) -> [String] {
      state.withLock { state in paths.filter { !state.linked.contains($0) } }
    }

    /// Creates the folder of `path` in the staging folder (once; under the lock, so no thread
    /// writes into a folder another thread has claimed but not yet created).
    private func prepare(_ path: String) throws -> Bool {
      let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
      return try state.withLock { state in
        try create(directory, &state)
        return state.linked.remove(path) != nil
      }
    }

    private func create(_ directory: String, _ state: inout State) throws {
      if !state.created.contains(directory) {
        try FileManager.default.createDirectory(atPath: root + directory, withIntermediateDirectories: true)
        state.created.insert(directory)
      }
    }

    /// Removes the files linked from the previous output that `keep` refuses (files the last
    /// build made and this one does not), and the folders that leaves empty: the folder then
    /// holds what a clean build writes, and nothing else.
    func removeLinked(keep: (String) -> Bool) {
      state.withLock { state in
        let gone = state.linked.filter { !keep($0) }
        guard !gone.isEmpty else { return }
        var folders: Set<String> = []
        for path in gone {
          unlink(root + path)
          state.linked.remove(path)
          var folder = Substring(path)
          while let slash = folder.lastIndex(of: "/") {
            folder = folder[..<slash]
            folders.insert(String(folder))
          }
        }
        // Deepest first; a folder that still holds something stays (rmdir refuses it).
        for folder in folders.sorted(by: { ($0.count, $0) > ($1.count, $1) }) where rmdir(root + folder) == 0 {
          state.created.remove(folder)
        }
      }
    }

    /// Writes one file (creating its folder); failures are collected for ``OutputWriter/commit``.
    public func write(_ path: String, _ contents: String) {
      let target = root + path
      do {
        if try prepare(path) { unlink(target) }
      } catch {
        record("\(path): \(error.localizedDescription)")
        return
      }
      // The string's own UTF-8 bytes go to the file: no copy of a 100 MB print page.
      let fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
      guard fd >= 0 else {
        record("\(path): \(String(cString: strerror(errno)))")
        return
      }
      var text = contents
      let failure: String? = text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
          let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
          if n < 0 {
            if errno == EINTR { continue }
            return String(cString: strerror(errno))
          }
          offset += n
        }
        return nil
      }
      if close(fd) != 0, failure == nil { record("\(path): \(String(cString: strerror(errno)))") }
      if let failure { record("\(path): \(failure)") }
    }

    /// Hard-links an unchanged file of the previous output to `path` (copies it where the file
    /// system refuses links); false when neither works, and the caller renders the file instead.
    public func link(_ path: String, from source: String) -> Bool {
      let target = root + path
      if state.withLock({ $0.linked.contains(path) }) { return true }
      guard (try? prepare(path)) != nil else { return false }
      if Foundation.link(source, target) != 0 {
        guard (try? FileManager.default.copyItem(atPath: source, toPath: target)) != nil else { return false }
      }
      state.withLock { _ = $0.linked.insert(path) }
      return true
    }

    /// Hard-links the unchanged files `names` of one folder (`directory`, "" for the root) of the
    /// previous output (`sourceRoot`, ending in `/`) into the same folder here, through the two
    /// folders' descriptors (no path walked per file). A file that cannot be linked is copied
    /// (``link(_:from:)``); the paths that could be neither are returned.
    func link(names: [String], in directory: String, from sourceRoot: String) -> [String] {
      let prefix = directory.isEmpty ? "" : directory + "/"
      // A spare site has most of them already (the same files, ``beginSpare(_:matching:)``).
      let names = state.withLock { state in names.filter { !state.linked.contains(prefix + $0) } }
      guard !names.isEmpty else { return [] }
      guard (try? state.withLock({ try create(directory, &$0) })) != nil else { return names.map { prefix + $0 } }
      let source = open(sourceRoot + directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      let target = open(root + directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      defer {
        if source >= 0 { close(source) }
        if target >= 0 { close(target) }
      }
      var failed: [String] = []
      var linked: [String] = []
      for name in names {
        if source >= 0, target >= 0, linkat(source, name, target, name, 0) == 0 {
          linked.append(prefix + name)
        } else if !link(prefix + name, from: sourceRoot + prefix + name) {
          failed.append(prefix + name)
        }
      }
      state.withLock { $0.linked.formUnion(linked) }
      return failed
    }

    private func record(_ failure: String) {
      state.withLock { $0.failures.append(failure) }
    }

    var firstFailure: String? { state.withLock { $0.failures.first } }
  }

  /// Creates the staging folder beside the output.
  public func begin() throws -> Staging {
    let staging = parent.appendingPathComponent(".\(output.lastPathComponent).tmp-\(getpid())-\(UUID().uuidString.prefix(8))")
    do {
      try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
    } catch {
      throw WriteError.cannotCreate(staging.path, (error as NSError).localizedFailureReason ?? error.localizedDescription)
    }
    return Staging(url: staging)
  }

  /// Where the spare site of this output lives (`folder`, in the build's cache folder): only
  /// where the two folders can be exchanged in one step (Linux's `renameat2`), which needs them
  /// on one mounted file system; tried with an empty folder moved there and back. Nil elsewhere:
  /// each build then stages into a new folder beside the output (``begin()``).
  public func spareFolder(in folder: URL) -> URL? {
    #if os(Linux)
      guard Self.exchangeCall != nil,
        (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil
      else { return nil }
      // Named like a staging folder, so that a build killed meanwhile leaves nothing behind.
      let probe = folder.appendingPathComponent(".probe-\(getpid())").path
      let beside = parent.appendingPathComponent(".\(output.lastPathComponent).tmp-\(getpid())-probe").path
      guard mkdir(probe, 0o755) == 0 || errno == EEXIST else { return nil }
      defer { rmdir(probe) }
      guard rename(probe, beside) == 0 else { return nil }
      guard rename(beside, probe) == 0 else {
        rmdir(beside)
        return nil
      }
      return folder.appendingPathComponent("spare-site")
    #else
      return nil
    #endif
  }

  /// Stages into the spare site `spare`: the site before the last one, which the last build's
  /// swap left there. Most of its files are the current site's files (hard links to the same
  /// inodes), so instead of linking every unchanged file again and removing the whole old site
  /// after the swap (two system calls per file of the site), the build removes from it what is
  /// not a file of `previous` (the current site's files as listed, with their inodes) and keeps
  /// the rest, which the executor then finds linked already; only the files the last build
  /// changed are linked again. A file of the spare is kept only when it *is* the current site's
  /// file at the same path (same inode), so a damaged or stale spare costs time, never
  /// correctness. Without `previous` (nothing of the output is reused) the spare is emptied.
  func beginSpare(_ spare: URL, matching previous: [FileTree.Entry]?) throws -> Staging {
    guard let previous, FileManager.default.fileExists(atPath: spare.path) else {
      FileTree.remove(spare.path)
      do {
        try FileManager.default.createDirectory(at: spare, withIntermediateDirectories: true)
      } catch {
        throw WriteError.cannotCreate(spare.path, (error as NSError).localizedFailureReason ?? error.localizedDescription)
      }
      return Staging(url: spare, isSpare: true)
    }
    var current: [String: UInt64] = [:]
    current.reserveCapacity(previous.count)
    for entry in previous { current[entry.path] = entry.identity.inode }
    var kept: Set<String> = []
    var stale: [String] = []
    // Inode numbers as the folders list them: no file's status is asked for.
    FileTree.walkEntries(spare.path) { path, isFile, inode in
      let relative = String(decoding: path, as: UTF8.self)
      if isFile, current[relative] == inode {
        kept.insert(relative)
      } else {
        stale.append(relative)
      }
    }
    let staging = Staging(url: spare, isSpare: true, linked: kept.union(stale))
    staging.removeLinked { kept.contains($0) }
    FileTree.removeEmptyFolders(under: spare.path)
    return staging
  }

  /// Copies `copies` (site path → source file) into the staging folder and swaps it in; on any
  /// failure the staging folder is removed and the old output stays. The old site is removed on
  /// another thread: the caller records the build meanwhile, and waits for it before it lets
  /// the lock go; or, `keepingOldSite` with a spare site, kept where the spare was.
  public func commit(
    _ staging: Staging, copies: [(path: String, source: String)], keepingOldSite: Bool = false
  ) throws -> OldSiteRemoval {
    let fm = FileManager.default
    var success = false
    defer { if !success { FileTree.remove(staging.url.path) } }
    staging.write(OutputGuard.markerName, OutputGuard.markerText)
    if let failure = staging.firstFailure { throw WriteError.cannotWrite(output.path, failure) }
    for copy in copies {
      do {
        let target = staging.url.appendingPathComponent(copy.path)
        try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        // A spare site may hold an older copy (never the current site's: a copy is a new file).
        unlink(target.path)
        try fm.copyItem(at: URL(fileURLWithPath: copy.source), to: target)
      } catch {
        throw WriteError.cannotWrite(copy.path, error.localizedDescription)
      }
    }
    let old = try swap(staging.url)
    success = true
    guard staging.isSpare else { return OldSiteRemoval(old) }
    // The old site is now where the spare was: kept, as the next build's spare, when asked.
    if keepingOldSite, old == staging.url.path { return OldSiteRemoval(nil) }
    // Else the next spare is the new site itself, linked file by file (once the old site is
    // gone), so that the next build too finds its files in place.
    return OldSiteRemoval(old, thenLink: output.path, into: staging.url.path)
  }

  /// Removes an unused staging folder.
  public func abort(_ staging: Staging) {
    FileTree.remove(staging.url.path)
  }

  /// Replaces the output with `staging`: an atomic exchange where the kernel offers it. Returns
  /// the folder now holding the old site, to be removed (nil when there was none).
  func swap(_ staging: URL) throws -> String? {
    let fm = FileManager.default
    if !fm.fileExists(atPath: output.path) {
      guard rename(staging.path, output.path) == 0 else { throw WriteError.cannotSwap(String(cString: strerror(errno))) }
      return nil
    }
    #if os(Linux)
      // renameat2(RENAME_EXCHANGE) swaps the two folders in one step.
      if exchange(staging.path, output.path) { return staging.path }
    #endif
    let old = parent.appendingPathComponent(".\(output.lastPathComponent).old-\(getpid())")
    guard rename(output.path, old.path) == 0 else { throw WriteError.cannotSwap(String(cString: strerror(errno))) }
    guard rename(staging.path, output.path) == 0 else {
      let why = String(cString: strerror(errno))
      _ = rename(old.path, output.path)
      throw WriteError.cannotSwap(why)
    }
    return old.path
  }

  #if os(Linux)
    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc's renameat2(RENAME_EXCHANGE), looked up at run time (older C libraries lack it).
    private func exchange(_ a: String, _ b: String) -> Bool {
      guard let renameat2 = Self.exchangeCall else { return false }
      return renameat2(AT_FDCWD, a, AT_FDCWD, b, 2) == 0
    }

    private static var exchangeCall: RenameAt2? {
      guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else { return nil }
      return unsafeBitCast(symbol, to: RenameAt2.self)
    }
  #endif
}

/// The removal of the old site after a swap, on another thread (about 10,000 files at 10,000
/// pages). A build killed before it ends leaves the folder to the next build, which removes
/// the folders of dead builds (``OutputWriter/removeStaleLeftovers()``).
/// With a spare site that is not kept (``OutputWriter/commit(_:copies:keepingOldSite:)``), the
/// new site's files are then linked into the spare's place.
public final class OldSiteRemoval: Sendable {
  private let done = DispatchGroup()

  init(_ folder: String?, thenLink site: String? = nil, into spare: String? = nil) {
    guard folder != nil || site != nil else { return }
    DispatchQueue.global().async(group: done) {
      if let folder { FileTree.remove(folder) }
      if let site, let spare { Self.link(site, into: spare) }
    }
  }

  /// Hard-links every file of `site` (hidden ones too) into `spare`, folder by folder. What cannot
  /// be linked is copied or left out: the next build keeps a spare's file only when it is the
  /// site's own.
  private static func link(_ site: String, into spare: String) {
    var paths: [String] = []
    FileTree.walkEntries(site) { path, isFile, _ in
      if isFile { paths.append(String(decoding: path, as: UTF8.self)) }
    }
    guard (try? FileManager.default.createDirectory(atPath: spare, withIntermediateDirectories: true)) != nil else { return }
    let staging = OutputWriter.Staging(url: URL(fileURLWithPath: spare), isSpare: true)
    _ = PreviousOutput.link(paths, into: staging, from: site + "/", jobs: ProcessInfo.processInfo.activeProcessorCount)
  }

  /// Returns when the old site is gone (and the spare made).
  public func wait() { done.wait() }
}
