import Foundation

@testable import GuideKit

/// The fixture shared with the JavaScript tests: Tests/JavaScript/fixtures/search-fixture.json
/// (levels, tags, synonyms and sections) and the index files built from it.
enum SearchFixtures {
  /// Tests/JavaScript/fixtures, found from this file's path (Tests/GuideKitTests/Search/).
  static let directory: URL = {
    var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while dir.path != "/" {
      let candidate = dir.appendingPathComponent("JavaScript/fixtures")
      if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("search-fixture.json").path) {
        return candidate
      }
      dir = dir.deletingLastPathComponent()
    }
    fatalError("Tests/JavaScript/fixtures/search-fixture.json not found above \(#filePath)")
  }()

  struct Input: Decodable {
    struct Section: Decodable {
      var url: String
      var pageTitle: String
      var heading: String?
      var kind: String
      var levelID: String?
      var tagIDs: [String]
      var breadcrumb: String
      var text: String
    }
    var levels: [[String]]
    var tags: [[String]]
    var synonyms: [[String]]
    var sections: [Section]
  }

  static let input: Input = {
    let data = try! Data(contentsOf: directory.appendingPathComponent("search-fixture.json"))
    return try! JSONDecoder().decode(Input.self, from: data)
  }()

  static var sections: [SearchSection] {
    input.sections.map {
      SearchSection(
        url: $0.url, pageTitle: $0.pageTitle, heading: $0.heading, kind: $0.kind,
        levelID: $0.levelID, tagIDs: $0.tagIDs, breadcrumb: $0.breadcrumb, text: $0.text)
    }
  }

  static func builder(sharded: Bool = false) -> SearchIndexBuilder {
    var b = SearchIndexBuilder(
      levels: input.levels.map { ($0[0], $0[1]) }, tags: input.tags.map { ($0[0], $0[1]) },
      synonyms: input.synonyms)
    if sharded {
      b.singleFileLimit = 1_000
      b.prefixesPerShard = 8
      b.bigTermBytes = 24
      b.pagesPerDisplayShard = 3
    }
    return b
  }

  /// Where the committed index files built from the fixture live.
  static func outputDirectory(sharded: Bool) -> URL {
    directory.appendingPathComponent(sharded ? "search-index-sharded" : "search-index")
  }
}
