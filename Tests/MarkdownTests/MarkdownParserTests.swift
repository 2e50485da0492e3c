import Testing

@testable import Markdown

/// Depth-first search for the first node matching `predicate` (iterative, so deep trees are fine).
private func first(in root: MarkdownNode, where predicate: (MarkdownNode) -> Bool) -> MarkdownNode? {
  var stack = [root]
  while let node = stack.popLast() {
    if predicate(node) { return node }
    stack.append(contentsOf: node.children.reversed())
  }
  return nil
}

private func all(in root: MarkdownNode, where predicate: (MarkdownNode) -> Bool) -> [MarkdownNode] {
  var out: [MarkdownNode] = []
  var stack = [root]
  while let node = stack.popLast() {
    if predicate(node) { out.append(node) }
    stack.append(contentsOf: node.children.reversed())
  }
  return out
}

/// The depth of the Swift tree (document = 1), measured without recursion.
private func treeDepth(_ root: MarkdownNode) -> Int {
  var deepest = 0
  var stack = [(root, 1)]
  while let (node, depth) = stack.popLast() {
    deepest = max(deepest, depth)
    for child in node.children { stack.append((child, depth + 1)) }
  }
  return deepest
}

@Suite struct MarkdownConversionTests {
  @Test(arguments: [(1, "# One"), (2, "## Two"), (3, "### Three"), (6, "###### Six"), (2, "Setext\n---")])
  func convertsHeadingsWithTheirLevel(level: Int, source: String) throws {
    let document = MarkdownParser.parse(source).document
    #expect(document.kind == .document)
    let heading = try #require(document.children.first)
    #expect(heading.kind == .heading(level: level))
    #expect(!heading.plainText.isEmpty)
  }

  @Test func convertsTightAndLooseLists() throws {
    let tight = MarkdownParser.parse("- a\n- b\n- c\n").document
    let tightList = try #require(tight.children.first)
    #expect(tightList.kind == .list(ordered: false, start: 0, tight: true))
    #expect(tightList.children.count == 3)
    #expect(tightList.children.allSatisfy { $0.kind == .item } == true)

    let loose = MarkdownParser.parse("3. a\n\n4. b\n").document
    let looseList = try #require(loose.children.first)
    #expect(looseList.kind == .list(ordered: true, start: 3, tight: false))
    #expect(looseList.children.count == 2)
  }

  @Test func convertsFencedCodeBlocksWithInfoString() throws {
    let document = MarkdownParser.parse("```swift title\nlet x = 1\n```\n\n    indented\n").document
    #expect(document.children.count == 2)
    #expect(document.children[0].kind == .codeBlock(info: "swift title", literal: "let x = 1\n"))
    #expect(document.children[1].kind == .codeBlock(info: "", literal: "indented\n"))
    #expect(document.children[0].plainText == "let x = 1\n")
  }

  @Test func convertsLinksWithTitlesAndImages() throws {
    let document = MarkdownParser.parse(#"See [IoU](../junior/iou.md#core "embed code") and ![a car](car.png "A car")."#).document
    let link = try #require(first(in: document) { if case .link = $0.kind { return true } else { return false } })
    #expect(link.kind == .link(destination: "../junior/iou.md#core", title: "embed code"))
    #expect(link.plainText == "IoU")
    let image = try #require(first(in: document) { if case .image = $0.kind { return true } else { return false } })
    #expect(image.kind == .image(source: "car.png", title: "A car"))
    #expect(image.plainText == "a car")
  }

  @Test func convertsEmphasisStrongCodeAndBreaks() throws {
    let document = MarkdownParser.parse("*em* **strong** `code`\nsoft  \nhard\\\nend").document
    let paragraph = try #require(document.children.first)
    let kinds = paragraph.children.map(\.kind)
    #expect(kinds.contains(.emphasis))
    #expect(kinds.contains(.strong))
    #expect(kinds.contains(.code("code")))
    #expect(kinds.contains(.softBreak))
    #expect(kinds.contains(.lineBreak))
    #expect(paragraph.plainText == "em strong code soft hard end")
  }

  @Test func keepsHTMLBlocksAndInlineHTMLAsLiterals() throws {
    let document = MarkdownParser.parse("<div class=\"x\">\n<script>alert(1)</script>\n</div>\n\nText <b>bold</b>.\n").document
    guard case .htmlBlock(let block) = try #require(document.children.first).kind else {
      Issue.record("expected an HTML block, got \(document.children.first!.kind)")
      return
    }
    #expect(block.contains("<script>alert(1)</script>"))
    let inlines = all(in: document) { if case .htmlInline = $0.kind { return true } else { return false } }
    #expect(inlines.map(\.kind) == [.htmlInline("<b>"), .htmlInline("</b>")])
  }

  @Test func blockQuotesThematicBreaksAndIsBlock() throws {
    let document = MarkdownParser.parse("> quoted\n\n---\n").document
    #expect(document.children.map(\.kind) == [.blockQuote, .thematicBreak])
    #expect(document.children.allSatisfy { $0.isBlock })
    let text = try #require(first(in: document) { if case .text = $0.kind { return true } else { return false } })
    #expect(!text.isBlock)
  }

  @Test func emptyInputGivesAnEmptyDocument() {
    let result = MarkdownParser.parse("")
    #expect(result.document.kind == .document)
    #expect(result.document.children.isEmpty)
  }
}

@Suite struct MarkdownSourcePositionTests {
  @Test func reportsBlockPositions() throws {
    let document = MarkdownParser.parse("# Title\n\nSome text\nmore\n\n- item\n").document
    #expect(document.children.count == 3)
    #expect(document.children[0].range.start == SourceLocation(line: 1, column: 1))
    #expect(document.children[1].range.start == SourceLocation(line: 3, column: 1))
    #expect(document.children[1].range.end.line == 4)
    #expect(document.children[2].range.start == SourceLocation(line: 6, column: 1))
  }

  @Test(arguments: [0, 1, 7, 120])
  func addsTheLineOffsetToEveryLine(offset: Int) throws {
    let document = MarkdownParser.parse("para\n\n## Heading\n", lineOffset: offset).document
    #expect(document.children[0].range.start.line == 1 + offset)
    #expect(document.children[1].range.start == SourceLocation(line: 3 + offset, column: 1))
  }

  @Test func reportsInlineLinkColumns() throws {
    // "Intro text, " is 12 bytes: the first '[' is at column 13, the second at 32.
    let document = MarkdownParser.parse("Intro text, [first](a.md) then [second](b.md).\n", lineOffset: 4).document
    let links = all(in: document) { if case .link = $0.kind { return true } else { return false } }
    #expect(links.count == 2)
    #expect(links.map(\.range.start) == [SourceLocation(line: 5, column: 13), SourceLocation(line: 5, column: 32)])
  }

  @Test func countsColumnsInUTF8Bytes() throws {
    // "Réseau " is 8 bytes (é is two), so the link starts at byte column 9.
    let document = MarkdownParser.parse("Réseau [x](y.md)\n").document
    let link = try #require(first(in: document) { if case .link = $0.kind { return true } else { return false } })
    #expect(link.range.start == SourceLocation(line: 1, column: 9))
  }

  @Test func nestedListItemsReportTheirColumns() throws {
    let document = MarkdownParser.parse("- a\n  - b [l](x.md)\n").document
    let link = try #require(first(in: document) { if case .link = $0.kind { return true } else { return false } })
    #expect(link.range.start == SourceLocation(line: 2, column: 7))
  }
}

@Suite struct MarkdownDepthLimitTests {
  @Test func fiveThousandNestedBlockQuotesParseAndAreCutAtTheLimit() {
    let source = String(repeating: "> ", count: 5_000) + "deep\n"
    let result = MarkdownParser.parse(source, depthLimit: 100)
    #expect(result.maxDepth >= 5_000, "maxDepth reports the real nesting")
    #expect(treeDepth(result.document) <= 101, "the Swift tree stops at the limit")
    #expect(result.document.kind == .document)
  }

  @Test func theDefaultLimitAlsoCutsTheTree() {
    let source = String(repeating: ">", count: 5_000) + " deep\n"
    let result = MarkdownParser.parse(source)
    #expect(result.maxDepth >= 5_000)
    #expect(treeDepth(result.document) <= 257)
  }

  @Test func nestingWithinTheLimitIsKept() {
    let result = MarkdownParser.parse("> > > deep\n", depthLimit: 100)
    #expect(result.maxDepth < 100)
    #expect(result.document.plainText == "deep")
  }

  @Test(arguments: ["[", "![", "*", "<"])
  func tenThousandOpenersDoNotCrash(opener: String) {
    let result = MarkdownParser.parse(String(repeating: opener, count: 10_000) + "x\n")
    #expect(result.document.kind == .document)
    #expect(result.document.plainText.count >= 10_000)
  }

  @Test func deeplyNestedListsDoNotCrash() {
    var source = ""
    for depth in 0..<400 { source += String(repeating: "  ", count: depth) + "- item\n" }
    let result = MarkdownParser.parse(source, depthLimit: 64)
    #expect(result.maxDepth > 64)
    #expect(treeDepth(result.document) <= 65)
  }
}
