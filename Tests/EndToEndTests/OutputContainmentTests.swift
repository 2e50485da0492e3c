import Foundation
import Testing

/// `--output` never replaces a folder the generator did not write: each refusal exits 64 and
/// leaves every file where it was; a site of this generator (marker or an earlier version's
/// output) is replaced; a symbolic link to a folder receives the site; a killed build's leftovers
/// are removed by the next build.
@Suite struct OutputContainmentTests {
  /// Every file and folder under `root` with its contents (folders as "<dir>", links as their target).
  static func snapshot(_ root: URL) -> [String: String] {
    var out: [String: String] = [:]
    let fm = FileManager.default
    guard let enumerator = fm.enumerator(atPath: root.path) else { return out }
    while let item = enumerator.nextObject() as? String {
      let path = root.appendingPathComponent(item).path
      if let target = try? fm.destinationOfSymbolicLink(atPath: path) {
        out[item] = "-> " + target
        continue
      }
      var isDir: ObjCBool = false
      _ = fm.fileExists(atPath: path, isDirectory: &isDir)
      out[item] = isDir.boolValue ? "<dir>" : String(decoding: fm.contents(atPath: path) ?? Data(), as: UTF8.self)
    }
    return out
  }

  /// A working folder with the basic guide, its own templates, an unrelated folder and a file.
  static func workspace(_ label: String) throws -> (root: URL, work: URL, cache: URL) {
    let root = try E2E.temporaryDirectory(label)
    let work = root.appendingPathComponent("work")
    try E2E.copyFixture("basic", to: work.appendingPathComponent("content"))
    try FileManager.default.moveItem(
      at: work.appendingPathComponent("content/Guide"), to: work.appendingPathComponent("Guide"))
    try FileManager.default.copyItem(
      at: work.appendingPathComponent("Guide"), to: work.appendingPathComponent("content/Guide"))
    try FileManager.default.copyItem(at: E2E.templates, to: work.appendingPathComponent("Templates"))
    try FileManager.default.createDirectory(at: work.appendingPathComponent("docs"), withIntermediateDirectories: true)
    try "my notes\n".write(to: work.appendingPathComponent("docs/notes.md"), atomically: false, encoding: .utf8)
    try "a file\n".write(to: work.appendingPathComponent("notes.txt"), atomically: false, encoding: .utf8)
    return (root, work, root.appendingPathComponent("cache"))
  }

  static let refusals: [(output: String, guide: String, message: String)] = [
    (".", "Guide", "error: --output '.' contains the guide folder"),
    ("", "Guide", "error: --output is empty; refusing to replace the working folder"),
    ("Guide", "Guide", "error: --output 'Guide' is the guide folder; the build replaces its output folder entirely"),
    ("Templates", "Guide", "error: --output 'Templates' is the templates folder; the build replaces its output folder entirely"),
    ("content", "content/Guide", "error: --output 'content' contains the guide folder"),
    ("..", "Guide", "error: --output '..' contains the guide folder"),
    ("docs", "Guide", "error: --output 'docs' is a folder that holds other files and was not written by 'guide build'"),
    ("notes.txt", "Guide", "error: --output 'notes.txt' is a file, not a folder"),
    ("Guide/site", "Guide", "error: --output 'Guide/site' is inside the guide folder; the site would be read back as input"),
  ]

  @Test(arguments: 0..<refusals.count)
  func refusedOutputExits64AndChangesNothing(index: Int) throws {
    let (output, guide, message) = Self.refusals[index]
    let (root, work, cache) = try Self.workspace("refuse-\(index)")
    defer { E2E.remove(root) }
    let before = Self.snapshot(root)
    for command in ["build", "serve"] {
      let result = try E2E.run(
        [command, "--guide", guide, "--templates", "Templates", "--output", output, "--cache", cache.path], in: work)
      #expect(result.status == 64, "\(command) --output '\(output)': \(result)")
      #expect(result.stderr.hasPrefix(message), "\(command) --output '\(output)': \(result)")
      #expect(result.stderr.contains("hint: choose a new or empty folder"), "\(result)")
    }
    #expect(Self.snapshot(root) == before, "--output '\(output)' changed files")
  }

  @Test func siteIsMarkedAndRebuiltAndALinkedOutputReceivesIt() throws {
    let (root, work, _) = try Self.workspace("marker")
    defer { E2E.remove(root) }
    let cache = try E2E.warmCacheCopy(in: root)
    let arguments = { (output: String) in E2E.buildArguments(output: output, cache: cache, templates: "Templates") }

    // A fresh site carries the marker, and the next build replaces it.
    var result = try E2E.run(arguments("Site"), in: work)
    #expect(result.status == 0, "\(result)")
    let marker = work.appendingPathComponent("Site/.studyguide-site")
    #expect(FileManager.default.fileExists(atPath: marker.path))
    try Data("<p>edited</p>".utf8).write(to: work.appendingPathComponent("Site/index.html"))
    result = try E2E.run(arguments("Site"), in: work)
    #expect(result.status == 0, "\(result)")
    #expect(try !E2E.read(work.appendingPathComponent("Site/index.html")).contains("<p>edited</p>"))

    // A site of the previous version (no marker) is still accepted.
    try FileManager.default.removeItem(at: marker)
    result = try E2E.run(arguments("Site") + ["--rerun-snippets"], in: work)
    #expect(result.status == 0, "\(result)")
    #expect(FileManager.default.fileExists(atPath: marker.path))

    // An empty folder reached through a symbolic link: the site goes into the folder, the link stays.
    let target = root.appendingPathComponent("published")
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      at: work.appendingPathComponent("Linked"), withDestinationURL: target)
    for _ in 0..<2 {
      result = try E2E.run(arguments("Linked"), in: work)
      #expect(result.status == 0, "\(result)")
      #expect(
        (try? FileManager.default.destinationOfSymbolicLink(atPath: work.appendingPathComponent("Linked").path))
          == target.path)
      #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent("index.html").path))
    }
  }

  @Test func leftoversOfAKilledBuildAreRemovedByTheNextBuild() throws {
    let (root, work, _) = try Self.workspace("leftovers")
    defer { E2E.remove(root) }
    let cache = try E2E.warmCacheCopy(in: root)
    // pid 2^22+1 is above Linux's pid_max and macOS's: no process has it.
    let stale = [".Site.tmp-4194305-deadbeef", ".Site.old-4194305"]
    for name in stale {
      try FileManager.default.createDirectory(
        at: work.appendingPathComponent(name + "/questions"), withIntermediateDirectories: true)
    }
    try Data().write(to: work.appendingPathComponent(".Site.lock"))
    let result = try E2E.run(E2E.buildArguments(output: "Site", cache: cache, templates: "Templates"), in: work)
    #expect(result.status == 0, "\(result)")
    let names = try FileManager.default.contentsOfDirectory(atPath: work.path)
    #expect(names.filter { $0.hasPrefix(".Site") }.isEmpty, "left: \(names)")
  }
}
