import Foundation
import Markdown
import Testing

@testable import GuideKit

/// The page summaries (``PageSummaries``): a page restored from them is the page the parser made,
/// and its tree, parsed from its file on first use, is the parser's tree.
@Suite struct PageSummariesTests {
  static let text = """
    ---
    title: "What is IoU? 'Quoted' and ünïcode"
    level: junior
    tags: [metrics, cnn]
    summary: Overlap of two boxes.
    order: -3
    related: [other.md]
    ---

    Framing with a [link](other.md#key-points) and ![a chart](chart.png).

    ## 60-second answer

    Area of overlap over area of union, $\\frac{a}{b}$.

    > Quoted [link](../mid/nms.md)

    ### Deeper

    Text.

    ## Related

    - [Other](other.md)
    - [NMS](../mid/nms.md#answer)

    """

  @Test func aRestoredPageEqualsTheParsedOneAndParsesItsBodyFromItsFile() throws {
    let folder = try FileManager.default.url(
      for: .itemReplacementDirectory, in: .userDomainMask, appropriateFor: URL(fileURLWithPath: NSTemporaryDirectory()), create: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let relative = "questions/junior/iou.md"
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("questions/junior"), withIntermediateDirectories: true)
    try Data(Self.text.utf8).write(to: folder.appendingPathComponent(relative))

    let (parsed, diagnostics) = PageParser.parse(
      SourceFile(relativePath: relative, displayPath: "Guide/" + relative, text: Self.text), config: InMemoryGuide.config)
    var page = try #require(parsed, "\(diagnostics)")
    page.parsedCleanly = true
    #expect(page.relatedSectionLinks == ["other.md", "../mid/nms.md#answer"])
    #expect(
      page.searchParts.count == 4 && page.searchParts[0].heading == nil && page.searchParts[0].text.hasPrefix("Overlap of two boxes."))

    let key = PageSummaries.key(config: "c", relativePath: relative, source: "s")
    let saved = PageSummaries(wanted: [relative: key], previous: []).data([page])
    let summaries = PageSummaries(wanted: [relative: key], previous: saved)
    #expect(summaries.reusable == [relative])
    let restored = try #require(summaries.pages([relative], guideRoot: folder.path, displayPrefix: "Guide", jobs: 1).first)

    #expect(restored.body.isRestored && restored.body.isDeferred)
    // Its headings and links stay encoded until asked for (written again, they are the same
    // bytes); whether a link is an image or an embed is known without decoding them.
    let untouched = try #require(summaries.pages([relative], guideRoot: folder.path, displayPrefix: "Guide", jobs: 1).first)
    #expect(summaries.data([untouched]) == saved)
    #expect(untouched.outline.hasImagesOrEmbeds && page.outline.hasImagesOrEmbeds)
    var plain = page
    plain.links = page.links.filter { !$0.isImage }
    let plainSaved = PageSummaries(wanted: [relative: key], previous: []).data([plain])
    let plainRestored = try #require(
      PageSummaries(wanted: [relative: key], previous: plainSaved).pages(
        [relative], guideRoot: folder.path, displayPrefix: "Guide", jobs: 1
      )
      .first)
    #expect(!plainRestored.outline.hasImagesOrEmbeds && plainRestored.links == plain.links && plainRestored.headings == page.headings)
    for (a, b) in [(restored.kind.rawValue, page.kind.rawValue), (restored.id, page.id), (restored.title, page.title)] { #expect(a == b) }
    #expect(restored.displayPath == page.displayPath && restored.outputPath == page.outputPath && restored.summary == page.summary)
    #expect(restored.levelID == page.levelID && restored.tagIDs == page.tagIDs && restored.order == -3 && restored.order == page.order)
    #expect(restored.headings == page.headings && restored.links == page.links && restored.relatedPaths == page.relatedPaths)
    #expect(restored.idLocation == page.idLocation && restored.titleLocation == page.titleLocation)
    #expect(restored.levelLocation == page.levelLocation && restored.audience == page.audience)
    #expect(restored.relatedSectionLinks == page.relatedSectionLinks && restored.searchParts == page.searchParts)
    #expect(restored.bodyLineOffset == page.bodyLineOffset)
    // What the page shows the rest of the site, hashed when it was saved, is kept with it.
    #expect(page.structureDigest == nil && restored.structureDigest == RenderKeys.pageDigest(page))
    // The tree, parsed from the file on first use, is the one the parser made.
    #expect(restored.document == page.document)
    #expect(!restored.body.isDeferred)
    // Released, it is parsed again, the same.
    restored.body.release()
    #expect(restored.body.isDeferred && restored.document == page.document)

    // Its search parts stay encoded in the file until asked for; written again, they are the
    // same bytes as the parsed page's.
    #expect(summaries.data([restored]) == saved)

    // Another key (the file, guide.yml or the generator changed): nothing is reused.
    let other = PageSummaries(wanted: [relative: PageSummaries.key(config: "c", relativePath: relative, source: "t")], previous: saved)
    #expect(other.reusable.isEmpty)
    // A truncated file gives no page rather than a wrong one.
    #expect(PageSummaries(wanted: [relative: key], previous: Array(saved.dropLast(5))).reusable.isEmpty)
  }

  /// A restored page's search parts, decoded from the mapped file when asked for, are the ones
  /// decoded eagerly from the same bytes. The restore steps over them by their length; parts that
  /// name a heading the page does not have, or do not end where their length says, read as none.
  @Test func lazilyDecodedSearchPartsEqualEagerlyDecodedOnes() throws {
    let cache = try FileManager.default.url(
      for: .itemReplacementDirectory, in: .userDomainMask, appropriateFor: URL(fileURLWithPath: NSTemporaryDirectory()), create: true)
    defer { try? FileManager.default.removeItem(at: cache) }
    let output = cache.appendingPathComponent("Site")
    let relative = "questions/junior/iou.md"
    var page = try #require(
      PageParser.parse(SourceFile(relativePath: relative, displayPath: relative, text: Self.text), config: InMemoryGuide.config).0)
    page.parsedCleanly = true
    let wanted = [relative: PageSummaries.key(config: "c", relativePath: relative, source: "s")]
    PageSummaries(wanted: wanted, previous: []).save([page], cache: cache, output: output)

    // Eagerly: the parts decoded from the end of the page's entry, as the file holds it.
    let bytes = [UInt8](try Data(contentsOf: PageSummaries.file(cache: cache, output: output)))
    var eager = FileBytes.Reader(FileBytes(Array(bytes.suffix(searchPartsLength(page)))), position: 0)
    let eagerParts = try #require(PageSummaries.decodeSearchParts(&eager, headings: page.headings.count))
    #expect(eagerParts == page.searchParts)

    // Lazily: from the mapped file, when asked for.
    let restored = try #require(
      PageSummaries.load(cache: cache, output: output, wanted: wanted).pages([relative], guideRoot: "/nowhere", displayPrefix: "", jobs: 2)
        .first)
    #expect(restored.searchParts == eagerParts)
    // Asked for again (from two threads), the same.
    let again = ParallelMap.map([0, 1], jobs: 2) { _ in restored.searchParts }
    #expect(again.allSatisfy { $0 == page.searchParts })

    // A search part naming a heading the page does not have reads as no parts.
    var broken = page
    broken.searchParts = page.searchParts + [Page.SearchPart(heading: page.headings.count, text: "x")]
    let brokenBytes = PageSummaries(wanted: wanted, previous: []).data([broken])
    let brokenPage = try #require(
      PageSummaries(wanted: wanted, previous: brokenBytes).pages([relative], guideRoot: "/nowhere", displayPrefix: "", jobs: 1)
        .first)
    #expect(brokenPage.searchParts.isEmpty)
    #expect(brokenPage.headings == page.headings, "the rest of the entry is read as usual")
    // A length that runs past the entry: the entry is not used.
    var long = PageSummaries(wanted: wanted, previous: []).data([page])
    let length = searchPartsLength(page)
    let lengthAt = long.count - length - 2  // the length's two LEB128 bytes
    #expect(length >= 128 && length < 1 << 14, "a two-byte length")
    long[lengthAt] = UInt8((length + 1) & 0x7F) | 0x80
    long[lengthAt + 1] = UInt8((length + 1) >> 7)
    #expect(PageSummaries(wanted: wanted, previous: long).pages([relative], guideRoot: "/nowhere", displayPrefix: "", jobs: 1).isEmpty)
  }

  /// The length of the encoding of a page's search parts (the end of its entry).
  func searchPartsLength(_ page: Page) -> Int {
    var out: [UInt8] = []
    SearchAnalysisCache.put(page.searchParts.count, into: &out)
    for part in page.searchParts {
      SearchAnalysisCache.put(part.heading.map { $0 + 1 } ?? 0, into: &out)
      SearchAnalysisCache.put(string: part.text, into: &out)
    }
    return out.count
  }

  /// An edit appends one entry; stale entries are dropped when they outweigh the live ones.
  @Test func anEditAppendsItsEntryAndStaleEntriesAreCompactedAway() throws {
    let cache = try FileManager.default.url(
      for: .itemReplacementDirectory, in: .userDomainMask, appropriateFor: URL(fileURLWithPath: NSTemporaryDirectory()), create: true)
    defer { try? FileManager.default.removeItem(at: cache) }
    let output = cache.appendingPathComponent("Site")
    func page(_ number: Int, _ words: String) throws -> Page {
      let relative = "questions/junior/q\(number).md"
      var page = try #require(
        PageParser.parse(
          SourceFile(
            relativePath: relative, displayPath: relative,
            text: InMemoryGuide.question("Question \(number)", body: "## 60-second answer\n\n" + words + "\n")),
          config: InMemoryGuide.config
        ).0)
      page.parsedCleanly = true
      return page
    }
    func keys(_ pages: [Page], version: Int) -> [String: String] {
      Dictionary(
        uniqueKeysWithValues: pages.map {
          ($0.sourcePath, PageSummaries.key(config: "c", relativePath: $0.sourcePath, source: "\(version)"))
        })
    }
    func fileSize() -> Int { (try? Data(contentsOf: PageSummaries.file(cache: cache, output: output)).count) ?? 0 }

    let pages = try (0..<40).map { try page($0, String(repeating: "word ", count: 200)) }
    var wanted = keys(pages, version: 0)
    PageSummaries.load(cache: cache, output: output, wanted: wanted).save(pages, cache: cache, output: output)
    let whole = fileSize()
    #expect(PageSummaries.load(cache: cache, output: output, wanted: wanted).reusable.count == 40)

    // One page edited: its new entry is appended, the others stay where they are.
    var edited = pages
    edited[3] = try page(3, "an edited answer")
    wanted["questions/junior/q3.md"] = PageSummaries.key(config: "c", relativePath: "questions/junior/q3.md", source: "1")
    let before = PageSummaries.load(cache: cache, output: output, wanted: wanted)
    #expect(before.reusable.count == 39)
    #expect(before.appendix(edited).map { !$0.isEmpty && $0.count < whole / 10 } == true)
    before.save(edited, cache: cache, output: output)
    #expect(fileSize() > whole && fileSize() < whole + whole / 10)
    let after = PageSummaries.load(cache: cache, output: output, wanted: wanted)
    #expect(after.reusable.count == 40)
    #expect(
      after.pages(["questions/junior/q3.md"], guideRoot: "/nowhere", displayPrefix: "", jobs: 1).first?.searchParts == edited[3].searchParts
    )

    // Every page changed: the stale entries outweigh the live ones and the file is written anew.
    let all = keys(pages, version: 2)
    PageSummaries.load(cache: cache, output: output, wanted: all).save(pages, cache: cache, output: output)
    #expect(fileSize() == whole)
    #expect(PageSummaries.load(cache: cache, output: output, wanted: all).reusable.count == 40)
  }

  @Test func aParsedPageReleasesItsTreeAndParsesItAgainTheSame() throws {
    let (parsed, _) = PageParser.parse(
      SourceFile(relativePath: "questions/junior/iou.md", displayPath: "Guide/questions/junior/iou.md", text: Self.text),
      config: InMemoryGuide.config)
    let page = try #require(parsed)
    let tree = page.document
    page.body.release()
    #expect(page.body.isDeferred && !page.body.isRestored)
    #expect(page.document == tree)
  }

  /// A code block is highlighted once for the page's renderings (page, print part, quiz item), and
  /// again only after the tree is released.
  @Test func aBodyHighlightsEachCodeBlockOnceUntilReleased() throws {
    let (parsed, _) = PageParser.parse(
      SourceFile(relativePath: "questions/junior/iou.md", displayPath: "Guide/questions/junior/iou.md", text: Self.text),
      config: InMemoryGuide.config)
    let body = try #require(parsed).body
    var made: [String] = []
    func highlight(_ code: String) -> String {
      made.append(code)
      return "<b>\(code)</b>"
    }
    #expect(body.highlighted("let a = 1", language: "swift", highlight) == "<b>let a = 1</b>")
    #expect(body.highlighted("let a = 1", language: "swift", highlight) == "<b>let a = 1</b>")
    #expect(body.highlighted("let a = 1", language: "python", highlight) == "<b>let a = 1</b>")
    #expect(made == ["let a = 1", "let a = 1"], "once per language and code")
    body.release()
    _ = body.highlighted("let a = 1", language: "swift", highlight)
    #expect(made.count == 3, "made again after the tree is released")
  }
}
