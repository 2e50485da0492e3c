import Testing

@testable import GuideKit

@Suite struct PythonHighlighterTests {
  static let samples = [
    "def nms(boxes, scores, iou_thr):\n    keep = []  # kept indexes\n    return keep\n",
    "x = f\"{a!r} and {b}\" + rb'\\x00' + '''multi\nline''' + \"unterminated",
    "@torch.no_grad()\nclass Net(nn.Module):\n    pass\n",
    "y = 1e-3 * 0x1F + .5 - 3.0e+2 ** 2 // 7 <= 8 != 9",
    "",
    "\"\"\"never closed",
  ]

  @Test(arguments: samples)
  func everyCharacterAppearsExactlyOnce(source: String) {
    #expect(PythonHighlighter.tokenize(source).map(\.text).joined() == source)
  }

  @Test func classifiesKeywordsCallsCommentsStringsAndDecorators() {
    let tokens = PythonHighlighter.tokenize("@torch.no_grad()\ndef f(x):  # note\n    return Box(x, 'a', 0.5)")
    #expect(tokens.contains(.init(kind: .attribute, text: "@torch.no_grad")))
    #expect(tokens.contains(.init(kind: .keyword, text: "def")))
    #expect(tokens.contains(.init(kind: .function, text: "f")))
    #expect(tokens.contains(.init(kind: .comment, text: "# note")))
    #expect(tokens.contains(.init(kind: .keyword, text: "return")))
    #expect(tokens.contains(.init(kind: .function, text: "Box")))
    #expect(tokens.contains(.init(kind: .string, text: "'a'")))
    #expect(tokens.contains(.init(kind: .number, text: "0.5")))
  }

  @Test func prefixedAndTripleQuotedStringsAreOneToken() {
    let tokens = PythonHighlighter.tokenize("s = f\"{x}\" + '''a\n'b'\n'''")
    #expect(tokens.contains(.init(kind: .string, text: "f\"{x}\"")))
    #expect(tokens.contains(.init(kind: .string, text: "'''a\n'b'\n'''")))
  }

  @Test func htmlIsEscaped() {
    let html = PythonHighlighter.html("print('<script>')  # </span>")
    #expect(html.contains("&lt;script&gt;"))
    #expect(!html.contains("<script>"))
    #expect(html.contains("<span class=\"tok-function\">print</span>"))
  }
}
