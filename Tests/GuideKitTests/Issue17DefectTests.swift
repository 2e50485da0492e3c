import Foundation
import Markdown
import Testing

@testable import GuideKit

/// Defects of issue 17 that live in GuideKit: each test fails on the code before its fix.
@Suite struct Issue17DefectTests {
  /// Defect 5: Yams counts columns in Unicode scalars, diagnostics in UTF-8 bytes.
  @Test func yamlColumnsAfterNonASCIITextAreByteColumns() throws {
    let (_, diagnostics) = FrontMatter.parse("title: Ça é: x\n", path: "p.md", lineOffset: 1)
    // "title: Ça é" is 11 scalars and 13 bytes: the unexpected ':' is byte column 14.
    #expect(diagnostics.map(\.location) == [SourceLocation(line: 2, column: 14)], "\(diagnostics)")
    let (front, _) = FrontMatter.parse("{title: \"Ça é\", level: mid}\n", path: "p.md", lineOffset: 1)
    let level = try #require(front?.fields["level"])
    #expect(level.location == SourceLocation(line: 2, column: 26))
    #expect(level.keyLocation == SourceLocation(line: 2, column: 19))
  }

  /// Defect 6: every reserved id is one the templates use, and every id a template writes is reserved.
  @Test func reservedIdsAreExactlyTheTemplatesIds() throws {
    let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Templates")
    var ids: Set<String> = []
    let partials = templates.appendingPathComponent("partials")
    let files =
      try FileManager.default.contentsOfDirectory(atPath: templates.path).map { templates.appendingPathComponent($0) }
      + FileManager.default.contentsOfDirectory(atPath: partials.path).map { partials.appendingPathComponent($0) }
    for file in files where file.pathExtension == "mustache" {
      let text = try String(contentsOf: file, encoding: .utf8)
      let regex = try NSRegularExpression(pattern: #"\bid="([A-Za-z0-9_-]+)""#)
      for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
        ids.insert(String(text[Range(match.range(at: 1), in: text)!]))
      }
    }
    #expect(!ids.isEmpty)
    #expect(ids.subtracting(Slug.reserved).sorted() == [], "ids in templates that headings could take")
    #expect(Slug.reserved.subtracting(ids).sorted() == [], "reserved ids no template uses")
  }

  /// Defect 8: without /proc/self/exe the generator is still identified (by the executable
  /// found from Bundle/argv), and a new binary changes the identity.
  @Test func generatorIdentityDoesNotNeedProc() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("identity-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let binary = dir.appendingPathComponent("guide")
    try Data("old".utf8).write(to: binary)
    let old = BuildManifest.generatorIdentity(candidates: ["/no/such/proc/self/exe", binary.path])
    #expect(old.hasPrefix("exe "))
    try FileManager.default.removeItem(at: binary)
    try Data("a new binary".utf8).write(to: binary)
    #expect(BuildManifest.generatorIdentity(candidates: ["/no/such/proc/self/exe", binary.path]) != old)
    // Nothing readable: unique per call, so nothing is ever reused.
    let a = BuildManifest.generatorIdentity(candidates: ["/no/such/file"])
    #expect(a != BuildManifest.generatorIdentity(candidates: ["/no/such/file"]))
  }

  /// Defect 8: Package.swift's macOS platform covers String(validating:as:) (macOS 15).
  @Test func packageDeclaresMacOS15() throws {
    let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Package.swift")
    let text = try String(contentsOf: package, encoding: .utf8)
    #expect(text.contains(".macOS(.v15)"))
  }

  /// Defect 10: every `.PHONY` name of the Makefile is a real target, and CI runs `make lint`.
  @Test func makefilePhonyTargetsExistAndCIRunsLint() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let makefile = try String(contentsOf: root.appendingPathComponent("Makefile"), encoding: .utf8)
    let lines = makefile.split(separator: "\n").map(String.init)
    let phony = try #require(lines.first { $0.hasPrefix(".PHONY:") }).dropFirst(".PHONY:".count).split(separator: " ").map(String.init)
    let targets = Set(
      lines.compactMap { line -> String? in
        guard let colon = line.firstIndex(of: ":"), !line.hasPrefix("\t"), !line.hasPrefix("."), !line.contains("=") else { return nil }
        return String(line[..<colon])
      })
    #expect(phony.count >= 10)
    #expect(phony.filter { !targets.contains($0) } == [], "phony names without a rule")
    let ci = try String(contentsOf: root.appendingPathComponent(".ci/run"), encoding: .utf8)
    #expect(ci.split(separator: "\n").contains("make lint"))
  }
}
