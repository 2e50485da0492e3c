import Foundation
import Testing

@testable import GuideKit

/// The spare site: the folder a swap leaves the old site in, staged into by the next build. Only
/// its files that *are* the current site's files (the same inode at the same path) are kept;
/// anything else (a file changed since, a file the current site does not have, a link, a file
/// edited by hand) is removed, and so are the folders that leaves empty. Writing a kept file
/// replaces it, never the current site's file.
@Suite struct SpareSiteTests {
  struct Folders {
    let root: URL
    var site: URL { root.appendingPathComponent("Site") }
    var spare: URL { root.appendingPathComponent("cache/spare-site") }

    init() throws {
      root = FileManager.default.temporaryDirectory.appendingPathComponent("spare-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: root.appendingPathComponent("cache"), withIntermediateDirectories: true)
    }

    func write(_ folder: URL, _ path: String, _ text: String) throws {
      let url = folder.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
    }

    func link(_ path: String) throws {
      let target = spare.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
      try FileManager.default.linkItem(at: site.appendingPathComponent(path), to: target)
    }

    func files(_ folder: URL) -> [String] {
      var out: [String] = []
      FileTree.walkEntries(folder.path) { path, _, _ in out.append(String(decoding: path, as: UTF8.self)) }
      return out.sorted()
    }

    func folders(_ folder: URL) -> [String] {
      let enumerator = FileManager.default.enumerator(atPath: folder.path)
      var out: [String] = []
      while let path = enumerator?.nextObject() as? String {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder),
          isFolder.boolValue
        {
          out.append(path)
        }
      }
      return out.sorted()
    }
  }

  @Test func keepsOnlyTheFilesItSharesWithTheCurrentSite() throws {
    let f = try Folders()
    defer { try? FileManager.default.removeItem(at: f.root) }
    for path in ["index.html", "questions/junior/a.html", "questions/junior/b.html", "tags/x.html", "print/all.html"] {
      try f.write(f.site, path, "current \(path)")
    }
    // Shared with the current site: kept.
    try f.link("index.html")
    try f.link("questions/junior/a.html")
    // Changed by the last build (the spare has the older file): removed.
    try f.write(f.spare, "questions/junior/b.html", "older b")
    // Gone from the current site: removed, with the folders that leaves empty.
    try f.write(f.spare, "questions/senior/gone.html", "gone")
    try f.write(f.spare, "deep/er/still.html", "gone")
    // Edited by hand in the spare (a new file at a shared path), a link, a hidden file: removed.
    try f.write(f.spare, "tags/x.html", "by hand")
    try FileManager.default.createDirectory(at: f.spare.appendingPathComponent("print"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      at: f.spare.appendingPathComponent("print/all.html"),
      withDestinationURL: f.site.appendingPathComponent("print/all.html"))
    try f.write(f.spare, ".studyguide-site", "marker")
    // Empty folders (a clean build never leaves one): removed.
    try FileManager.default.createDirectory(at: f.spare.appendingPathComponent("empty/emptier"), withIntermediateDirectories: true)

    let writer = OutputWriter(output: f.site)
    let current = FileTree.list(f.site)
    let staging = try writer.beginSpare(f.spare, matching: current)

    #expect(f.files(f.spare) == ["index.html", "questions/junior/a.html"])
    #expect(f.folders(f.spare) == ["questions", "questions/junior"])
    #expect(staging.linkedFiles == 2)
    #expect(staging.isSpare)

    // The executor links the unchanged files: the kept ones are left alone, the others linked.
    let previous = PreviousOutput(
      folder: f.site, keys: Dictionary(uniqueKeysWithValues: current.map { ($0.path, "k") }), staging: staging)
    #expect(previous.link(many: ["index.html", "questions/junior/b.html", "tags/x.html"], jobs: 2).isEmpty)
    for path in ["index.html", "questions/junior/b.html", "tags/x.html"] {
      let a = try FileManager.default.attributesOfItem(atPath: f.site.appendingPathComponent(path).path)
      let b = try FileManager.default.attributesOfItem(atPath: f.spare.appendingPathComponent(path).path)
      #expect(a[.systemFileNumber] as? Int == b[.systemFileNumber] as? Int, "\(path) is the current site's file")
    }
    // Writing a kept file replaces it in the spare only.
    staging.write("questions/junior/a.html", "new a")
    #expect(
      try String(contentsOf: f.site.appendingPathComponent("questions/junior/a.html"), encoding: .utf8) == "current questions/junior/a.html"
    )
    #expect(try String(contentsOf: f.spare.appendingPathComponent("questions/junior/a.html"), encoding: .utf8) == "new a")
    // What this build does not make goes (``Staging/removeLinked(keep:)``), and its empty folders.
    staging.removeLinked { $0 != "tags/x.html" }
    #expect(f.files(f.spare) == ["index.html", "questions/junior/a.html", "questions/junior/b.html"])
    #expect(!f.folders(f.spare).contains("tags"))
  }

  @Test func withoutAReusableSiteTheSpareIsEmptied() throws {
    let f = try Folders()
    defer { try? FileManager.default.removeItem(at: f.root) }
    try f.write(f.site, "index.html", "current")
    try f.link("index.html")
    try f.write(f.spare, "old/page.html", "old")

    let staging = try OutputWriter(output: f.site).beginSpare(f.spare, matching: nil)

    #expect(f.files(f.spare).isEmpty)
    #expect(f.folders(f.spare).isEmpty)
    #expect(staging.linkedFiles == 0)
  }

  /// The swap exchanges the spare and the site: the old site is then where the spare was, kept
  /// when asked (the next build's spare); otherwise removed, and the new site's files linked in
  /// its place, so that the next build finds them there too.
  @Test func theSwapLeavesTheOldSiteAsTheNextSpare() throws {
    let f = try Folders()
    defer { try? FileManager.default.removeItem(at: f.root) }
    try f.write(f.site, "index.html", "old site")
    try f.write(f.site, OutputGuard.markerName, OutputGuard.markerText)
    let writer = OutputWriter(output: f.site)
    guard writer.spareFolder(in: f.root.appendingPathComponent("cache")) != nil else { return }  // not on this system

    let staging = try writer.beginSpare(f.spare, matching: FileTree.list(f.site))
    staging.write("index.html", "new site")
    try writer.commit(staging, copies: [], keepingOldSite: true).wait()

    #expect(try String(contentsOf: f.site.appendingPathComponent("index.html"), encoding: .utf8) == "new site")
    #expect(try String(contentsOf: f.spare.appendingPathComponent("index.html"), encoding: .utf8) == "old site")

    let next = try writer.beginSpare(f.spare, matching: FileTree.list(f.site))
    next.write("index.html", "newer site")
    next.write("questions/a.html", "a page")
    try writer.commit(next, copies: [], keepingOldSite: false).wait()
    #expect(f.files(f.spare) == [OutputGuard.markerName, "index.html", "questions/a.html"])
    for path in f.files(f.site) {
      let a = try FileManager.default.attributesOfItem(atPath: f.site.appendingPathComponent(path).path)
      let b = try FileManager.default.attributesOfItem(atPath: f.spare.appendingPathComponent(path).path)
      #expect(a[.systemFileNumber] as? Int == b[.systemFileNumber] as? Int, "\(path) is the site's file")
    }
    #expect(try String(contentsOf: f.spare.appendingPathComponent("index.html"), encoding: .utf8) == "newer site")
  }
}

/// The spare site's check reads inode numbers from the folders' entries (``FileTree/walkEntries``):
/// they are the files' own, links and hidden names are seen, folders are descended into.
@Suite struct FolderEntryWalkTests {
  @Test func entriesGiveEachFilesInodeWithoutAskingForItsStatus() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("walk-entries-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root.appendingPathComponent("a/b"), withIntermediateDirectories: true)
    for path in ["top.html", "a/one.js", "a/b/.hidden", "a/b/two.css"] {
      try Data(path.utf8).write(to: root.appendingPathComponent(path))
    }
    try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("a/link").path, withDestinationPath: "one.js")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
    var seen: [String: (isFile: Bool, inode: UInt64)] = [:]
    FileTree.walkEntries(root.path) { path, isFile, inode in seen[String(decoding: path, as: UTF8.self)] = (isFile, inode) }
    #expect(Set(seen.keys) == ["top.html", "a/one.js", "a/b/.hidden", "a/b/two.css", "a/link"])
    for (path, entry) in seen {
      var info = stat()
      #expect(lstat(root.appendingPathComponent(path).path, &info) == 0)
      #expect(entry.inode == UInt64(info.st_ino), "\(path)")
      #expect(entry.isFile == (path != "a/link"), "\(path)")
    }
  }
}
