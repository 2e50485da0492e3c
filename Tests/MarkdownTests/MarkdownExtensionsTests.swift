import Testing

@testable import Markdown

private typealias Loc = Markdown.SourceLocation

private func nodes(in root: MarkdownNode, where predicate: (MarkdownNode) -> Bool) -> [MarkdownNode] {
  var out: [MarkdownNode] = []
  var stack = [root]
  while let node = stack.popLast() {
    if predicate(node) { out.append(node) }
    stack.append(contentsOf: node.children.reversed())
  }
  return out
}

private func maths(_ text: String) -> [(tex: String, display: Bool, at: Loc)] {
  nodes(in: MarkdownParser.parse(text).document) {
    if case .math = $0.kind { return true }
    return false
  }.map {
    guard case .math(let tex, let display, _) = $0.kind else { fatalError() }
    return (tex, display, $0.range.start)
  }
}

@Suite struct TableRecognizerTests {
  @Test func recognisesAPipeTableWithAlignmentsAndInlineCells() throws {
    let doc = MarkdownParser.parse("| Metric | Value |\n| :--- | ---: |\n| **IoU** | [link](a.md) |\n| `x` | 0.5 |\n").document
    let table = try #require(doc.children.first)
    #expect(table.kind == .table(alignments: [.left, .right]))
    #expect(table.children.count == 3)
    #expect(table.children[0].kind == .tableRow(header: true))
    #expect(table.children[1].kind == .tableRow(header: false))
    let boldCell = table.children[1].children[0]
    #expect(boldCell.kind == .tableCell(alignment: .left))
    #expect(boldCell.children.first?.kind == .strong)
    let link = try #require(table.children[1].children[1].children.first)
    #expect(link.kind == .link(destination: "a.md", title: ""))
    // Cell inlines keep their positions in the file.
    #expect(link.range.start == Loc(line: 3, column: 13))
    #expect(boldCell.range.start == Loc(line: 3, column: 3))
    #expect(table.children[2].children[0].children.first?.kind == .code("x"))
  }

  @Test func tableWithoutOuterPipesAndWithEscapedPipe() throws {
    let doc = MarkdownParser.parse("a | b\n--|:-:\n`x\\|y` | c\\|d\n").document
    let table = try #require(doc.children.first)
    #expect(table.kind == .table(alignments: [.none, .center]))
    #expect(table.children[1].children[0].children.first?.kind == .code("x|y"))
    #expect(table.children[1].children[1].plainText == "c|d")
  }

  @Test func linesBeforeTheHeaderStayAParagraph() throws {
    let doc = MarkdownParser.parse("Compare them:\n| a | b |\n| - | - |\n| 1 | 2 |\n").document
    #expect(doc.children.count == 2)
    #expect(doc.children[0].kind == .paragraph)
    #expect(doc.children[0].plainText == "Compare them:")
    #expect(doc.children[1].kind == .table(alignments: [.none, .none]))
  }

  @Test func tableInsideABlockQuote() throws {
    let doc = MarkdownParser.parse("> | a | b |\n> |---|---|\n> | 1 | 2 |\n").document
    let table = try #require(doc.children.first?.children.first)
    #expect(table.kind == .table(alignments: [.none, .none]))
    #expect(table.children[1].children[1].plainText == "2")
    #expect(table.children[1].children[1].range.start == Loc(line: 3, column: 9))
  }

  @Test func cellsThatLookLikeBlocksStayText() throws {
    let doc = MarkdownParser.parse("| a | b |\n|---|---|\n| # no heading | - no list |\n").document
    let row = try #require(doc.children.first?.children[1])
    #expect(row.children[0].plainText == "# no heading")
    #expect(row.children[1].plainText == "- no list")
  }

  @Test func raggedRowIsAProblemAndStaysAParagraph() throws {
    let text = "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n"
    let doc = MarkdownParser.parse(text).document
    #expect(doc.children.first?.kind == .paragraph)
    let problems = MarkdownLint.problems(in: doc, source: text, rawHTMLEscaped: true)
    #expect(problems.count == 1)
    #expect(problems.first?.severity == .error)
    #expect(problems.first?.location == Loc(line: 3, column: 1))
    #expect(problems.first?.message == "table row has 3 cells, the header row has 2")
  }

  @Test func delimiterRowWithTheWrongCountOrSyntax() {
    let wrongCount = "| a | b |\n|---|\n"
    let p1 = MarkdownLint.problems(in: MarkdownParser.parse(wrongCount).document, source: wrongCount, rawHTMLEscaped: true)
    #expect(p1.map(\.message) == ["table delimiter row has 1 cell, the header row has 2"])
    let badSyntax = "| a | b |\n|---|:-:-|\n"
    let p2 = MarkdownLint.problems(in: MarkdownParser.parse(badSyntax).document, source: badSyntax, rawHTMLEscaped: true)
    #expect(p2.map(\.message) == ["malformed table delimiter row: ':-:-' is not '---', ':---', ':---:' or '---:'"])
    #expect(p2.first?.location == Loc(line: 2, column: 6))
    let noDelimiter = "| a | b |\n| 1 | 2 |\n"
    let p3 = MarkdownLint.problems(in: MarkdownParser.parse(noDelimiter).document, source: noDelimiter, rawHTMLEscaped: true)
    #expect(p3.map(\.message) == ["table has no delimiter row under its header row"])
  }

  @Test func proseWithAPipeIsNotATable() {
    let text = "Use a | b for union,\nand nothing more.\n"
    let doc = MarkdownParser.parse(text).document
    #expect(doc.children.first?.kind == .paragraph)
    #expect(MarkdownLint.problems(in: doc, source: text, rawHTMLEscaped: true).isEmpty)
  }

  @Test func delimiterAlignments() {
    #expect(TableRecognizer.alignment(of: ArraySlice(Array("---".utf8))) == TableAlignment.none)
    #expect(TableRecognizer.alignment(of: ArraySlice(Array(":--".utf8))) == .left)
    #expect(TableRecognizer.alignment(of: ArraySlice(Array(":-:".utf8))) == .center)
    #expect(TableRecognizer.alignment(of: ArraySlice(Array("-:".utf8))) == .right)
    #expect(TableRecognizer.alignment(of: ArraySlice(Array("::".utf8))) == nil)
    #expect(TableRecognizer.alignment(of: ArraySlice(Array("-=-".utf8))) == nil)
  }
}

@Suite struct MathSpanTests {
  @Test func inlineAndDisplayMath() {
    let found = maths("Area $a_i \\cdot b_j$ and\n\n$$\\frac{1}{2}$$\n")
    #expect(found.count == 2)
    #expect(found[0].tex == "a_i \\cdot b_j")
    #expect(found[0].display == false)
    #expect(found[0].at == Loc(line: 1, column: 6))
    #expect(found[1].tex == "\\frac{1}{2}")
    #expect(found[1].display == true)
    #expect(found[1].at == Loc(line: 3, column: 1))
  }

  @Test func textAroundMathKeepsItsMarkupAndPositions() throws {
    let doc = MarkdownParser.parse("See $x_1$ and *then* [IoU](iou.md).\n").document
    let paragraph = try #require(doc.children.first)
    #expect(paragraph.children.map(\.kind).contains(.emphasis))
    let link = try #require(paragraph.children.first { if case .link = $0.kind { return true } else { return false } })
    #expect(link.range.start == Loc(line: 1, column: 22))
    #expect(paragraph.plainText == "See x_1 and then IoU.")
  }

  @Test func pricesCodeAndEscapesStayText() {
    #expect(maths("It costs $5 and $10 today.\n").isEmpty)
    #expect(maths("Between $5-$10.\n").isEmpty)
    #expect(maths("Code `$x$` stays code.\n").isEmpty)
    #expect(maths("```\n$x$\n```\n").isEmpty)
    #expect(maths("Escaped \\$x\\$ dollars.\n").isEmpty)
    #expect(maths("A $ x$ with a blank after the opening dollar.\n").isEmpty)
    #expect(maths("[a link](https://example.org/$x$)\n").isEmpty)
  }

  @Test func displayMathSpanningLinesInABlockQuote() throws {
    let found = maths("> $$\n> a +\n> b\n> $$\n")
    #expect(found.count == 1)
    #expect(found.first?.tex == "\na +\nb\n")
    let doc = MarkdownParser.parse("> $$\n> a +\n> b\n> $$\n").document
    let math = try #require(nodes(in: doc) { if case .math = $0.kind { return true } else { return false } }.first)
    guard case .math(_, _, let lines) = math.kind else { return }
    #expect(
      lines == [
        Loc(line: 1, column: 5), Loc(line: 2, column: 3), Loc(line: 3, column: 3),
        Loc(line: 4, column: 3),
      ])
  }

  @Test func mathInATableCell() throws {
    let doc = MarkdownParser.parse("| f | value |\n|---|---|\n| IoU | $\\frac{a}{b}$ |\n").document
    let cell = try #require(doc.children.first?.children[1].children[1])
    let math = try #require(cell.children.first)
    #expect(math.kind == .math(tex: "\\frac{a}{b}", display: false, lines: [Loc(line: 3, column: 10)]))
    #expect(math.range.start == Loc(line: 3, column: 9))
  }

  @Test func underscoresAndBackslashesReachTheTeXUntouched() {
    #expect(maths("$\\{a_b\\} \\, c_d$\n").first?.tex == "\\{a_b\\} \\, c_d")
  }
}

@Suite struct CalloutTests {
  @Test(arguments: CalloutKind.allCases)
  func recognisesEachKind(kind: CalloutKind) throws {
    let doc = MarkdownParser.parse("> [!\(kind.rawValue.uppercased())]\n> Read *this*.\n").document
    let callout = try #require(doc.children.first)
    #expect(callout.kind == .callout(kind))
    #expect(callout.children.count == 1)
    #expect(callout.children[0].plainText == "Read this.")
  }

  @Test func textOnTheMarkerLineIsKeptAndCaseDoesNotMatter() throws {
    let doc = MarkdownParser.parse("> [!tip] Use NMS.\n").document
    let callout = try #require(doc.children.first)
    #expect(callout.kind == .callout(.tip))
    #expect(callout.children.first?.plainText == "Use NMS.")
  }

  @Test func unknownKindIsAWarningAndAnOrdinaryQuote() {
    let text = "> [!DANGER]\n> x\n"
    let doc = MarkdownParser.parse(text).document
    #expect(doc.children.first?.kind == .blockQuote)
    let problems = MarkdownLint.problems(in: doc, source: text, rawHTMLEscaped: true)
    #expect(problems.map(\.message) == ["unknown callout '[!DANGER]' (shown as a block quote)"])
  }

  @Test func titles() {
    #expect(CalloutKind.important.title == "Important")
    #expect(CalloutKind.note.title == "Note")
  }
}

@Suite struct MarkdownLintTests {
  @Test func taskListsFootnotesAndRawHTMLAreNamed() {
    let text = "- [ ] todo\n- [x] done\n\nA note[^1].\n\n<div>raw</div>\n\nInline <b>bold</b>.\n"
    let problems = MarkdownLint.problems(in: MarkdownParser.parse(text).document, source: text, rawHTMLEscaped: true)
    #expect(
      problems.map(\.message) == [
        "task list items ('- [ ]') are not supported: the box shows as text",
        "task list items ('- [x]') are not supported: the box shows as text",
        "footnotes ('[^1]') are not supported: the marker shows as text",
        "raw HTML '<div>' is shown as text ('raw_html: escape' in guide.yml)",
        "raw HTML '<b>' is shown as text ('raw_html: escape' in guide.yml)",
      ])
    #expect(problems[2].location == Loc(line: 4, column: 7))
    #expect(problems[4].location == Loc(line: 8, column: 8))
    #expect(problems.allSatisfy { $0.severity == .warning })
  }

  /// A footnote marker: the first `[^` with a `]` anywhere after it, at the `[`.
  @Test(
    arguments: [
      ("A note[^1].", 7), ("[^]", 1), ("x [[^a] y", 4), ("é [^n]", 4), ("no marker [^ here", nil), ("a ] b [^", nil), ("[ ^1]", nil),
    ] as [(String, Int?)])
  func aFootnoteMarkerIsFoundAtItsBracket(text: String, column: Int?) {
    let problems = MarkdownLint.problems(in: MarkdownParser.parse(text + "\n").document, source: text + "\n", rawHTMLEscaped: true)
    #expect(problems.first { $0.message.hasPrefix("footnotes") }?.location.column == column)
  }

  @Test func rawHTMLIsFineWhenAllowed() {
    let text = "<div>raw</div>\n"
    #expect(MarkdownLint.problems(in: MarkdownParser.parse(text).document, source: text, rawHTMLEscaped: false).isEmpty)
  }
}

@Suite struct ColumnEditsTests {
  @Test func mapsInsertionsAndRemovalsBack() {
    // "ab" + inserted "XY" at 3 + "cd": columns 3 and 4 map to 3, 5 maps to 3 (c).
    let insert = ColumnEdits(edits: [(at: 3, length: 2)])
    #expect(insert.source(2) == 2)
    #expect(insert.source(3) == 3)
    #expect(insert.source(4) == 3)
    #expect(insert.source(5) == 3)
    #expect(insert.source(6) == 4)
    // "a\|b" edited to "a|b": the pipe (edited column 2) was at source column 3.
    let removal = ColumnEdits(edits: [(at: 2, length: -1)])
    #expect(removal.source(1) == 1)
    #expect(removal.source(2) == 3)
    #expect(removal.source(3) == 4)
  }
}

@Suite struct MarkdownExtensionsRobustnessTests {
  /// Random documents made of the characters the recognisers care about: nothing may crash, and
  /// every position must stay inside the document.
  @Test func randomInputNeverCrashes() {
    var generator = SplitMix(seed: 14)
    let alphabet = Array("$$||\\`*_[]!>-:^{} \n\n\nab1(#").map(String.init)
    for _ in 0..<3_000 {
      let length = Int(generator.next() % 80)
      let text = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }.joined()
      let result = MarkdownParser.parse(text)
      let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
      _ = MarkdownLint.problems(in: result.document, source: text, rawHTMLEscaped: true)
      for node in nodes(in: result.document, where: { _ in true }) {
        #expect(node.range.start.line >= 1 && node.range.start.line <= max(lineCount, 1), "\(text.debugDescription)")
      }
    }
  }

  @Test func aParagraphOfDollarsIsLinear() {
    let text = String(repeating: "$a ", count: 20_000) + "\n"
    let start = ContinuousClock.now
    #expect(maths(text).isEmpty)
    #expect(ContinuousClock.now - start < .seconds(5))
  }
}

/// A small deterministic random generator for the tests.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
