import Markdown
import Testing

@testable import GuideKit

/// A small guide held in memory: every page has five front-matter lines, so body line 1 is file line 6.
enum InMemoryGuide {
  static let config = GuideConfig(
    title: "T", description: "", author: "", siteURL: nil, rawHTML: .escape,
    levels: [.init(id: "junior", name: "Junior"), .init(id: "mid", name: "Mid-level")],
    tags: [.init(id: "metrics", name: "Metrics"), .init(id: "cnn", name: "CNNs")], synonyms: [])

  static func question(_ title: String, level: String = "junior", body: String) -> String {
    "---\ntitle: \(title)\nlevel: \(level)\ntags: [metrics]\n---\n" + body
  }

  static func sources(_ pages: [String: String], snippets: [String: String] = [:], shared: [String: String] = [:]) -> GuideSources {
    GuideSources(
      config: config,
      markdown: pages.sorted { $0.key < $1.key }.map { SourceFile(relativePath: $0.key, displayPath: "Guide/" + $0.key, text: $0.value) },
      snippets: snippets.sorted { $0.key < $1.key }.map {
        SourceFile(relativePath: "snippets/\($0.key).swift", displayPath: "Guide/snippets/\($0.key).swift", text: $0.value)
      },
      sharedSnippetCode: shared.sorted { $0.key < $1.key }.map {
        SourceFile(relativePath: "snippets/Shared/\($0.key)", displayPath: "Guide/snippets/Shared/\($0.key)", text: $0.value)
      },
      expectedOutputs: [], assets: [:])
  }

  static let basePages: [String: String] = [
    "questions/junior/iou.md": question("What is IoU?", body: "## 60-second answer\n\nOverlap.\n\n## Key points\n\n- a\n"),
    "questions/mid/map.md": question("What is mAP?", level: "mid", body: "## 60-second answer\n\nx\n\n## COCO mAP @[.5:.95]\n\ny\n"),
  ]

  static let snippet = "// snippet.title: IoU\nlet a = 1\n// snippet.core\nprint(a)\n// snippet.end\n"

  /// Links a guide with one extra page at `questions/junior/probe.md` whose body is `body`.
  static func link(probe body: String) -> (SiteModel, [Diagnostic], Int) {
    var pages = basePages
    pages["questions/junior/probe.md"] = question("Probe", body: body)
    let (model, diagnostics) = SiteLinker.link(sources(pages, snippets: ["iou": snippet]), jobs: 1)
    let probe = model.pages.firstIndex { $0.sourcePath == "questions/junior/probe.md" } ?? -1
    return (model, diagnostics.filter { $0.path == "Guide/questions/junior/probe.md" && $0.severity == .error }, probe)
  }
}

@Suite struct SiteLinkerTests {
  @Test func resolvesRelativeLinksWithAnchors() throws {
    let (model, errors, probe) = InMemoryGuide.link(
      probe: "## 60-second answer\n\nSee [IoU](iou.md), [COCO](../mid/map.md#coco-map-5-95) and [here](#60-second-answer).\n")
    #expect(errors.isEmpty, "\(errors)")
    let links = model.links[probe]
    let iou = try #require(model.pages.firstIndex { $0.sourcePath == "questions/junior/iou.md" })
    let map = try #require(model.pages.firstIndex { $0.sourcePath == "questions/mid/map.md" })
    #expect(links["iou.md"] == .page(iou, fragment: nil))
    #expect(links["../mid/map.md#coco-map-5-95"] == .page(map, fragment: "coco-map-5-95"))
    #expect(links["#60-second-answer"] == .page(probe, fragment: "60-second-answer"))
    #expect(model.backlinks[iou] == [probe])
    #expect(model.backlinks[map] == [probe])
  }

  @Test func missingPageIsAnErrorAtTheLinkWithADidYouMean() throws {
    let (model, errors, _) = InMemoryGuide.link(probe: "Text [IoU](iuo.md) here.\n")
    let error = try #require(errors.first)
    #expect(errors.count == 1)
    #expect(error.description == "Guide/questions/junior/probe.md:6:6: error: broken link: no page 'iuo.md'")
    #expect(error.hint == "did you mean 'iou.md'?")
    #expect(model.pages.count == 3)
  }

  @Test func missingAnchorIsAnErrorWithASuggestion() throws {
    let (_, errors, _) = InMemoryGuide.link(probe: "[m](../mid/map.md#coco-map)\n")
    #expect(errors.map(\.description) == ["Guide/questions/junior/probe.md:6:1: error: missing anchor '#coco-map' in ../mid/map.md"])
    #expect(errors.first?.hint == "anchors are heading slugs of that page: #60-second-answer, #coco-map-5-95")
    let (_, close, _) = InMemoryGuide.link(probe: "[m](../mid/map.md#coco-map-5-9)\n")
    #expect(close.first?.hint == "did you mean '#coco-map-5-95'?")
  }

  @Test(arguments: [
    ("[up](../../../outside.md)", "link '../../../outside.md' leaves the guide folder"),
    ("[abs](/questions/junior/iou.md)", "absolute path '/questions/junior/iou.md' does not work from disk or under a sub-path"),
    ("[js](javascript:alert(1))", "unsupported link scheme 'javascript:'"),
    ("[data](data:text/html,hi)", "unsupported link scheme 'data:'"),
    ("[proto](//evil.example/x)", "protocol-relative link '//evil.example/x'"),
    ("![remote](https://example.com/a.png)", "image from outside the site ('https://example.com/a.png')"),
    ("[file](notes.txt)", "broken link: no file 'notes.txt' in the guide"),
    ("[self](#nowhere)", "missing anchor '#nowhere' in this page"),
  ])
  func rejectsUnsafeOrBrokenLinks(markdown: String, message: String) throws {
    let (_, errors, _) = InMemoryGuide.link(probe: markdown + "\n")
    #expect(errors.map(\.message) == [message])
    #expect(errors.first?.location == SourceLocation(line: 6, column: 1))
  }

  @Test func externalLinksAreAllowed() {
    let (model, errors, probe) = InMemoryGuide.link(probe: "[paper](https://arxiv.org/abs/1506.01497) [mail](mailto:a@b.c)\n")
    #expect(errors.isEmpty)
    #expect(model.links[probe]["https://arxiv.org/abs/1506.01497"] == .external("https://arxiv.org/abs/1506.01497"))
  }

  @Test func resolvesSnippetLinksAndSlices() {
    let (model, errors, probe) = InMemoryGuide.link(
      probe: "[run](../../snippets/iou.swift)\n\n[core](../../snippets/iou.swift#core \"embed code\")\n")
    #expect(errors.isEmpty, "\(errors)")
    #expect(model.links[probe]["../../snippets/iou.swift"] == .snippet("iou", slice: nil))
    #expect(model.links[probe]["../../snippets/iou.swift#core"] == .snippet("iou", slice: "core"))
    #expect(model.snippetUsers["iou"] == [probe])
    #expect(model.snippetsOfPage[probe] == ["iou"])
    #expect(model.pages[probe].links.last?.embed == .code)
  }

  @Test func unknownSliceAndMissingSnippetAreErrors() {
    let (_, errors, _) = InMemoryGuide.link(probe: "[a](../../snippets/iou.swift#cor)\n\n[b](../../snippets/iuo.swift)\n")
    #expect(
      errors.map(\.description) == [
        "Guide/questions/junior/probe.md:6:1: error: unknown slice 'cor' in snippet 'iou'",
        "Guide/questions/junior/probe.md:8:1: error: missing snippet '../../snippets/iuo.swift'",
      ])
    #expect(errors.map(\.hint) == ["did you mean '#core'?", "did you mean 'iou.swift'?"])
  }

  @Test func embeddingAPageIsAnError() {
    let (_, errors, _) = InMemoryGuide.link(probe: "[x](iou.md \"embed\")\n")
    #expect(errors.map(\.message) == ["only snippets in snippets/ can be embedded"])
  }

  @Test func duplicateIdsAndSameTitleSlugsAreErrors() {
    var pages = InMemoryGuide.basePages
    pages["questions/mid/iou.md"] = InMemoryGuide.question("What is IoU!", level: "mid", body: "## 60-second answer\n\nx\n")
    let (_, diagnostics) = SiteLinker.link(InMemoryGuide.sources(pages), jobs: 2)
    let errors = diagnostics.filter { $0.severity == .error }.map(\.description)
    #expect(
      errors == [
        "Guide/questions/mid/iou.md:1:1: error: duplicate id 'iou' (also used by Guide/questions/junior/iou.md)",
        "Guide/questions/mid/iou.md:2:8: error: two questions have the same title slug 'what-is-iou' (also Guide/questions/junior/iou.md)",
      ])
  }

  @Test func ordersQuestionsByOrderThenTitleAndFindsRelated() throws {
    let pages = [
      "questions/junior/b.md":
        "---\ntitle: B\nlevel: junior\ntags: [cnn]\norder: 1\n---\n## 60-second answer\n\nx\n\n## Related\n\n- [A](a.md)\n",
      "questions/junior/a.md": "---\ntitle: A\nlevel: junior\ntags: [cnn]\norder: 2\n---\n## 60-second answer\n\nx\n",
      "questions/junior/c.md": "---\ntitle: C\nlevel: junior\ntags: [cnn]\norder: 2\n---\n## 60-second answer\n\nx\n",
    ]
    let (model, diagnostics) = SiteLinker.link(InMemoryGuide.sources(pages), jobs: 1)
    #expect(!diagnostics.hasErrors, "\(diagnostics)")
    let order = try #require(model.questionsByLevel["junior"]).map { model.pages[$0].title }
    #expect(order == ["B", "A", "C"])
    let b = try #require(model.pages.firstIndex { $0.title == "B" })
    #expect(model.related[b].map { model.pages[$0].title } == ["A"])
  }

  @Test func unknownSharedFileIsReported() {
    let (_, diagnostics) = SiteLinker.link(
      InMemoryGuide.sources(
        InMemoryGuide.basePages, snippets: ["x": "// snippet.uses: Bx.swift\nprint(1)\n"], shared: ["Box.swift": "struct Box {}\n"]),
      jobs: 1)
    let errors = diagnostics.filter { $0.severity == .error }
    #expect(errors.map(\.description) == ["Guide/snippets/x.swift:1:1: error: shared file 'Bx.swift' does not exist in snippets/Shared"])
    #expect(errors.first?.hint?.hasPrefix("did you mean 'Box.swift'?") == true)
  }
}

@Suite struct SiteModelTests {
  @Test(arguments: [
    ("index.html", "levels/junior.html", nil as String?, "levels/junior.html"),
    ("questions/junior/a.html", "questions/mid/b.html", "x", "../../questions/mid/b.html#x"),
    ("questions/junior/a.html", "questions/junior/a.html", "x", "#x"),
    ("tags/index.html", "index.html", nil, "../index.html"),
  ])
  func hrefsAreRelativeAndNameAFile(from: String, to: String, fragment: String?, href: String) {
    #expect(SiteModel.href(from: from, to: to, fragment: fragment) == href)
  }

  @Test func relativePathBetweenGuideFiles() {
    #expect(SiteLinker.relativePath(from: "questions/mid/a.md", to: "levels/mid.md") == "../../levels/mid.md")
    #expect(SiteLinker.relativePath(from: "questions/mid/a.md", to: "questions/mid/b.md") == "b.md")
    #expect(SiteLinker.normalize("a/./b/../c") == "a/c")
    #expect(SiteLinker.normalize("../x") == nil)
  }

  /// The fast path (a path with nothing to normalise is returned as it is) agrees with
  /// splitting the path into parts on every combination of plain, empty, `.`, `..` and dotted parts.
  @Test func normalisingTakesTheFastPathOnlyWhenNothingChanges() {
    func reference(_ path: String) -> String? {
      var parts: [Substring] = []
      for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
        if part == ".." {
          if parts.isEmpty { return nil }
          parts.removeLast()
        } else {
          parts.append(part)
        }
      }
      return parts.joined(separator: "/")
    }
    let pieces = ["a", ".", "..", "", "...", ".b", "c.md", "d..e"]
    var count = 0
    for first in pieces {
      for second in pieces {
        for third in pieces {
          for path in [first, first + "/" + second, first + "/" + second + "/" + third] {
            #expect(SiteLinker.normalize(path) == reference(path), "\(path)")
            count += 1
          }
        }
      }
    }
    #expect(count == 3 * 512)
  }
}
