import Foundation

/// The no-change fast path: a fingerprint of every input (guide, templates, the generator and the
/// compiler binaries) and of the output folder. When both equal the last clean build's, nothing
/// can have changed and the build ends at once.
struct BuildManifest: Codable, Equatable {
  var inputs: String
  var output: String

  static func file(cache: URL, output: URL) -> URL {
    cache.appendingPathComponent("builds").appendingPathComponent(Hashing.sha256Hex(output.standardizedFileURL.path) + ".json")
  }

  static func load(cache: URL, output: URL) -> BuildManifest? {
    guard let data = try? Data(contentsOf: file(cache: cache, output: output)) else { return nil }
    return try? JSONDecoder().decode(BuildManifest.self, from: data)
  }

  func save(cache: URL, output: URL) {
    let url = Self.file(cache: cache, output: output)
    try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    if let data = try? JSONEncoder().encode(self) { try? data.write(to: url, options: .atomic) }
  }

  static func forget(cache: URL, output: URL) {
    try? FileManager.default.removeItem(at: file(cache: cache, output: output))
  }

  /// Hash of the contents of every file under the folders, plus identities of the binaries.
  static func inputsFingerprint(_ options: BuildOptions) -> String {
    var hasher = SHA256Digest()
    for folder in [options.guideDirectory, options.templatesDirectory] {
      for relative in GuideBuild.listFiles(folder) {
        hasher.update(relative.utf8)
        hasher.update(CollectionOfOne(UInt8(0)))
        if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(relative).path) {
          data.withUnsafeBytes { hasher.update(bytes: $0) }
        }
        hasher.update(CollectionOfOne(UInt8(0)))
      }
    }
    for binary in ["/proc/self/exe", Toolchain.swiftc?.resolvingSymlinksInPath().path ?? ""] {
      hasher.update(identity(binary).utf8)
    }
    hasher.update("jobs-independent v1 \(options.runSnippets)".utf8)
    return hasher.finalizeHex()
  }

  /// Names, sizes and modification times of the output's files: a changed or deleted file shows.
  static func outputFingerprint(_ output: URL) -> String {
    var hasher = SHA256Digest()
    for relative in GuideBuild.listFiles(output) {
      hasher.update(relative.utf8)
      hasher.update(identity(output.appendingPathComponent(relative).path).utf8)
    }
    return hasher.finalizeHex()
  }

  static func identity(_ path: String) -> String {
    var info = stat()
    guard stat(path, &info) == 0 else { return "missing" }
    return "|\(info.st_size)|\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)|\(info.st_ino)"
  }
}
