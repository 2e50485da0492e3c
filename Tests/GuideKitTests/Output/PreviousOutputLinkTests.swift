import Foundation
import Testing

@testable import GuideKit

/// Unchanged files are linked from the previous output folder by folder: each file in the new
/// site is the old file (same inode), the folders are made, and a file that is gone is returned
/// (the executor renders it instead) without stopping the others.
@Suite struct PreviousOutputLinkTests {
  @Test func unchangedFilesAreLinkedFolderByFolder() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("link-many-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let old = folder.appendingPathComponent("Site")
    let paths = ["index.html", "questions/junior/a.html", "questions/junior/b.html", "questions/mid/c.html", "tags/x.html"]
    for path in paths {
      let url = old.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(path.utf8).write(to: url)
    }
    let writer = OutputWriter(output: old)
    let staging = try writer.begin()
    defer { writer.abort(staging) }
    let previous = PreviousOutput(
      folder: old, keys: Dictionary(uniqueKeysWithValues: paths.map { ($0, "k") }), staging: staging)

    let failed = previous.link(many: paths + ["questions/mid/gone.html"], jobs: 2)

    #expect(failed == ["questions/mid/gone.html"])
    #expect(staging.linkedFiles == paths.count)
    for path in paths {
      let a = try FileManager.default.attributesOfItem(atPath: old.appendingPathComponent(path).path)
      let b = try FileManager.default.attributesOfItem(atPath: staging.url.appendingPathComponent(path).path)
      #expect(a[.systemFileNumber] as? Int == b[.systemFileNumber] as? Int, "\(path) is the old file, linked")
    }
    // A file written after it was linked replaces the link, never the old file.
    staging.write("questions/junior/a.html", "new")
    #expect(try String(contentsOf: old.appendingPathComponent("questions/junior/a.html"), encoding: .utf8) == "questions/junior/a.html")
    #expect(try String(contentsOf: staging.url.appendingPathComponent("questions/junior/a.html"), encoding: .utf8) == "new")
  }
}

/// The last build's records are read before the output is locked (beside the link): when
/// another build replaced them meanwhile, the records are read again, never mixed.
@Suite struct PreviousRecordsTests {
  @Test func recordsReplacedBeforeTheLockAreReadAgain() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("records-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let cache = folder.appendingPathComponent("cache")
    let output = folder.appendingPathComponent("Site")
    func save(_ key: String) {
      BuildManifest.saveRecords(
        cache: cache, output: output,
        files: [
          BuildManifest.FileRecord(
            path: "print/junior.html", key: key, segments: [Segment(key: "part-\(key)", offset: 0, length: 3)])
        ])
    }
    save("first")
    let read = Stages.PreviousRecords(cache: cache, output: output)
    let unchanged = read.current()
    #expect(unchanged.keys.value == ["print/junior.html": "first"])
    #expect(unchanged.segments.value.part(key: "part-first") != nil)

    // Another build's records, written (by rename) after these were read.
    save("second")
    let again = read.current()
    #expect(read.keys.value == ["print/junior.html": "first"], "what was read stays as read")
    #expect(again.keys.value == ["print/junior.html": "second"])
    #expect(again.segments.value.part(key: "part-second") != nil)
    #expect(again.segments.value.part(key: "part-first") == nil)
  }
}

/// The aggregates' parts as the last build recorded them: a file's lines found by a binary search
/// on the sorted paths, a part first among the lines of the file being made again, then anywhere.
@Suite struct SegmentRecordsTests {
  static let records: [(path: String, keys: [String])] = [
    ("anki/junior.txt", ["a anki", "b anki"]),
    ("anki/mid.txt", ["c anki"]),
    ("print/junior-1.html", ["a framing", "a answer", "b framing", "b answer"]),
    ("print/junior.html", ["a framing", "a answer", "b framing", "b answer"]),
    ("print/mid-1.html", ["c framing", "c answer"]),
    ("quiz/junior/1.js", ["a", "b"]),
  ]

  func saved() throws -> SegmentRecords {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("segments-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let cache = folder.appendingPathComponent("cache")
    let output = folder.appendingPathComponent("Site")
    BuildManifest.saveRecords(
      cache: cache, output: output,
      files: Self.records.map { file in
        BuildManifest.FileRecord(
          path: file.path, key: "k",
          segments: file.keys.enumerated().map { Segment(key: $1, offset: 10 * $0, length: 10) })
      })
    return BuildManifest.loadSegments(cache: cache, output: output)
  }

  @Test func linesArePerFileAndPartsAreFoundInTheirFileFirst() throws {
    let records = try saved()
    for file in Self.records {
      let lines = try #require(records.recordedLines(of: file.path), "\(file.path)")
      let text = String(decoding: lines, as: UTF8.self)
      #expect(text.split(separator: "\n").map { $0.split(separator: "\t")[1] } == file.keys.map { Substring($0) })
      #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix(file.path + "\t") })
    }
    for missing in ["anki", "anki/junior.tx", "anki/junior.txtx", "a", "zzz", "print/junior-1.htm", ""] {
      #expect(records.recordedLines(of: missing) == nil, "\(missing)")
    }
    // In the file asked for, else the first file (in path order) that has it.
    #expect(records.part(key: "a answer", in: "print/junior.html")?.path == "print/junior.html")
    #expect(records.part(key: "a answer", in: "print/junior.html")?.segment.offset == 10)
    #expect(records.part(key: "a answer")?.path == "print/junior-1.html")
    #expect(records.part(key: "c answer", in: "print/junior.html")?.path == "print/mid-1.html")
    #expect(records.part(key: "b", in: "quiz/junior/1.js")?.segment.offset == 10)
    #expect(records.part(key: "nowhere", in: "quiz/junior/1.js") == nil)
    #expect(records.part(key: "a", in: "not/a/file.js")?.path == "quiz/junior/1.js")
    #expect(SegmentRecords().part(key: "a") == nil)
    #expect(SegmentRecords().recordedLines(of: "quiz/junior/1.js") == nil)
  }
}
