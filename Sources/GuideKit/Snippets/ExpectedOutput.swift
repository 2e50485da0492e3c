import Foundation
import Markdown

/// A snippet's declared output (`NAME.expected`): exact lines, with `{{measured}}` for
/// machine-dependent text and `{{0.912 ± 0.005}}` for numbers within a tolerance.
public struct ExpectedOutput: Sendable, Hashable {
  public enum Segment: Sendable, Hashable {
    case literal(String)
    case measured
    case approximately(value: Double, tolerance: Double)
  }

  public var displayPath: String
  public var lines: [[Segment]]

  /// One piece of an actual output line, after matching: measured parts are marked.
  public struct MatchedPiece: Sendable, Hashable {
    public var text: String
    public var isMeasured: Bool
  }

  public init(displayPath: String, lines: [[Segment]]) {
    self.displayPath = displayPath
    self.lines = lines
  }

  public static func parse(_ text: String, displayPath: String) -> (ExpectedOutput, [Diagnostic]) {
    var diagnostics: [Diagnostic] = []
    var rawLines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if rawLines.last == "" { rawLines.removeLast() }
    var lines: [[Segment]] = []
    for (index, line) in rawLines.enumerated() {
      var segments: [Segment] = []
      var rest = Substring(line)
      while let open = rest.range(of: "{{") {
        if !rest[..<open.lowerBound].isEmpty { segments.append(.literal(String(rest[..<open.lowerBound]))) }
        guard let close = rest[open.upperBound...].range(of: "}}") else {
          let column = line.utf8.count - rest[open.lowerBound...].utf8.count + 1
          diagnostics.append(
            .error(
              displayPath, SourceLocation(line: index + 1, column: column), "'{{' without '}}'",
              hint: "write {{measured}} or {{0.91 ± 0.01}}"))
          rest = rest[rest.endIndex...]
          break
        }
        let inner = rest[open.upperBound..<close.lowerBound].trimmedSpaces
        if inner == "measured" {
          segments.append(.measured)
        } else if let segment = approximate(inner) {
          segments.append(segment)
        } else {
          let column = line.utf8.count - rest[open.lowerBound...].utf8.count + 1
          diagnostics.append(
            .error(
              displayPath, SourceLocation(line: index + 1, column: column), "unknown pattern '{{\(inner)}}'",
              hint: "use {{measured}} or {{VALUE ± TOLERANCE}}"))
        }
        rest = rest[close.upperBound...]
      }
      if !rest.isEmpty { segments.append(.literal(String(rest))) }
      lines.append(segments)
    }
    return (ExpectedOutput(displayPath: displayPath, lines: lines), diagnostics)
  }

  static func approximate(_ inner: String) -> Segment? {
    let parts = inner.components(separatedBy: "±").count == 2 ? inner.components(separatedBy: "±") : inner.components(separatedBy: "+-")
    guard parts.count == 2, let value = Double(parts[0].trimmedSpaces),
      let tolerance = Double(parts[1].trimmedSpaces), tolerance >= 0
    else { return nil }
    return .approximately(value: value, tolerance: tolerance)
  }

  /// Matches the actual output. On success, the lines split into measured and plain pieces; on
  /// failure, the first mismatching line (1-based, in the expected file) and a diff.
  public func match(_ output: String) -> Result<[[MatchedPiece]], Mismatch> {
    var actual = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if actual.last == "" { actual.removeLast() }
    var matched: [[MatchedPiece]] = []
    for index in 0..<max(actual.count, lines.count) {
      guard index < lines.count, index < actual.count, let pieces = Self.match(line: actual[index], segments: lines[index]) else {
        return .failure(Mismatch(line: min(index, max(lines.count - 1, 0)) + 1, diff: diff(actual: actual, at: index)))
      }
      matched.append(pieces)
    }
    return .success(matched)
  }

  public struct Mismatch: Error, Sendable, Hashable {
    public var line: Int
    public var diff: [String]
  }

  func render(_ segments: [Segment]) -> String {
    segments.map {
      switch $0 {
      case .literal(let s): return s
      case .measured: return "{{measured}}"
      case .approximately(let v, let t): return "{{\(v) ± \(t)}}"
      }
    }.joined()
  }

  func diff(actual: [String], at index: Int) -> [String] {
    var out = ["first difference at output line \(index + 1):"]
    let from = max(0, index - 2)
    let to = min(max(actual.count, lines.count), index + 3)
    for i in from..<to {
      let e = i < lines.count ? render(lines[i]) : nil
      let a = i < actual.count ? actual[i] : nil
      if e == a || (i != index && e != nil && a != nil && Self.match(line: a!, segments: lines[i]) != nil) {
        out.append("  " + (a ?? ""))
      } else {
        if let e { out.append("- " + e) } else { out.append("- (end of expected output)") }
        if let a { out.append("+ " + a) } else { out.append("+ (end of actual output)") }
      }
    }
    return out
  }

  /// Backtracking match of one line against its segments.
  static func match(line: String, segments: [Segment]) -> [MatchedPiece]? {
    let chars = Array(line)
    func go(_ position: Int, _ segmentIndex: Int) -> [MatchedPiece]? {
      if segmentIndex == segments.count { return position == chars.count ? [] : nil }
      switch segments[segmentIndex] {
      case .literal(let literal):
        let lit = Array(literal)
        guard position + lit.count <= chars.count, Array(chars[position..<(position + lit.count)]) == lit else { return nil }
        guard let rest = go(position + lit.count, segmentIndex + 1) else { return nil }
        return [MatchedPiece(text: literal, isMeasured: false)] + rest
      case .measured:
        for end in stride(from: chars.count, through: position, by: -1) {
          if let rest = go(end, segmentIndex + 1) {
            return [MatchedPiece(text: String(chars[position..<end]), isMeasured: true)] + rest
          }
        }
        return nil
      case .approximately(let value, let tolerance):
        var end = position
        while end < chars.count, "+-0123456789.eE".contains(chars[end]) { end += 1 }
        while end > position {
          if let number = Double(String(chars[position..<end])), abs(number - value) <= tolerance + 1e-12,
            let rest = go(end, segmentIndex + 1)
          {
            return [MatchedPiece(text: String(chars[position..<end]), isMeasured: false)] + rest
          }
          end -= 1
        }
        return nil
      }
    }
    return go(0, 0)
  }
}
