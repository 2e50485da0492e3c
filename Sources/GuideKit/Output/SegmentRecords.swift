import Foundation

/// The parts of the last build's aggregates as `segments.tsv` records them: a line per part
/// (path, key, offset, length, tab-separated), sorted by path. The file is mapped, not parsed: a
/// file's parts are read only when this build renders that file again, a part is found by its key
/// through a table of the keys' hashes, and an unchanged file's lines go into the next record byte
/// for byte (``BuildManifest/saveRecords(cache:output:files:previous:)``). An edit of one
/// answer at 10,000 questions thus neither parses nor formats the 30,000 parts of the aggregates
/// it keeps (issue 19).
final class SegmentRecords: Sendable {
  private let file: FileBytes
  /// Each file's lines, as a byte range of the file.
  private let lines: [String: Range<Int>]
  /// Where the first line of each part key starts, by the key's FNV-1a hash; a hash shared by two
  /// keys is marked -1 and those keys are looked for line by line.
  private let firstLine: [UInt64: Int]

  /// No parts (no previous build, or a test).
  convenience init() { self.init(FileBytes([])) }

  init(_ file: FileBytes) {
    self.file = file
    var lines: [String: Range<Int>] = [:]
    var firstLine: [UInt64: Int] = [:]
    var keys: [UInt64: Range<Int>] = [:]
    let bytes = file.buffer
    var start = 0
    var current: (path: Range<Int>, start: Int)?
    func close(at end: Int) {
      guard let open = current else { return }
      lines[String(decoding: bytes[open.path], as: UTF8.self)] = open.start..<end
    }
    while start < bytes.count, let line = Self.line(bytes, at: start) {
      if current == nil || !bytes[current!.path].elementsEqual(bytes[line.path]) {
        close(at: start)
        current = (line.path, start)
      }
      var hash: UInt64 = 0xcbf2_9ce4_8422_2325
      for byte in bytes[line.key] { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
      if let known = keys[hash] {
        if !bytes[known].elementsEqual(bytes[line.key]) { firstLine[hash] = -1 }
      } else {
        keys[hash] = line.key
        firstLine[hash] = start
      }
      start = line.end
    }
    close(at: start)
    self.lines = lines
    self.firstLine = firstLine
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

  private func segment(at start: Int) -> (path: String, segment: Segment)? {
    guard let line = Self.line(file.buffer, at: start) else { return nil }
    return (
      String(decoding: file.buffer[line.path], as: UTF8.self),
      Segment(key: String(decoding: file.buffer[line.key], as: UTF8.self), offset: line.offset, length: line.length)
    )
  }

  /// The first part recorded under `key` (files in path order), with its file.
  func part(key: String) -> (path: String, segment: Segment)? {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    guard let start = firstLine[hash] else { return nil }
    if start >= 0 {
      guard let found = segment(at: start), found.segment.key == key else { return nil }
      return found
    }
    var position = 0
    while position < file.count, let line = Self.line(file.buffer, at: position) {
      if file.buffer[line.key].elementsEqual(key.utf8) { return segment(at: position) }
      position = line.end
    }
    return nil
  }

  /// The lines of the file at `path` as recorded, to be written again unchanged.
  func recordedLines(of path: String) -> UnsafeRawBufferPointer.SubSequence? {
    lines[path].map { file.buffer[$0] }
  }

}
