import Foundation
import Testing

@testable import GuideKit

/// The text a browser shows for highlighted HTML: tags dropped, entities decoded.
func visibleText(ofHTML html: String) -> String {
  var out = ""
  var inTag = false
  for ch in html {
    if ch == "<" { inTag = true; continue }
    if ch == ">" && inTag { inTag = false; continue }
    if !inTag { out.append(ch) }
  }
  return out.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
    .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
    .replacingOccurrences(of: "&amp;", with: "&")
}

@Suite struct SwiftHighlighterTests {
  static let samples: [String] = [
    "let x = 1",
    "func iou(_ a: Box, _ b: Box) -> Double { return 0.5 }",
    "print(\"IoU: \\(f3(iou(a, b))) and \\(x)\")",
    "// a comment with \"quotes\" & <tags>\nlet y = 2",
    "/* outer /* nested */ still comment */ var z = 3",
    "let raw = #\"C:\\path \\#(x) \"quoted\"\"#",
    "let multi = \"\"\"\n  line one \\(a + b)\n  \"\"\"\n",
    "@MainActor struct S: Sendable { @Published var v: [Int] = [] }\n#if DEBUG\n#endif",
    "let unterminated = \"no end\nlet next = 1",
    "let é = \"café ✓ 🚗\" // ünïcödé",
    "let s = \"\\(\"nested \\(1)\")\"",
    "x <<= 2; y = a ?? b ... c ..< d",
    "\"\\(",
    "#",
    "",
    "0x1F 1_000 3.14e-2 .5",
    "`class` = 1",
  ]

  @Test(arguments: samples)
  func everyCharacterAppearsExactlyOnceInTheOutput(source: String) {
    let tokens = SwiftHighlighter.tokenize(source)
    #expect(tokens.map(\.text).joined() == source, "tokens cover the source exactly once")
    #expect(visibleText(ofHTML: SwiftHighlighter.html(source)) == source, "the visible HTML text is the source")
  }

  @Test func classifiesKeywordsTypesAndNumbers() {
    let tokens = SwiftHighlighter.tokenize("let box: Box = make(42)")
    #expect(tokens.contains(.init(kind: .keyword, text: "let")))
    #expect(tokens.contains(.init(kind: .type, text: "Box")))
    #expect(tokens.contains(.init(kind: .number, text: "42")))
    #expect(tokens.contains(.init(kind: .function, text: "make")))
    #expect(!tokens.contains { $0.kind == .keyword && $0.text == "box" })
  }

  @Test func classifiesComments() {
    let tokens = SwiftHighlighter.tokenize("let a = 1 // trailing note\n/* block */")
    #expect(tokens.contains(.init(kind: .comment, text: "// trailing note")))
    #expect(tokens.contains(.init(kind: .comment, text: "/* block */")))
  }

  @Test func splitsStringInterpolationIntoStringAndCodeTokens() {
    let tokens = SwiftHighlighter.tokenize("\"a \\(count) b\"")
    #expect(tokens.first == .init(kind: .string, text: "\"a \\"))
    #expect(tokens.last == .init(kind: .string, text: " b\""))
    #expect(tokens.contains(.init(kind: .punctuation, text: "(")))
    #expect(!tokens.contains { $0.kind == .string && $0.text.contains("count") }, "the interpolated expression is code")
  }

  @Test func htmlEscapesEverythingAndWrapsTokensInSpans() {
    let html = SwiftHighlighter.html("let s = \"<script>\" // </span>")
    #expect(html.contains("<span class=\"tok-keyword\">let</span>"))
    #expect(html.contains("&lt;script&gt;"))
    #expect(!html.contains("<script>"))
    #expect(!html.contains("// </span>"))
  }
}
