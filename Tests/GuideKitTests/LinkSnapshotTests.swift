import Testing

@testable import GuideKit

/// The last build's link (``LinkSnapshot``) stands for this build's only when every link would
/// resolve as it did: then the unchanged pages' links are resolved on first use, and the site is
/// the one a full link makes; any change to what links depend on links everything again.
@Suite struct LinkSnapshotTests {
  /// A question with every section a question must have, `answer` in its first and `more` at the end.
  static func question(_ title: String, level: String = "junior", answer: String, more: String = "") -> String {
    InMemoryGuide.question(
      title, level: level,
      body: "## 60-second answer\n\n\(answer)\n\n## Deeper explanation\n\nMore.\n\n## Key points\n\n- a\n\n"
        + "## Follow-up questions\n\n- **Why?** Because.\n\n## Pitfalls and red flags\n\n- None.\n" + more)
  }

  static let pages: [String: String] = [
    "questions/junior/iou.md": question("What is IoU?", answer: "Overlap; see [mAP](../mid/map.md#coco) and [CNN](cnn.md)."),
    "questions/junior/cnn.md": question(
      "What is a CNN?", answer: "Filters. [IoU](iou.md#key-points)", more: "\n## Related\n\n- [mAP](../mid/map.md)\n"),
    "questions/mid/map.md": question("What is mAP?", level: "mid", answer: "x", more: "\n## COCO\n\ny [IoU](../junior/iou.md)\n"),
  ]

  /// A stand-in for a file's hash in the input index: its text.
  static func hashes(_ pages: [String: String]) -> (String) -> String? { { pages[$0] } }

  /// The snapshot a clean build of `pages` records.
  static func snapshot(_ pages: [String: String], inputs: String = "inputs") -> (LinkSnapshot, SiteModel) {
    let (site, diagnostics) = SiteLinker.link(InMemoryGuide.sources(pages), jobs: 1)
    #expect(diagnostics.isEmpty, "\(diagnostics)")
    let entries = site.pages.map {
      LinkSnapshot.PageEntry(
        path: $0.sourcePath, sourceHash: pages[$0.sourcePath] ?? "", digest: $0.structureDigest ?? "",
        signature: LinkSnapshot.signature($0))
    }
    let snapshot = LinkSnapshot(
      inputs: inputs, pages: entries, backlinks: site.backlinks, related: site.related, snippetsOfPage: site.snippetsOfPage,
      assets: site.assets, pageParts: "parts")
    return (snapshot, site)
  }

  /// Links `pages`, the files in `changed` parsed and the others restored from `previous`'s
  /// pages (as a build restores them from their summaries), with `snapshot`.
  static func relink(
    _ pages: [String: String], changed: Set<String>, previous: SiteModel, snapshot: LinkSnapshot, inputs: String = "inputs"
  ) -> (site: SiteModel, held: Bool, diagnostics: [Diagnostic]) {
    let sources = InMemoryGuide.sources(pages.filter { changed.contains($0.key) })
    let restored = previous.pages.filter { !changed.contains($0.sourcePath) }
    let (site, diagnostics) = SiteLinker.link(
      sources, reused: restored, jobs: 2,
      snapshot: SiteLinker.Previous(snapshot: snapshot, inputs: inputs, sourceHash: hashes(pages)))
    return (site, site.linkSnapshot != nil, diagnostics)
  }

  /// Every page's links, backlinks, related questions and snippets as a full link makes them.
  static func expectSameLinks(_ site: SiteModel, as pages: [String: String], _ label: Comment) {
    let (full, _) = SiteLinker.link(InMemoryGuide.sources(pages), jobs: 1)
    #expect(site.pages.map(\.sourcePath) == full.pages.map(\.sourcePath), label)
    for index in full.pages.indices {
      #expect(site.links[index] == full.links[index], label)
    }
    #expect(site.backlinks == full.backlinks, label)
    #expect(site.related == full.related, label)
    #expect(site.snippetsOfPage == full.snippetsOfPage, label)
  }

  @Test func aBodyEditLinksOnlyTheEditedPageAndTheRestOnFirstUse() throws {
    let (snapshot, first) = Self.snapshot(Self.pages)
    var edited = Self.pages
    edited["questions/mid/map.md"]! += "\nMore text, the same links.\n"
    let (site, held, diagnostics) = Self.relink(edited, changed: ["questions/mid/map.md"], previous: first, snapshot: snapshot)
    #expect(held && diagnostics.isEmpty, "\(diagnostics)")
    #expect(site.linkSnapshot != nil)
    #expect(site.links.resolvedLater == 0, "only the parsed page's links were resolved")
    Self.expectSameLinks(site, as: edited, "a body edit")
    #expect(site.links.resolvedLater == 2, "the two restored pages' links, resolved when asked for")
  }

  @Test func anythingLinksDependOnLinksEverythingAgain() throws {
    let (snapshot, first) = Self.snapshot(Self.pages)
    let cnn = "questions/junior/cnn.md"
    let cases: [(String, String, (String) -> String)] = [
      // Same destinations, but one moves into the Related section: related questions change.
      (
        "a link moved into Related", cnn,
        { $0.replacingOccurrences(of: " [IoU](iou.md#key-points)", with: "") + "- [IoU](iou.md#key-points)\n" }
      ),
      ("a link made an image", cnn, { $0.replacingOccurrences(of: "[IoU](iou.md#key-points)", with: "![IoU](iou.md#key-points)") }),
      ("a heading renamed", "questions/junior/iou.md", { $0.replacingOccurrences(of: "## Key points", with: "## Main points") }),
      ("a new link", cnn, { $0 + "\nSee [mAP](../mid/map.md#coco).\n" }),
    ]
    for (label, path, change) in cases {
      var edited = Self.pages
      edited[path] = change(edited[path]!)
      let (site, held, diagnostics) = Self.relink(edited, changed: [path], previous: first, snapshot: snapshot)
      #expect(!held, "\(label)")
      if label == "a heading renamed" {
        // The restored page linking to it is resolved again, and its broken link found.
        #expect(diagnostics.contains { $0.path == "Guide/" + cnn && $0.message.contains("missing anchor") }, "\(diagnostics)")
      } else if label != "a link made an image" {
        #expect(diagnostics.isEmpty, "\(label): \(diagnostics)")
        Self.expectSameLinks(site, as: edited, "\(label)")
      }
    }
    // Other inputs (guide.yml, snippets, assets) changed.
    #expect(!Self.relink(Self.pages, changed: [], previous: first, snapshot: snapshot, inputs: "other inputs").held, "other inputs")
    // A page added.
    var added = Self.pages
    added["questions/junior/nms.md"] = Self.question("What is NMS?", answer: "Keep the best.")
    #expect(!Self.relink(added, changed: ["questions/junior/nms.md"], previous: first, snapshot: snapshot).held, "a page added")
  }

  @Test func theFileReadsBackAndADamagedOneIsNotRead() throws {
    var (snapshot, _) = Self.snapshot(Self.pages)
    snapshot.assets = ["img/a.png": "/guide/img/a.png"]
    snapshot.snippetsOfPage[0] = ["iou"]
    let bytes = snapshot.encoded()
    let read = try #require(LinkSnapshot(decoding: FileBytes(bytes)))
    #expect(read.pages == snapshot.pages && read.backlinks == snapshot.backlinks && read.related == snapshot.related)
    #expect(read.snippetsOfPage == snapshot.snippetsOfPage && read.assets == snapshot.assets && read.pageParts == "parts")
    #expect(LinkSnapshot(decoding: FileBytes(Array(bytes.dropLast()))) == nil)
    #expect(LinkSnapshot(decoding: FileBytes(bytes + [0])) == nil)
    #expect(LinkSnapshot(decoding: FileBytes(Array("guide-links 0\n".utf8) + bytes.dropFirst(14))) == nil)
  }
}
