import Testing

@testable import GuideKit

/// The render keys' structure (``RenderKeys``): what every page can show of the others.
@Suite struct RenderKeysTests {
  static func keys(probe body: String, digests: Bool = false) -> RenderKeys {
    var (site, _, _) = InMemoryGuide.link(probe: body)
    if digests {
      for index in site.pages.indices { site.pages[index].structureDigest = RenderKeys.pageDigest(site.pages[index]) }
    }
    var inputs = InputIndex()
    for page in site.pages {
      inputs.entries["g/" + page.sourcePath] = InputIndex.Entry(
        identity: FileIdentity(size: 0, modified: 0, changed: 0, inode: 0), hash: page.sourcePath)
    }
    return RenderKeys(site: site, runs: [:], inputs: inputs)
  }

  static let body = "## 60-second answer\n\nSee [IoU](iou.md) and [COCO](../mid/map.md#coco-map-5-95).\n\n## More\n\nText.\n"

  /// Pages restored from their summaries carry their digests; pages parsed by the build do not:
  /// the structure is the same either way.
  @Test func theStructureIsTheSameWithDigestsKeptOrMade() {
    #expect(Self.keys(probe: Self.body).structure == Self.keys(probe: Self.body, digests: true).structure)
  }

  /// A page's own key hashes the structure, "page" and its source (the common start is hashed
  /// once for all pages).
  @Test func aPageKeyIsTheHashOfTheStructureAndItsSource() {
    let keys = Self.keys(probe: Self.body)
    for index in keys.sources.indices {
      #expect(keys.page(index) == Hashing.sha256([keys.structure, "page", keys.sources[index]]))
    }
  }

  /// Text inside a section is no part of the structure; a heading, a link's destination or its
  /// target is.
  @Test func headingsAndLinksChangeTheStructureTextDoesNot() {
    let structure = Self.keys(probe: Self.body).structure
    #expect(Self.keys(probe: Self.body.replacingOccurrences(of: "Text.", with: "Other text.")).structure == structure)
    for changed in [
      Self.body.replacingOccurrences(of: "## More", with: "## Much more"),
      Self.body.replacingOccurrences(of: "[IoU](iou.md)", with: "[IoU](iou.md#key-points)"),
      Self.body.replacingOccurrences(of: "../mid/map.md#coco-map-5-95", with: "../mid/map.md"),
    ] {
      #expect(Self.keys(probe: changed).structure != structure, "\(changed)")
    }
  }
}
