import Foundation
import Synchronization

/// Where one part of an aggregate file (a question's quiz entry, a print fragment) lies, in bytes,
/// with the render key it was made under.
struct Segment: Sendable, Equatable {
  var key: String
  var offset: Int
  var length: Int
}

/// The output folder as the last build left it, with that build's render keys: files whose key
/// is unchanged are hard-linked into the staging folder (copied where links are not possible)
/// instead of being rendered and written again. Used by ``BuildExecutor`` only.
final class PreviousOutput: Sendable {
  let folder: URL
  /// `folder.path` with a final `/` (paths are made by appending, no `URL` per file).
  private let root: String
  let keys: [String: String]
  let staging: OutputWriter.Staging
  /// Every recorded part of every aggregate (a print fragment is the same in every print page,
  /// so any file holding it will do).
  let segmentRecords: SegmentRecords
  /// The aggregates read so far (mapped, not copied) and how many parts were copied.
  private let state = Mutex<(mapped: [String: Data], copied: Int)>(([:], 0))

  /// How many parts of aggregates were copied from the previous output.
  var partsCopied: Int { state.withLock { $0.copied } }

  init(folder: URL, keys: [String: String], segments: SegmentRecords = SegmentRecords(), staging: OutputWriter.Staging) {
    self.folder = folder
    self.root = folder.path + "/"
    self.keys = keys
    self.staging = staging
    self.segmentRecords = segments
  }

  /// The part of an aggregate of the previous output made under `key`, if there is one: looked
  /// for first among the parts of the file at `path` (the file being made again, which had the
  /// part before unless the questions it holds changed).
  func fragment(key: String, in path: String? = nil) -> String? {
    guard let (path, segment) = segmentRecords.part(key: key, in: path) else { return nil }
    return state.withLock { state -> String? in
      if state.mapped[path] == nil {
        state.mapped[path] = try? Data(contentsOf: folder.appendingPathComponent(path), options: .alwaysMapped)
      }
      guard let data = state.mapped[path], segment.offset >= 0, segment.offset + segment.length <= data.count,
        let text = String(
          validating: data[(data.startIndex + segment.offset)..<(data.startIndex + segment.offset + segment.length)], as: UTF8.self)
      else { return nil }
      state.copied += 1
      return text
    }
  }

  /// Links `paths` from the previous output when every one of them was recorded under the key
  /// it has now; false (and nothing reused) otherwise.
  func reuse(_ paths: [String], key: (String) -> String?) -> Bool {
    guard !paths.isEmpty, paths.allSatisfy({ path in unchanged(path, key: key(path)) }) else { return false }
    return link(paths)
  }

  /// True when the previous output has `path` made under `key`.
  func unchanged(_ path: String, key: String?) -> Bool { key.map { keys[path] == $0 } ?? false }

  /// Links many unchanged files at once, folder by folder, the folders spread over `jobs` threads
  /// (two threads linking into one folder wait for each other on its lock); returns the paths
  /// that could be neither linked nor copied.
  func link(many paths: [String], jobs: Int) -> [String] {
    // Found by whole path first: after an edit the spare has nearly all of them.
    Self.link(staging.notLinked(paths), into: staging, from: root, jobs: jobs)
  }

  /// Links `paths` of the folder `root` (ending in `/`) into `staging` the same way (also how
  /// a site is linked into its spare, ``OldSiteRemoval``).
  static func link(_ paths: [String], into staging: OutputWriter.Staging, from root: String, jobs: Int) -> [String] {
    var folders: [String: [String]] = [:]
    for path in paths {
      let slash = path.lastIndex(of: "/")
      folders[slash.map { String(path[..<$0]) } ?? "", default: []].append(slash.map { String(path[path.index(after: $0)...]) } ?? path)
    }
    // The largest folders first, so that no thread is left with a large one at the end.
    let groups = folders.sorted { ($0.value.count, $0.key) > ($1.value.count, $1.key) }
    return ParallelMap.map(groups, jobs: jobs) { folder, names in
      staging.link(names: names, in: folder, from: root)
    }.flatMap { $0 }
  }

  /// Links every path into the staging folder; false if one could not be linked or copied.
  func link(_ paths: [String]) -> Bool {
    paths.allSatisfy { staging.link($0, from: root + $0) }
  }
}
