import Foundation
import Markdown

/// A file read from `Guide/` (or `Templates/`), decoded as text.
public struct SourceFile: Sendable, Hashable {
  /// Path inside the guide folder with `/` separators.
  public var relativePath: String
  /// Path shown in diagnostics.
  public var displayPath: String
  public var text: String
}

/// Everything read from `Guide/`, before parsing.
public struct GuideSources: Sendable {
  public var config: GuideConfig
  public var markdown: [SourceFile]
  public var snippets: [SourceFile]
  public var sharedSnippetCode: [SourceFile]
  public var expectedOutputs: [SourceFile]
  /// Other files (images, …) by relative path, copied to the site when a page uses them.
  public var assets: [String: String]  // relative path → absolute path
  /// Markdown files not read because the summary cache has them (relative paths, sorted).
  public var unreadMarkdown: [String] = []
}

/// Reads the guide folder: the Load stage.
public enum GuideLoader {
  /// Files larger than this are refused (a teacher's Markdown is never this big).
  public static let maximumFileSize = 8 * 1024 * 1024

  public static func load(
    guideDirectory: URL, displayPrefix: String, jobs: Int = 1, skipping: Set<String> = []
  ) -> (GuideSources?, [Diagnostic], [String: String]) {
    var diagnostics: [Diagnostic] = []
    var texts: [String: String] = [:]
    let fm = FileManager.default
    let root = guideDirectory.standardizedFileURL.resolvingSymlinksInPath()
    let configDisplay = join(displayPrefix, GuideConfig.fileName)
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
      return (
        nil,
        [
          .error(
            displayPrefix, SourceLocation(line: 1, column: 1), "guide folder '\(displayPrefix)' does not exist",
            hint: "pass --guide DIR or run from the repository root")
        ],
        texts
      )
    }

    var relativePaths: [String] = []
    var assets: [String: String] = [:]
    walk(root, relative: "", root: root, into: &relativePaths, diagnostics: &diagnostics, displayPrefix: displayPrefix)
    relativePaths.sort()

    // guide.yml first.
    var config: GuideConfig?
    let configRead = readRegularFile(root.appendingPathComponent(GuideConfig.fileName).path)
    if case .failure(let problem) = configRead, problem != .missing {
      diagnostics.append(.error(configDisplay, SourceLocation(line: 1, column: 1), problem.message))
    } else if case .success(let bytes) = configRead {
      if let decoded = SourceText.decode(Array(bytes), path: configDisplay) {
        diagnostics += decoded.diagnostics
        texts[configDisplay] = decoded.text
        if !decoded.diagnostics.hasErrors {
          let (loaded, configDiagnostics) = GuideConfig.load(text: decoded.text, path: configDisplay)
          config = loaded
          diagnostics += configDiagnostics
        }
      }
    } else {
      diagnostics.append(
        .error(
          configDisplay, SourceLocation(line: 1, column: 1), "missing guide.yml",
          hint: "create \(configDisplay) with the title, levels and tags"))
    }

    var markdown: [SourceFile] = []
    var snippets: [SourceFile] = []
    var shared: [SourceFile] = []
    var expected: [SourceFile] = []
    // Read and decode in parallel (a 10,000-page guide is 66 MB); assemble in path order.
    enum Kind { case markdown, swift, expected }
    var candidates: [(relative: String, kind: Kind)] = []
    var unread: [String] = []
    for relative in relativePaths where relative != GuideConfig.fileName {
      if relative.hasSuffix(".md") && skipping.contains(relative) {
        unread.append(relative)
      } else if relative.hasSuffix(".md") {
        candidates.append((relative, .markdown))
      } else if relative.hasSuffix(".swift") {
        candidates.append((relative, .swift))
      } else if relative.hasSuffix(".expected") {
        candidates.append((relative, .expected))
      } else {
        assets[relative] = root.appendingPathComponent(relative).path
      }
    }
    let rootPath = root.path
    let decodedFiles = ParallelMap.map(candidates.map(\.relative), jobs: jobs) { relative -> (SourceText.Decoded?, [Diagnostic]) in
      let path = rootPath + "/" + relative
      let display = join(displayPrefix, relative)
      switch readRegularFile(path) {
      case .success(let data):
        return (SourceText.decode(Array(data), path: display), [])
      case .failure(let problem):
        return (
          nil,
          [
            .error(
              display, SourceLocation(line: 1, column: 1), problem.message,
              hint: problem.isTooLarge ? "split it into several pages" : nil)
          ]
        )
      }
    }
    for ((relative, kind), (decoded, problems)) in zip(candidates, decodedFiles) {
      diagnostics += problems
      guard let decoded else { continue }
      let display = join(displayPrefix, relative)
      diagnostics += decoded.diagnostics
      if decoded.diagnostics.hasErrors { continue }
      texts[display] = decoded.text
      let file = SourceFile(relativePath: relative, displayPath: display, text: decoded.text)
      switch kind {
      case .markdown:
        markdown.append(file)
      case .swift where relative.hasPrefix("snippets/Shared/"):
        shared.append(file)
      case .swift where relative.hasPrefix("snippets/") && !relative.dropFirst("snippets/".count).contains("/"):
        let name = String(relative.dropFirst("snippets/".count).dropLast(".swift".count))
        guard Slug.isSafePathComponent(name) else {
          diagnostics.append(
            .error(
              display, SourceLocation(line: 1, column: 1),
              "snippet name '\(GuideConfig.printable(name))' must be letters, digits, '-' and '_'",
              hint: "the name becomes the snippet's page (snippets/NAME.html); rename the file, e.g. snippets/box-iou.swift"))
          continue
        }
        snippets.append(file)
      case .expected where relative.hasPrefix("snippets/"):
        expected.append(file)
      default:
        assets[relative] = root.appendingPathComponent(relative).path
      }
    }
    guard let config else { return (nil, diagnostics, texts) }
    return (
      GuideSources(
        config: config, markdown: markdown, snippets: snippets, sharedSnippetCode: shared, expectedOutputs: expected, assets: assets,
        unreadMarkdown: unread),
      diagnostics, texts
    )
  }

  /// Why a file could not be read.
  public enum ReadProblem: Error, Equatable {
    case missing
    case tooLarge(Int)
    case notRegular(String)
    case unreadable(String)

    public var isTooLarge: Bool {
      if case .tooLarge = self { return true }
      return false
    }

    public var message: String {
      switch self {
      case .missing: return "file does not exist"
      case .tooLarge(let size):
        return "file is too large (\(size / 1_048_576) MB; the limit is \(GuideLoader.maximumFileSize / 1_048_576) MB)"
      case .notRegular(let kind): return "not a regular file (\(kind)); it is not read"
      case .unreadable(let why): return "cannot read file: \(why)"
      }
    }
  }

  /// The kind of a non-regular file, for diagnostics.
  static func kindName(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFIFO: return "a named pipe"
    case S_IFSOCK: return "a socket"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFDIR: return "a folder"
    default: return "a special file"
    }
  }

  /// Reads a regular file of at most `limit` bytes. The file is opened without blocking and its
  /// type and size are checked before a byte is read: a named pipe never hangs the build and a
  /// 1.5 GB file costs nothing.
  public static func readRegularFile(_ path: String, limit: Int = maximumFileSize) -> Result<Data, ReadProblem> {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else {
      return .failure(errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno))))
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
    guard (info.st_mode & S_IFMT) == S_IFREG else { return .failure(.notRegular(kindName(info.st_mode))) }
    let size = Int(info.st_size)
    guard size <= limit else { return .failure(.tooLarge(size)) }
    var data = Data(count: size)
    var offset = 0
    let failure: String? = data.withUnsafeMutableBytes { buffer in
      while offset < size {
        let n = read(fd, buffer.baseAddress! + offset, size - offset)
        if n < 0 {
          if errno == EINTR || errno == EAGAIN { continue }
          return String(cString: strerror(errno))
        }
        if n == 0 { break }
        offset += n
      }
      return nil
    }
    if let failure { return .failure(.unreadable(failure)) }
    if offset < size { data.removeSubrange(offset...) }
    return .success(data)
  }

  static func join(_ prefix: String, _ relative: String) -> String {
    if prefix.isEmpty || prefix == "." { return relative }
    return prefix.hasSuffix("/") ? prefix + relative : prefix + "/" + relative
  }

  /// The names in a folder with their types as the folder records them (`DT_UNKNOWN` where the
  /// file system does not), without `.` and `..`; nil when it cannot be read.
  private static func entries(of path: String) -> [(name: String, type: UInt8)]? {
    guard let folder = opendir(path) else { return nil }
    defer { closedir(folder) }
    var out: [(name: String, type: UInt8)] = []
    while let entry = readdir(folder) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
      if name != "." && name != ".." { out.append((name, entry.pointee.d_type)) }
    }
    return out
  }

  /// Lists files under `directory`, refusing symlinks that leave the guide folder.
  private static func walk(
    _ directory: URL, relative: String, root: URL, into paths: inout [String], diagnostics: inout [Diagnostic],
    displayPrefix: String
  ) {
    guard let entries = entries(of: directory.path) else { return }
    for (name, type) in entries.sorted(by: { $0.name < $1.name }) where !name.hasPrefix(".") {
      let rel = relative.isEmpty ? name : relative + "/" + name
      // The folder says what most entries are: a regular file needs no stat, a folder is walked.
      if type == UInt8(DT_REG) {
        paths.append(rel)
        continue
      }
      let url = directory.appendingPathComponent(name)
      if type == UInt8(DT_DIR) {
        walk(url, relative: rel, root: root, into: &paths, diagnostics: &diagnostics, displayPrefix: displayPrefix)
        continue
      }
      // lstat/stat rather than FileManager attributes: this runs for every file of the guide.
      var info = stat()
      var target = url
      let isLink = lstat(url.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
      if isLink {
        let resolved = url.resolvingSymlinksInPath().standardizedFileURL
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        if !resolved.path.hasPrefix(rootPath) {
          diagnostics.append(
            .error(
              join(displayPrefix, rel), SourceLocation(line: 1, column: 1), "symbolic link points outside the guide folder",
              hint: "copy the file into the guide instead of linking to '\(resolved.path)'"))
          continue
        }
        target = resolved
      }
      guard stat(target.path, &info) == 0 else {
        let loop = errno == ELOOP
        diagnostics.append(
          .error(
            join(displayPrefix, rel), SourceLocation(line: 1, column: 1),
            loop ? "symbolic link loop (the link leads back to itself)" : "broken symbolic link",
            hint: loop ? "point the link at a file, or replace it with the file" : nil))
        continue
      }
      if (info.st_mode & S_IFMT) == S_IFDIR {
        if isLink {
          diagnostics.append(
            .warning(
              join(displayPrefix, rel), SourceLocation(line: 1, column: 1), "symbolic link to a folder is not followed",
              hint: "move the folder into the guide instead of linking it"))
          continue
        }
        walk(url, relative: rel, root: root, into: &paths, diagnostics: &diagnostics, displayPrefix: displayPrefix)
      } else if (info.st_mode & S_IFMT) == S_IFREG {
        paths.append(rel)
      } else {
        diagnostics.append(
          .warning(
            join(displayPrefix, rel), SourceLocation(line: 1, column: 1),
            "\(kindName(info.st_mode)) is not a regular file; it is ignored", hint: "remove it from the guide folder"))
      }
    }
  }
}
