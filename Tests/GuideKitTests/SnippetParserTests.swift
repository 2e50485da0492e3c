import Markdown
import Testing

@testable import GuideKit

@Suite struct SnippetParserTests {
  static let source = """
    // snippet.title: Intersection over union
    // snippet.uses: Box.swift, IoU.swift
    // snippet.timeout: 5

    // snippet.hide
    import Foundation
    func helper() {}
    // snippet.show
    let a = 1
    // snippet.core
    func f() {
      print(a)
    }
    // snippet.end
    print("done")
    """

  func parse(_ text: String, name: String = "iou") -> (Snippet, [Diagnostic]) {
    SnippetParser.parse(SourceFile(relativePath: "snippets/\(name).swift", displayPath: "Guide/snippets/\(name).swift", text: text))
  }

  @Test func readsTheHeader() {
    let (snippet, diagnostics) = parse(Self.source)
    #expect(diagnostics.isEmpty)
    #expect(snippet.name == "iou")
    #expect(snippet.title == "Intersection over union")
    #expect(snippet.uses == ["Box.swift", "IoU.swift"])
    #expect(snippet.usesLocation == SourceLocation(line: 2, column: 1))
    #expect(snippet.timeout == 5)
    #expect(snippet.outputPath == "snippets/iou.html")
  }

  @Test func hidesLinesBetweenHideAndShowAndDropsMarkers() {
    let (snippet, _) = parse(Self.source)
    #expect(snippet.visibleSource == "let a = 1\nfunc f() {\n  print(a)\n}\nprint(\"done\")")
    #expect(!snippet.visibleSource.contains("snippet."))
    #expect(!snippet.visibleSource.contains("import Foundation"))
    #expect(snippet.source == Self.source, "the compiled source keeps every line")
  }

  @Test func collectsNamedSlices() {
    let (snippet, _) = parse(Self.source)
    #expect(snippet.slices == ["core": "func f() {\n  print(a)\n}"])
  }

  @Test func dedentsIndentedSlices() {
    let (snippet, _) = parse("do {\n  // snippet.inner\n    let x = 1\n    print(x)\n  // snippet.end\n}\n")
    #expect(snippet.slices["inner"] == "let x = 1\nprint(x)")
  }

  @Test func defaultsTitleToTheNameAndTimeoutTo60() {
    let (snippet, diagnostics) = parse("print(1)\n", name: "plain")
    #expect(diagnostics.isEmpty)
    #expect(snippet.title == "plain")
    #expect(snippet.timeout == 60)
    #expect(snippet.uses.isEmpty)
  }

  @Test func headerEndsAtTheFirstCodeLine() {
    let (snippet, _) = parse("print(1)\n// snippet.title: Too late\n", name: "late")
    #expect(snippet.title == "late")
  }

  @Test(arguments: [
    (
      "// snippet.timeout: 0\nprint(1)\n",
      "Guide/snippets/iou.swift:1:1: error: snippet.timeout must be a number of seconds between 1 and 3600"
    ),
    (
      "// snippet.timeout: soon\nprint(1)\n",
      "Guide/snippets/iou.swift:1:1: error: snippet.timeout must be a number of seconds between 1 and 3600"
    ),
    ("print(1)\n// snippet.end\n", "Guide/snippets/iou.swift:2:1: error: 'snippet.end' without an open slice"),
    ("// snippet.a\nprint(1)\n", "Guide/snippets/iou.swift:1:1: error: slice 'a' is not closed"),
    ("// snippet.a\n// snippet.end\n// snippet.a\nprint(1)\n", "Guide/snippets/iou.swift:3:1: error: slice 'a' is defined twice"),
    ("// snippet.hide\nprint(1)\n", "Guide/snippets/iou.swift:1:1: warning: 'snippet.hide' is never followed by 'snippet.show'"),
  ])
  func diagnosesBadMarkers(text: String, diagnostic: String) {
    let (_, diagnostics) = parse(text)
    #expect(diagnostics.map(\.description) == [diagnostic])
  }

  @Test func readsSharedFileDependencies() {
    let shared = SnippetParser.parseShared(
      SourceFile(
        relativePath: "snippets/Shared/IoU.swift", displayPath: "Guide/snippets/Shared/IoU.swift",
        text: "// snippet.uses: Box.swift\nfunc iou() {}\n"))
    #expect(shared.fileName == "IoU.swift")
    #expect(shared.uses == ["Box.swift"])
  }
}
