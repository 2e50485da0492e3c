import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The hostile cases of `Tests/Fixtures/bad/` (issue 20) whose input cannot be committed: they
/// are completed here at run time.
extension BadFixtureTests {
  static func prepareHostile(_ name: String, in work: URL) throws -> (templates: String?, output: String)? {
    let fm = FileManager.default
    let guide = work.appendingPathComponent("Guide")
    func copyTemplates() throws -> URL {
      let copy = work.appendingPathComponent("Templates")
      try fm.copyItem(at: E2E.templates, to: copy)
      return copy
    }
    switch name {
    case "recursive-partial":
      // head → foot → head: swift-mustache would recurse until the stack overflows.
      let templates = try copyTemplates()
      let foot = templates.appendingPathComponent("partials/foot.mustache")
      try ("{{> partials/head}}\n" + E2E.read(foot)).write(to: foot, atomically: false, encoding: .utf8)
      let head = templates.appendingPathComponent("partials/head.mustache")
      try (E2E.read(head) + "{{#never}}{{> partials/foot}}{{/never}}\n").write(to: head, atomically: false, encoding: .utf8)
      return ("Templates", "Site")
    case "unknown-partial":
      let templates = try copyTemplates()
      let page = templates.appendingPathComponent("page.mustache")
      try E2E.read(page).replacingOccurrences(of: "{{> partials/head}}", with: "{{> partials/haed}}")
        .write(to: page, atomically: false, encoding: .utf8)
      return ("Templates", "Site")
    case "huge-files":
      // Sparse files: 1.5 GB each on paper, nothing on disk. Neither may be read.
      for file in ["huge.md", "huge.png"] {
        let url = guide.appendingPathComponent(file)
        #expect(fm.createFile(atPath: url.path, contents: Data("---\n".utf8)))
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 1_536 * 1_048_576)
        try handle.close()
      }
    case "template-asset-symlink":
      let templates = try copyTemplates()
      try fm.createSymbolicLink(
        atPath: templates.appendingPathComponent("assets/passwd.txt").path, withDestinationPath: "/etc/passwd")
      return ("Templates", "Site")
    case "fifo-image":
      #expect(mkfifo(guide.appendingPathComponent("pipe.png").path, 0o644) == 0)
    case "utf16-guide-yml":
      let text = try E2E.read(guide.appendingPathComponent("guide.yml"))
      var bytes: [UInt8] = [0xFF, 0xFE]
      for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
      try Data(bytes).write(to: guide.appendingPathComponent("guide.yml"))
    case "symlink-loop":
      try fm.createSymbolicLink(atPath: guide.appendingPathComponent("a.md").path, withDestinationPath: "b.md")
      try fm.createSymbolicLink(atPath: guide.appendingPathComponent("b.md").path, withDestinationPath: "a.md")
    case "ok-case-collision":
      try "---\ntitle: NMS two\n---\n\nText.\n".write(to: guide.appendingPathComponent("NMS.md"), atomically: false, encoding: .utf8)
    default:
      return nil
    }
    return (nil, "Site")
  }
}
