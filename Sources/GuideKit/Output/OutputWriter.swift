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
      var linkedCount = 0
    }
    private let state = Mutex(State())

    init(url: URL) {
      self.url = url
      root = url.path + "/"
    }

    /// How many files were linked from the previous output rather than written.
    public var linkedFiles: Int { state.withLock { $0.linkedCount } }

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
      guard (try? prepare(path)) != nil else { return false }
      if Foundation.link(source, target) != 0 {
        guard (try? FileManager.default.copyItem(atPath: source, toPath: target)) != nil else { return false }
      }
      state.withLock {
        $0.linked.insert(path)
        $0.linkedCount += 1
      }
      return true
    }

    /// Hard-links the unchanged files `names` of one folder (`directory`, "" for the root) of the
    /// previous output (`sourceRoot`, ending in `/`) into the same folder here, through the two
    /// folders' descriptors (no path walked per file). A file that cannot be linked is copied
    /// (``link(_:from:)``); the paths that could be neither are returned.
    func link(names: [String], in directory: String, from sourceRoot: String) -> [String] {
      let prefix = directory.isEmpty ? "" : directory + "/"
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
      state.withLock { state in
        state.linked.formUnion(linked)
        state.linkedCount += linked.count
      }
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

  /// Copies `copies` (site path → source file) into the staging folder and swaps it in; on any
  /// failure the staging folder is removed and the old output stays. The old site is removed on
  /// another thread: the caller records the build meanwhile, and waits for it before it lets
  /// the lock go.
  public func commit(_ staging: Staging, copies: [(path: String, source: String)]) throws -> OldSiteRemoval {
    let fm = FileManager.default
    var success = false
    defer { if !success { FileTree.remove(staging.url.path) } }
    staging.write(OutputGuard.markerName, OutputGuard.markerText)
    if let failure = staging.firstFailure { throw WriteError.cannotWrite(output.path, failure) }
    for copy in copies {
      do {
        let target = staging.url.appendingPathComponent(copy.path)
        try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try fm.copyItem(at: URL(fileURLWithPath: copy.source), to: target)
      } catch {
        throw WriteError.cannotWrite(copy.path, error.localizedDescription)
      }
    }
    let old = try swap(staging.url)
    success = true
    return OldSiteRemoval(old)
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
      guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else { return false }
      let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
      return renameat2(AT_FDCWD, a, AT_FDCWD, b, 2) == 0
    }
  #endif
}

/// The removal of the old site after a swap, on another thread (about 10,000 files at 10,000
/// pages). A build killed before it ends leaves the folder to the next build, which removes
/// the folders of dead builds (``OutputWriter/removeStaleLeftovers()``).
public final class OldSiteRemoval: Sendable {
  private let done = DispatchGroup()

  init(_ folder: String?) {
    guard let folder else { return }
    DispatchQueue.global().async(group: done) { FileTree.remove(folder) }
  }

  /// Returns when the old site is gone.
  public func wait() { done.wait() }
}
