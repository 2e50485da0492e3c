import CSpawn
import Foundation

/// The temporary folders of snippet runs and module builds: `guide-snippet-<pid>-<uuid>` and
/// `guide-module-<pid>-<uuid>` in the temporary directory. Each is removed when its run ends; a
/// build that was killed cannot do that, so the next build removes every such folder whose process
/// is gone.
enum TemporaryFolders {
  static let prefixes = ["guide-snippet-", "guide-module-"]

  /// A new folder name (`prefix-<pid>-<uuid>`), not created yet.
  static func url(_ prefix: String, in parent: URL = FileManager.default.temporaryDirectory) -> URL {
    parent.appendingPathComponent("\(prefix)-\(getpid())-\(UUID().uuidString)")
  }

  /// Creates a new, empty folder (`prefix-<pid>-<uuid>`).
  static func make(_ prefix: String, in parent: URL = FileManager.default.temporaryDirectory) -> URL {
    let folder = url(prefix, in: parent)
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// Removes the folders left by processes that no longer exist. Folders of the older naming
  /// (`guide-snippet-NAME-UUID`, no pid) are removed once they are an hour old.
  static func removeStale(in parent: URL = FileManager.default.temporaryDirectory) {
    let fm = FileManager.default
    guard let entries = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
    for entry in entries {
      guard let prefix = prefixes.first(where: { entry.hasPrefix($0) }) else { continue }
      let rest = entry.dropFirst(prefix.count)
      let url = parent.appendingPathComponent(entry)
      if let pid = Int32(rest.prefix(while: { $0 != "-" })) {
        if pid != getpid() && guide_process_exists(pid) == 0 { try? fm.removeItem(at: url) }
      } else if let modified = (try? fm.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date,
        Date().timeIntervalSince(modified) > 3600
      {
        try? fm.removeItem(at: url)
      }
    }
  }
}
