import Foundation
import Testing

@testable import GuideKit

/// The input index reads a file again only when its identity changed or when the last scan was
/// too close to its last change to vouch for it.
@Suite struct InputIndexTests {
  func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("input-index-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url.appendingPathComponent("sub"), withIntermediateDirectories: true)
    try Data("alpha".utf8).write(to: url.appendingPathComponent("a.md"))
    try Data("beta".utf8).write(to: url.appendingPathComponent("sub/b.md"))
    try Data("hidden".utf8).write(to: url.appendingPathComponent(".hidden"))
    return url
  }

  @Test func listsFilesSortedWithoutHiddenOnes() throws {
    let root = try folder()
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(FileTree.list(root).map(\.path) == ["a.md", "sub/b.md"])
  }

  @Test func trustsUnchangedFilesOnlyWhenTheScanWasWellAfterTheirLastChange() throws {
    let root = try folder()
    defer { try? FileManager.default.removeItem(at: root) }
    let (first, readFirst) = InputIndex.scan([("g/", root)], previous: nil, jobs: 2)
    #expect(readFirst == 2)
    #expect(first.entries["g/a.md"]?.hash == Hashing.sha256Hex("alpha"))

    // Just after the files were written: too close to vouch for them, both are read again.
    let (_, racy) = InputIndex.scan([("g/", root)], previous: first, jobs: 2)
    #expect(racy == 2)

    // A scan recorded long after the last change vouches for them: nothing is read.
    var settled = first
    settled.scannedAt += 10 * InputIndex.racyMargin
    let (again, readAgain) = InputIndex.scan([("g/", root)], previous: settled, jobs: 2)
    #expect(readAgain == 0)
    #expect(again.fingerprint(runSnippets: true) == first.fingerprint(runSnippets: true))

    // Same size, new content: the change time moves, so the file is read and the hash changes.
    try Data("ALPHA".utf8).write(to: root.appendingPathComponent("a.md"))
    let (changed, readChanged) = InputIndex.scan([("g/", root)], previous: settled, jobs: 2)
    #expect(readChanged == 1)
    #expect(changed.entries["g/a.md"]?.hash == Hashing.sha256Hex("ALPHA"))
    #expect(changed.fingerprint(runSnippets: true) != first.fingerprint(runSnippets: true))
  }

  @Test func survivesASaveAndLoad() throws {
    let root = try folder()
    let cache = root.appendingPathComponent("cache")
    defer { try? FileManager.default.removeItem(at: root) }
    let (index, _) = InputIndex.scan([("g/", root.appendingPathComponent("sub"))], previous: nil, jobs: 1)
    index.save(cache: cache, output: root.appendingPathComponent("Site"))
    let loaded = try #require(InputIndex.load(cache: cache, output: root.appendingPathComponent("Site")))
    #expect(loaded.entries == index.entries)
    #expect(loaded.scannedAt == index.scannedAt)
  }
}
