import Foundation
import Testing

/// `guide new snippet` and `guide snippet accept` on a copy of the basic fixture (warm cache: no compile).
@Suite struct SnippetCommandTests {
  @Test func acceptWritesTheOutputAndKeepsThePatternsThatStillMatch() throws {
    let root = try E2E.temporaryDirectory("accept")
    defer { E2E.remove(root) }
    let work = root.appendingPathComponent("basic")
    try E2E.copyFixture("basic", to: work)
    let cache = try E2E.warmCacheCopy(in: root)
    let expected = work.appendingPathComponent("Guide/snippets/greet.expected")
    let original = try E2E.read(expected)
    // A stale line: the real output says "Hello, Grace!".
    try original.replacingOccurrences(of: "Hello, Grace!", with: "Hello, Linus!").write(to: expected, atomically: true, encoding: .utf8)
    let failed = try E2E.run(E2E.buildArguments(cache: cache), in: work)
    #expect(failed.status == 1, "\(failed)")
    #expect(failed.stderr.contains("run 'guide snippet accept greet'"), "\(failed)")

    let accepted = try E2E.run(["snippet", "accept", "greet", "--guide", "Guide", "--cache", cache.path], in: work)
    #expect(accepted.status == 0, "\(accepted)")
    #expect(accepted.stdout == "wrote Guide/snippets/greet.expected: 4 line(s), 1 changed, 2 pattern line(s) kept\n", "\(accepted)")
    #expect(try E2E.read(expected) == original, "the {{…}} lines are kept, the stale line is replaced")

    let unknown = try E2E.run(["snippet", "accept", "greeet", "--guide", "Guide", "--cache", cache.path], in: work)
    #expect(unknown.status == 64, "\(unknown)")
    #expect(unknown.stderr.contains("did you mean 'greet'?"), "\(unknown)")
  }

  @Test func newSnippetWritesASkeletonThatAcceptCompletes() throws {
    let root = try E2E.temporaryDirectory("new-snippet")
    defer { E2E.remove(root) }
    let work = root.appendingPathComponent("basic")
    try E2E.copyFixture("basic", to: work)
    let created = try E2E.run(["new", "snippet", "soft-nms", "--guide", "Guide", "--title", "Soft-NMS"], in: work)
    #expect(created.status == 0, "\(created)")
    #expect(created.stdout == "Guide/snippets/soft-nms.swift\nGuide/snippets/soft-nms.expected\n", "\(created)")
    let again = try E2E.run(["new", "snippet", "soft-nms", "--guide", "Guide"], in: work)
    #expect(again.status == 1, "\(again)")
    #expect(again.stderr.contains("already exists"), "\(again)")
  }
}
