import Foundation

/// The output folder as the last build left it, with that build's render keys: files whose key
/// is unchanged are hard-linked into the staging folder (copied where links are not possible)
/// instead of being rendered and written again.
final class PreviousOutput: @unchecked Sendable {
  let folder: URL
  let keys: [String: String]
  let staging: OutputWriter.Staging
  /// Per aggregate file: its parts by key.
  private let parts: [String: [String: Segment]]
  private let segmentLists: [String: [Segment]]
  private let lock = NSLock()
  private var mapped: [String: Data] = [:]
  private var copied = 0

  /// How many parts of aggregates were copied from the previous output.
  var partsCopied: Int {
    lock.lock()
    defer { lock.unlock() }
    return copied
  }

  init(folder: URL, keys: [String: String], segments: [String: [Segment]], staging: OutputWriter.Staging) {
    self.folder = folder
    self.keys = keys
    self.staging = staging
    self.segmentLists = segments
    self.parts = segments.mapValues { Dictionary($0.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a }) }
  }

  /// The parts of an aggregate file as recorded (for a file linked unchanged).
  func segments(of path: String) -> [Segment] { segmentLists[path] ?? [] }

  /// The part of an aggregate file of the previous output made under `key`, if there is one.
  func fragment(_ path: String, key: String) -> String? {
    guard let segment = parts[path]?[key] else { return nil }
    lock.lock()
    defer { lock.unlock() }
    if mapped[path] == nil {
      mapped[path] = try? Data(contentsOf: folder.appendingPathComponent(path), options: .alwaysMapped)
    }
    guard let data = mapped[path], segment.offset >= 0, segment.offset + segment.length <= data.count,
      let text = String(
        validating: data[(data.startIndex + segment.offset)..<(data.startIndex + segment.offset + segment.length)], as: UTF8.self)
    else { return nil }
    copied += 1
    return text
  }

  /// Links `paths` from the previous output when every one of them was recorded under the key
  /// it has now; false (and nothing reused) otherwise.
  func reuse(_ paths: [String], key: (String) -> String?) -> Bool {
    guard !paths.isEmpty, paths.allSatisfy({ path in key(path).map { keys[path] == $0 } ?? false }) else { return false }
    return link(paths)
  }

  /// Links every path into the staging folder; false if one could not be linked or copied.
  func link(_ paths: [String]) -> Bool {
    paths.allSatisfy { staging.link($0, from: folder.appendingPathComponent($0).path) }
  }
}
