import Foundation
import Markdown
import Testing

@testable import GuideKit

@Suite struct DiagnosticPrinterTests {
  /// The quoted line: by number from 1, without its line break (LF or CRLF), nil past the end;
  /// a text ending in a line break has an empty last line.
  @Test func quotedLineIsFoundByNumber() {
    let text = "first\r\nsecond é\n\nfourth\n"
    #expect(DiagnosticPrinter.line(1, of: text) == "first")
    #expect(DiagnosticPrinter.line(2, of: text) == "second é")
    #expect(DiagnosticPrinter.line(3, of: text) == "")
    #expect(DiagnosticPrinter.line(4, of: text) == "fourth")
    #expect(DiagnosticPrinter.line(5, of: text) == "")
    #expect(DiagnosticPrinter.line(6, of: text) == nil)
    #expect(DiagnosticPrinter.line(0, of: text) == nil)
    #expect(DiagnosticPrinter.line(1, of: "") == "")
    #expect(DiagnosticPrinter.line(1, of: String(repeating: "x", count: 400))?.count == 300)
  }

  @Test func formatsPathLineColumnSeverityAndMessage() {
    let d = Diagnostic.error("Guide/a.md", SourceLocation(line: 3, column: 8), "unknown level 'juniour'")
    #expect(d.description == "Guide/a.md:3:8: error: unknown level 'juniour'")
    #expect(DiagnosticPrinter().format(d) == "Guide/a.md:3:8: error: unknown level 'juniour'")
    let w = Diagnostic.warning("Guide/b.md", SourceLocation(line: 1, column: 1), "careful")
    #expect(DiagnosticPrinter().format(w) == "Guide/b.md:1:1: warning: careful")
  }

  @Test func quotesTheSourceLineWithACaretAndTheHint() {
    let text = "---\ntitle: X\nlevel: juniour\n---\n"
    let d = Diagnostic.error("Guide/a.md", SourceLocation(line: 3, column: 8), "unknown level 'juniour'", hint: "did you mean 'junior'?")
    let lines = DiagnosticPrinter(sources: ["Guide/a.md": text]).format(d).components(separatedBy: "\n")
    #expect(
      lines == [
        "Guide/a.md:3:8: error: unknown level 'juniour'",
        "    level: juniour",
        "           ^",
        "    hint: did you mean 'junior'?",
      ])
  }

  @Test func caretSitsUnderTheRightCharacterAfterAMultiByteprefix() throws {
    // "Réseau – " has 9 characters but 12 UTF-8 bytes; the link is at byte column 13.
    let line = "Réseau – [x](y.md)"
    let byteColumn = line.utf8.distance(from: line.startIndex, to: try #require(line.firstIndex(of: "["))) + 1
    #expect(byteColumn == 13)
    let d = Diagnostic.error("p.md", SourceLocation(line: 2, column: byteColumn), "broken link")
    let lines = DiagnosticPrinter(sources: ["p.md": "first\n" + line + "\n"]).format(d).components(separatedBy: "\n")
    #expect(lines.count == 3)
    #expect(lines[1] == "    " + line)
    let caret = try #require(lines[2].firstIndex(of: "^"))
    let caretOffset = lines[2].distance(from: lines[2].startIndex, to: caret)
    let bracketOffset = lines[1].distance(from: lines[1].startIndex, to: try #require(lines[1].firstIndex(of: "[")))
    #expect(caretOffset == bracketOffset)
  }

  @Test func notesFollowTheHint() {
    let d = Diagnostic.error("s.expected", SourceLocation(line: 1, column: 1), "mismatch", hint: "fix it", notes: ["- a", "+ b"])
    let text = DiagnosticPrinter(sources: ["s.expected": "a\nb\n"]).format(d)
    #expect(text == "s.expected:1:1: error: mismatch\n    a\n    ^\n    hint: fix it\n    - a\n    + b")
  }

  @Test
  func quotesOneLineOfACRLFSource() {
    let d = Diagnostic.error("t.mustache", SourceLocation(line: 2, column: 1), "bad")
    let text = DiagnosticPrinter(sources: ["t.mustache": "a\r\nb\r\nc\r\n"]).format(d)
    #expect(text == "t.mustache:2:1: error: bad\n    b\n    ^")
  }

  @Test func lineOutsideTheFileIsNotQuoted() {
    let d = Diagnostic.error("a.md", SourceLocation(line: 40, column: 1), "far away")
    #expect(DiagnosticPrinter(sources: ["a.md": "one line\n"]).format(d) == "a.md:40:1: error: far away")
  }

  @Test func colorIsOnlyUsedWhenAsked() {
    let d = Diagnostic.error("a.md", SourceLocation(line: 1, column: 1), "x")
    #expect(!DiagnosticPrinter(useColor: false).format(d).contains("\u{1B}"))
    #expect(DiagnosticPrinter(useColor: true).format(d).contains("\u{1B}[1;31merror\u{1B}[0m"))
  }

  @Test func jsonIsParseableAndComplete() throws {
    let ds = [
      Diagnostic.error("a.md", SourceLocation(line: 2, column: 3), "bad \"quoted\" thing", hint: "h"),
      Diagnostic.warning("b/c.md", SourceLocation(line: 1, column: 1), "w"),
    ]
    let data = Data(DiagnosticPrinter.json(ds).utf8)
    let array = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    #expect(array.count == 2)
    #expect(array[0]["path"] as? String == "a.md")
    #expect(array[0]["line"] as? Int == 2)
    #expect(array[0]["column"] as? Int == 3)
    #expect(array[0]["severity"] as? String == "error")
    #expect(array[0]["message"] as? String == "bad \"quoted\" thing")
    #expect(array[0]["hint"] as? String == "h")
    #expect(array[1]["path"] as? String == "b/c.md")
    #expect(array[1]["severity"] as? String == "warning")
  }

  @Test func diagnosticsSortByPathThenPositionErrorsFirst() {
    let ds = [
      Diagnostic.warning("b.md", SourceLocation(line: 1, column: 1), "w"),
      Diagnostic.error("a.md", SourceLocation(line: 5, column: 1), "late"),
      Diagnostic.warning("a.md", SourceLocation(line: 2, column: 1), "w"),
      Diagnostic.error("a.md", SourceLocation(line: 2, column: 1), "e"),
    ].sorted()
    #expect(ds.map(\.description) == ["a.md:2:1: error: e", "a.md:2:1: warning: w", "a.md:5:1: error: late", "b.md:1:1: warning: w"])
    #expect(ds.errorCount == 2)
    #expect(ds.warningCount == 2)
    #expect(ds.hasErrors)
  }
}
