import Foundation

/// The output folder as the last build left it, with that build's render keys: files whose key
/// is unchanged are hard-linked into the staging folder (copied where links are not possible)
/// instead of being rendered and written again.
final class PreviousOutput: Sendable {
  let folder: URL
  let keys: [String: String]
  let staging: OutputWriter.Staging

  init(folder: URL, keys: [String: String], staging: OutputWriter.Staging) {
    self.folder = folder
    self.keys = keys
    self.staging = staging
  }

  func unchanged(_ path: String, key: String) -> Bool { keys[path] == key }

  /// Links every path into the staging folder; false if one could not be linked or copied.
  func link(_ paths: [String]) -> Bool {
    paths.allSatisfy { staging.link($0, from: folder.appendingPathComponent($0).path) }
  }
}
