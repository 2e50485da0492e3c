import Foundation
import Synchronization

/// The parts of the last build's aggregates as `segments.tsv` records them: a line per part
/// (path, key, offset, length, tab-separated), sorted by path. The file is mapped, not parsed: a
/// file's lines are found by a binary search on the paths, a part first among the lines of the
/// file being made again (through a table of that file's keys, made on first use), and only when
/// it is not there through a table of every key (made on first use too); an unchanged file's lines
/// go into the next record byte for byte (``BuildManifest/saveRecords(cache:output:files:previous:)``).
/// An edit of one answer at 10,000 questions thus neither parses nor formats the 60,000 lines of
/// the aggregates' parts it keeps, and reads only the lines of the files it makes again (issue 19).
final class SegmentRecords: Sendable {
  private let file: FileBytes
  /// Part key → where its first line starts: among one file's lines (by path), or the whole
  /// file's (nil). A key's FNV-1a hash stands for it; a hash shared by two keys is marked -1 and
  /// those keys are looked for line by line.
  private let tables = Mutex<[String?: [UInt64: Int]]>([:])

  /// No parts (no previous build, or a test).
  convenience init() { self.init(FileBytes([])) }

  init(_ file: FileBytes) {
    self.file = file
  }

  private static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return hash
  }

  /// The table of the keys of the lines in `range`.
  private func table(_ range: Range<Int>) -> [UInt64: Int] {
    var table: [UInt64: Int] = [:]
    var keys: [UInt64: Range<Int>] = [:]
    let bytes = file.buffer
    var start = range.lowerBound
    while start < range.upperBound, let line = Self.line(bytes, at: start) {
      let hash = Self.hash(bytes[line.key])
      if let known = keys[hash] {
        if !bytes[known].elementsEqual(bytes[line.key]) { table[hash] = -1 }
      } else {
        keys[hash] = line.key
        table[hash] = start
      }
      start = line.end
    }
    return table
  }

  /// Where the lines of `path` lie in the file (nil: it has none).
  private func range(of path: String) -> Range<Int>? {
    files.withLock { files in
      if files == nil { files = self.fileRanges() }
      return files![path]
    }
  }
  /// Each file's lines (a few hundred files: the aggregates), found on first use.
  private let files = Mutex<[String: Range<Int>]?>(nil)

  /// Each file's lines, found by stepping from one file to the next: the end of a file's lines is
  /// found by a binary search for the first line of a later path (the lines are sorted by path,
  /// byte by byte, as the records were written). A file whose lines are not where the order puts
  /// them ends the table there (the parts not found are made again).
  private func fileRanges() -> [String: Range<Int>] {
    let bytes = file.buffer
    /// The start of the line that holds `position`.
    func lineStart(_ position: Int) -> Int {
      var i = position
      while i > 0, bytes[i - 1] != UInt8(ascii: "\n") { i -= 1 }
      return i
    }
    var ranges: [String: Range<Int>] = [:]
    var start = 0
    while start < bytes.count, let first = Self.line(bytes, at: start) {
      let path = bytes[first.path]
      /// Whether the line at `at` is of a path after this one (nil: malformed).
      func after(_ at: Int) -> Bool? {
        guard let line = Self.line(bytes, at: at) else { return nil }
        return path.lexicographicallyPrecedes(bytes[line.path])
      }
      // The first line after `start` of a later path.
      var low = first.end
      var high = bytes.count
      while low < high {
        let mid = lineStart((low + high) / 2)
        guard let later = after(mid), let line = Self.line(bytes, at: mid) else { return ranges }
        if later { high = mid } else { low = line.end }
      }
      let name = String(decoding: path, as: UTF8.self)
      guard ranges[name] == nil else { return ranges }
      ranges[name] = start..<low
      start = low
    }
    return ranges
  }

  private func segment(at start: Int) -> (path: String, segment: Segment)? {
    guard let line = Self.line(file.buffer, at: start) else { return nil }
    return (
      String(decoding: file.buffer[line.path], as: UTF8.self),
      Segment(key: String(decoding: file.buffer[line.key], as: UTF8.self), offset: line.offset, length: line.length)
    )
  }

  /// The part recorded under `key`: among the lines of the file at `path` first, else the first
  /// one in the whole file (files in path order), with its file.
  func part(key: String, in path: String? = nil) -> (path: String, segment: Segment)? {
    if let path, let found = part(key: key, among: path) { return found }
    return part(key: key, among: nil)
  }

  /// The part recorded under `key` among the lines of the file at `path` (nil: of every file).
  private func part(key: String, among path: String?) -> (path: String, segment: Segment)? {
    let range: Range<Int>
    if let path {
      guard let lines = self.range(of: path) else { return nil }
      range = lines
    } else {
      range = 0..<file.count
    }
    let hash = Self.hash(key.utf8)
    let known = tables.withLock { tables -> Int?? in tables[path].map { $0[hash] } }
    let first: Int?
    if let known {
      first = known
    } else {
      let table = self.table(range)
      tables.withLock { $0[path] = table }
      first = table[hash]
    }
    guard let first else { return nil }
    if first >= 0 {
      guard let found = segment(at: first), found.segment.key == key else { return nil }
      return found
    }
    var position = range.lowerBound
    while position < range.upperBound, let line = Self.line(file.buffer, at: position) {
      if file.buffer[line.key].elementsEqual(key.utf8) { return segment(at: position) }
      position = line.end
    }
    return nil
  }

  /// The lines of the file at `path` as recorded, to be written again unchanged.
  func recordedLines(of path: String) -> UnsafeRawBufferPointer.SubSequence? {
    range(of: path).map { file.buffer[$0] }
  }

  /// One line's fields from `start`: the byte ranges of its path and key, its numbers, and where
  /// the next line starts (nil for a malformed line: the records end there).
  private static func line(
    _ bytes: UnsafeRawBufferPointer, at start: Int
  ) -> (path: Range<Int>, key: Range<Int>, offset: Int, length: Int, end: Int)? {
    var tabs = (0, 0, 0)
    var count = 0
    var i = start
    while i < bytes.count, bytes[i] != UInt8(ascii: "\n") {
      if bytes[i] == UInt8(ascii: "\t") {
        switch count {
        case 0: tabs.0 = i
        case 1: tabs.1 = i
        case 2: tabs.2 = i
        default: return nil
        }
        count += 1
      }
      i += 1
    }
    guard count == 3, i < bytes.count, let offset = Int(decimal: bytes[(tabs.1 + 1)..<tabs.2]),
      let length = Int(decimal: bytes[(tabs.2 + 1)..<i])
    else { return nil }
    return (start..<tabs.0, (tabs.0 + 1)..<tabs.1, offset, length, i + 1)
  }

}
