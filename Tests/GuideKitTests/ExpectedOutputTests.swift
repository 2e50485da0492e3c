import Markdown
import Testing

@testable import GuideKit

@Suite struct ExpectedOutputTests {
  func expected(_ text: String) -> ExpectedOutput {
    let (expected, diagnostics) = ExpectedOutput.parse(text, displayPath: "Guide/snippets/x.expected")
    #expect(diagnostics.isEmpty, "\(diagnostics)")
    return expected
  }

  @Test func exactOutputMatches() throws {
    let result = expected("a\nb c\n").match("a\nb c\n")
    let lines = try result.get()
    #expect(lines == [[.init(text: "a", isMeasured: false)], [.init(text: "b c", isMeasured: false)]])
  }

  @Test func aMissingFinalNewlineStillMatches() {
    #expect((try? expected("a\nb\n").match("a\nb").get()) != nil)
  }

  @Test func measuredMarksThePieceItMatched() throws {
    let lines = try expected("took {{measured}} ms on {{measured}}\n").match("took 12.5 ms on Intel(R) Xeon\n").get()
    #expect(
      lines == [
        [
          .init(text: "took ", isMeasured: false), .init(text: "12.5", isMeasured: true), .init(text: " ms on ", isMeasured: false),
          .init(text: "Intel(R) Xeon", isMeasured: true),
        ]
      ])
  }

  @Test func measuredMatchesEmptyText() {
    #expect((try? expected("x{{measured}}y\n").match("xy\n").get()) != nil)
  }

  @Test(arguments: ["0.912", "0.907", "0.917", "0.9123", "9.12e-1"])
  func toleranceAcceptsNumbersInsideTheRange(actual: String) {
    #expect((try? expected("mAP: {{0.912 ± 0.005}}\n").match("mAP: \(actual)\n").get()) != nil)
  }

  @Test(arguments: ["0.906", "0.918", "1.0", "-0.912", "abc"])
  func toleranceRejectsNumbersOutsideTheRange(actual: String) {
    #expect((try? expected("mAP: {{0.912 ± 0.005}}\n").match("mAP: \(actual)\n").get()) == nil)
  }

  @Test func plusMinusSpellingWorksToo() {
    let e = expected("v={{10 +- 1}} done\n")
    #expect((try? e.match("v=10.9 done\n").get()) != nil)
    #expect((try? e.match("v=8.9 done\n").get()) == nil)
  }

  @Test func mismatchReportsTheLineAndADiff() throws {
    let result = expected("one\ntwo\nthree\nfour\n").match("one\ntwo\nTHREE\nfour\n")
    guard case .failure(let mismatch) = result else {
      Issue.record("expected a mismatch")
      return
    }
    #expect(mismatch.line == 3)
    #expect(mismatch.diff.first == "first difference at output line 3:")
    #expect(mismatch.diff.contains("- three"))
    #expect(mismatch.diff.contains("+ THREE"))
    #expect(mismatch.diff.contains("  two"))
  }

  @Test func extraOrMissingLinesAreMismatches() {
    guard case .failure(let longer) = expected("a\n").match("a\nb\n") else {
      Issue.record("extra output must not match")
      return
    }
    #expect(longer.diff.contains("- (end of expected output)"))
    #expect(longer.diff.contains("+ b"))
    guard case .failure(let shorter) = expected("a\nb\n").match("a\n") else {
      Issue.record("missing output must not match")
      return
    }
    #expect(shorter.line == 2)
    #expect(shorter.diff.contains("+ (end of actual output)"))
  }

  @Test func malformedPatternsAreDiagnosedWithTheirColumn() {
    let (_, unclosed) = ExpectedOutput.parse("ok\nvalue {{measured\n", displayPath: "e.expected")
    #expect(unclosed.map(\.description) == ["e.expected:2:7: error: '{{' without '}}'"])
    let (_, unknown) = ExpectedOutput.parse("x {{fast}}\n", displayPath: "e.expected")
    #expect(unknown.map(\.description) == ["e.expected:1:3: error: unknown pattern '{{fast}}'"])
  }
}
