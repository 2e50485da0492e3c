import Foundation
import Testing

@testable import GuideKit

/// The file-system work of every build (issue 19): listing the inputs and the site, the
/// no-change check from the listing alone, the input index file, removing the old site.
@Suite struct FileSystemPathTests {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  func folder(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url.appendingPathComponent("sub/deeper"), withIntermediateDirectories: true)
    try Data("alpha".utf8).write(to: url.appendingPathComponent("a.md"))
    try Data("beta".utf8).write(to: url.appendingPathComponent("sub/b.md"))
    try Data("gamma".utf8).write(to: url.appendingPathComponent("sub/deeper/c.md"))
    try Data("hidden".utf8).write(to: url.appendingPathComponent(".hidden"))
    return url
  }

  @Test func theListingDigestChangesWithAnyFileAndOnlyThen() throws {
    let root = try folder("listing")
    defer { try? FileManager.default.removeItem(at: root) }
    let first = FileTree.listing(root.path, label: "g/", entries: true)
    #expect(first.entries.map(\.path).sorted() == ["g/a.md", "g/sub/b.md", "g/sub/deeper/c.md"])
    #expect(first.latestChange == first.entries.map(\.identity.changed).max())
    #expect(FileTree.listing(root.path, label: "g/").digest == first.digest, "the same tree, the same digest")
    #expect(FileTree.listing(root.path, label: "t/").digest != first.digest, "the label counts")

    try Data("hidden, changed".utf8).write(to: root.appendingPathComponent(".hidden"))
    #expect(FileTree.listing(root.path, label: "g/").digest == first.digest, "hidden files are not inputs")
    try Data("BETA".utf8).write(to: root.appendingPathComponent("sub/b.md"))
    let changed = FileTree.listing(root.path, label: "g/")
    #expect(changed.digest != first.digest, "same size, new content: the change time moved")
    try Data("new".utf8).write(to: root.appendingPathComponent("sub/deeper/d.md"))
    #expect(FileTree.listing(root.path, label: "g/").digest != changed.digest, "an added file")
    try FileManager.default.removeItem(at: root.appendingPathComponent("sub/deeper/d.md"))
    #expect(FileTree.listing(root.path, label: "g/").digest == changed.digest, "and removed again")
  }

  @Test func removingATreeNeverFollowsALink() throws {
    let root = try folder("remove")
    let outside = try folder("remove-outside")
    defer {
      try? FileManager.default.removeItem(at: root)
      try? FileManager.default.removeItem(at: outside)
    }
    try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("sub/link"), withDestinationURL: outside)
    try FileManager.default.createSymbolicLink(
      at: root.appendingPathComponent("file-link"), withDestinationURL: outside.appendingPathComponent("a.md"))
    FileTree.remove(root.path, jobs: 2)
    #expect(!FileManager.default.fileExists(atPath: root.path))
    #expect(FileTree.list(outside).map(\.path) == ["a.md", "sub/b.md", "sub/deeper/c.md"], "what the links point to stays")
    FileTree.remove(root.path)  // nothing there: nothing happens
  }

  @Test func theInputIndexFileReadsBackAndRefusesDamage() throws {
    let root = try folder("index")
    defer { try? FileManager.default.removeItem(at: root) }
    var (index, _) = InputIndex.scan([("g/", root)], previous: nil, jobs: 2)
    index.entries["g/old.md"] = .init(identity: FileIdentity(size: 3, modified: -5, changed: 7, inode: 9), hash: "large 3 -5 7 9")
    index.save(cache: root, output: root.appendingPathComponent("Site"))
    let loaded = try #require(InputIndex.load(cache: root, output: root.appendingPathComponent("Site")))
    #expect(loaded.entries == index.entries)
    #expect(loaded.scannedAt == index.scannedAt)
    #expect(InputIndex.parse(Array("scanned\t12\ng/a.md\t1 2 3\tabc\n".utf8)) == nil, "an identity with three numbers")
    #expect(InputIndex.parse(Array("not an index".utf8)) == nil)
    #expect(FileIdentity(bytes: ArraySlice("1 -2 3 4".utf8)) == FileIdentity(size: 1, modified: -2, changed: 3, inode: 4))
    #expect(FileIdentity(bytes: ArraySlice("1 2 3 99999999999999999999".utf8)) == nil)
  }

  /// The no-change build compares the listing of the inputs with the record of the last scan and
  /// the listing of the site with the manifest: the input index is not read, and only the inputs
  /// changed just before the recorded scan are read (and compared with their recorded hashes).
  @Test func aNoChangeBuildIsRecognisedFromTheListingsAlone() throws {
    let work = try folder("no-change")
    defer { try? FileManager.default.removeItem(at: work) }
    let guide = work.appendingPathComponent("Guide")
    try FileManager.default.copyItem(at: Self.packageRoot.appendingPathComponent("Tests/Fixtures/basic/Guide"), to: guide)
    let cache = work.appendingPathComponent("cache")
    let output = work.appendingPathComponent("Site")
    let options = BuildOptions(
      guideDirectory: guide, templatesDirectory: Self.packageRoot.appendingPathComponent("Templates"), outputDirectory: output,
      cacheDirectory: cache, jobs: 2, runSnippets: false)
    let first = GuideBuild.run(options)
    #expect(!first.unchanged && !first.diagnostics.hasErrors, "\(first.diagnostics)")

    // The files were written just now: the record holds their hashes, and the check reads them
    // again and compares, still without the input index.
    let recordURL = InputIndex.Record.url(cache: cache, output: output)
    var record = try #require(InputIndex.Record.load(cache: cache, output: output))
    #expect(!record.unsettled.isEmpty, "files changed just before the scan are listed with their hashes")
    try FileManager.default.removeItem(at: InputIndex.url(cache: cache, output: output))
    #expect(GuideBuild.run(options).unchanged, "recognised without the input index")
    #expect(!FileManager.default.fileExists(atPath: InputIndex.url(cache: cache, output: output).path))

    // Long after: the record vouches for every file, none is read.
    record = try #require(InputIndex.Record.load(cache: cache, output: output))
    record.scannedAt += 100 * InputIndex.racyMargin
    record.unsettled = [:]
    record.save(cache: cache, output: output)
    #expect(GuideBuild.run(options).unchanged)
    // A recorded hash that does not match what is read: not vouched; the index is made again.
    record.scannedAt -= 200 * InputIndex.racyMargin
    record.unsettled = Dictionary(uniqueKeysWithValues: FileTree.list(guide).map { ("g/" + $0.path, "0") })
    record.save(cache: cache, output: output)
    #expect(GuideBuild.run(options).unchanged, "the slow path reads every input and finds nothing changed")
    #expect(FileManager.default.fileExists(atPath: InputIndex.url(cache: cache, output: output).path))

    // Any change to an input is seen, index or not; so is a changed file of the site.
    let question = try #require(FileTree.list(guide).first { $0.path.hasPrefix("questions/") }?.path)
    let url = guide.appendingPathComponent(question)
    try Data((try String(contentsOf: url, encoding: .utf8) + "\nOne more sentence.\n").utf8).write(to: url)
    let edited = GuideBuild.run(options)
    #expect(!edited.unchanged && !edited.diagnostics.hasErrors, "\(edited.diagnostics)")
    #expect(GuideBuild.run(options).unchanged, "the edited file is read again and matches its recorded hash")
    try Data("<p>by hand</p>".utf8).write(to: output.appendingPathComponent("index.html"))
    #expect(!GuideBuild.run(options).unchanged, "a hand-edited site is rebuilt")
    #expect(FileManager.default.fileExists(atPath: recordURL.path))
  }

  /// The search sections are extracted in runs of pages on several threads: any split gives the
  /// sections of one pass, in order.
  @Test func searchSectionsOfRunsOfPagesJoinToThoseOfOnePass() throws {
    let (site, _, _) = try BuildPlanTests.basicPlan()
    let all = SearchSections.sections(of: site, pages: 0..<site.pages.count)
    for cut in [0, 1, site.pages.count / 2, site.pages.count] {
      let joined = SearchSections.sections(of: site, pages: 0..<cut) + SearchSections.sections(of: site, pages: cut..<site.pages.count)
      #expect(joined == all, "cut at \(cut)")
    }
    #expect(SearchSections.sections(of: site, jobs: 3).prefix(all.count).elementsEqual(all))
  }
}
