import Foundation
import Testing

/// The search index of a guide large enough to be split into shards: a build keeps (links) every
/// shard the previous output already has, so a body edit of one page rewrites the manifest and
/// the few shards of the words it changed, and the result equals a clean build.
@Suite struct SearchShardBuildTests {
  /// Writes `count` generated questions into the fixture guide: words drawn from a fixed list and
  /// made-up ones (a seeded generator, so every run is the same), about 2 KB each.
  static func addQuestions(_ count: Int, to guide: URL) throws {
    let words =
      "image pixel kernel stride padding channel feature layer network gradient loss batch epoch label "
      + "dataset anchor box threshold score recall precision detector backbone encoder decoder mask camera "
      + "frame latency memory model weight bias activation dropout optimizer schedule crop flip scale"
    let common = words.split(separator: " ").map(String.init)
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(n))
    }
    func word() -> String {
      if next(4) > 0 { return common[next(common.count)] }
      let letters = Array("abcdefghiklmnoprstuvz")
      return String((0..<(4 + next(6))).map { _ in letters[next(letters.count)] })
    }
    func paragraph(_ words: Int) -> String {
      ((0..<words).map { _ in word() }.joined(separator: " ")) + "."
    }
    let levels = ["junior", "mid", "senior"]
    for level in levels {
      try FileManager.default.createDirectory(
        at: guide.appendingPathComponent("questions/\(level)"), withIntermediateDirectories: true)
    }
    for i in 0..<count {
      let level = levels[i % 3]
      var text = "---\ntitle: Generated question \(i) about \(word())\nlevel: \(level)\ntags: [detection]\n"
      text += "summary: A generated question about \(word()) and \(word()).\norder: \(100 + i)\n---\n\n"
      for heading in ["60-second answer", "Deeper explanation", "Key points", "Follow-up questions", "Pitfalls and red flags"] {
        text += "## \(heading)\n\n\(paragraph(60))\n\n"
      }
      let url = guide.appendingPathComponent("questions/\(level)/gen-\(i).md")
      try Data(text.utf8).write(to: url)
    }
  }

  /// Inode of every file under `assets/search` (and of the manifest), by path.
  static func searchInodes(_ site: URL) throws -> [String: UInt64] {
    var out: [String: UInt64] = [:]
    for path in E2E.files(in: site).keys where path.hasPrefix("assets/search") {
      let attributes = try FileManager.default.attributesOfItem(atPath: site.appendingPathComponent(path).path)
      out[path] = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value
    }
    return out
  }

  @Test func aBodyEditRewritesTheManifestAndTheShardsOfItsWordsOnly() throws {
    let root = try E2E.temporaryDirectory("search-shards")
    defer { E2E.remove(root) }
    let cache = try E2E.warmCacheCopy(in: root)
    let guideRoot = root.appendingPathComponent("basic")
    try E2E.copyFixture("basic", to: guideRoot)
    try Self.addQuestions(450, to: guideRoot.appendingPathComponent("Guide"))
    let site = guideRoot.appendingPathComponent("Site")

    let first = try E2E.run(E2E.buildArguments(cache: cache) + ["--verbose"], in: guideRoot)
    #expect(!first.stdout.contains("updated from the last build's"), "a first build makes the index from every page")
    #expect(first.status == 0, "\(first)")
    let before = try Self.searchInodes(site)
    let shards = before.keys.filter { $0.hasPrefix("assets/search/") }
    try #require(shards.count >= 10, "the index is split into shards: \(before.keys.sorted())")

    let page = guideRoot.appendingPathComponent("Guide/questions/mid/gen-4.md")
    let text = try E2E.read(page)
    try Data((text + "\nOne more sentence about a zyzzogeton.\n").utf8).write(to: page)
    let second = try E2E.run(E2E.buildArguments(cache: cache) + ["--verbose"], in: guideRoot)
    #expect(second.status == 0, "\(second)")
    // Updated, not made again: only the shards of the changed words and page are made.
    let updated = try #require(
      second.stdout.split(separator: "\n").first { $0.hasPrefix("search index: updated from the last build's, ") },
      "\(second.stdout)")
    let made = try #require(Int(updated.split(separator: " ")[7]))
    #expect((1...5).contains(made), "\(updated)")
    let after = try Self.searchInodes(site)

    let rewritten = after.filter { before[$0.key] != $0.value }.keys.sorted()
    let newShards = rewritten.filter { $0.hasPrefix("assets/search/") }
    #expect(rewritten.contains("assets/search-index.js"), "the manifest holds the lengths")
    // The page's display shard and the postings shards of "one", "sentenc" and "zyzzogeton".
    #expect(newShards.contains { $0.hasPrefix("assets/search/d-") }, "\(rewritten)")
    #expect(newShards.contains { $0.hasPrefix("assets/search/p-") }, "\(rewritten)")
    #expect(newShards.count <= 5, "only the shards of the changed words: \(newShards)")
    #expect(after.count - newShards.count - 1 >= shards.count - 5, "the other shards are kept")

    // And the result is what a clean build gives.
    let clean = try E2E.run(E2E.buildArguments(output: "Clean", cache: cache), in: guideRoot)
    #expect(clean.status == 0, "\(clean)")
    let expected = E2E.files(in: guideRoot.appendingPathComponent("Clean")).filter { $0.key.hasPrefix("assets/search") }
    let incremental = E2E.files(in: site).filter { $0.key.hasPrefix("assets/search") }
    #expect(Set(expected.keys) == Set(incremental.keys))
    for (path, data) in expected { #expect(incremental[path] == data, "\(path) differs from a clean build") }
  }
}
