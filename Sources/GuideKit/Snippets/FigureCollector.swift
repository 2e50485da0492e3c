import Foundation
import Markdown

/// Collects the figures a snippet saved: every `NAME.svg` in the folder named by
/// `GUIDE_FIGURES_DIR` (NAME: lowercase letters, digits and `-`, starting with a letter or digit),
/// at most 64 files of at most 512 KB each, each an SVG document (`<svg` after optional
/// whitespace and XML declaration). Anything else in the folder is an error at the snippet.
enum FigureCollector {
  /// Part of the snippet cache key: a change of these rules runs the snippets again.
  static let version = 1
  static let maximumCount = 64
  static let maximumBytes = 512 * 1024

  static func collect(_ folder: URL, snippet: Snippet) -> ([SnippetFigure], [Diagnostic]) {
    let fm = FileManager.default
    let entries = ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    var figures: [SnippetFigure] = []
    var problems: [String] = []
    if entries.count > maximumCount {
      problems.append("saved \(entries.count) figures; at most \(maximumCount) are allowed")
    }
    for entry in entries.prefix(maximumCount) {
      let url = folder.appendingPathComponent(entry)
      guard entry.hasSuffix(".svg"), isFigureName(String(entry.dropLast(4))) else {
        problems.append("saved '\(entry)', which is not a figure ('NAME.svg', NAME of lowercase letters, digits and '-')")
        continue
      }
      let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey, .fileSizeKey])
      guard values?.isRegularFile == true, values?.isSymbolicLink != true else {
        problems.append("saved '\(entry)', which is not a regular file")
        continue
      }
      if let size = values?.fileSize, size > maximumBytes {
        problems.append("saved '\(entry)' of \(size / 1024) KB; a figure may have at most \(maximumBytes / 1024) KB")
        continue
      }
      guard let data = try? Data(contentsOf: url), data.count <= maximumBytes,
        let text = String(data: data, encoding: .utf8)
      else {
        problems.append("saved '\(entry)', which is not UTF-8 text of at most \(maximumBytes / 1024) KB")
        continue
      }
      guard startsWithSVG(text) else {
        problems.append("saved '\(entry)', which does not start with '<svg' (after an optional XML declaration)")
        continue
      }
      figures.append(SnippetFigure(name: String(entry.dropLast(4)), svg: text))
    }
    let diagnostics = problems.map {
      Diagnostic.error(
        snippet.displayPath, SourceLocation(line: 1, column: 1), "snippet '\(snippet.name)' \($0)",
        hint: "save figures as GUIDE_FIGURES_DIR/NAME.svg, e.g. Figure.save(…, name: \"pr-curve\")")
    }
    return (figures, diagnostics)
  }

  /// `[a-z0-9][a-z0-9-]*`
  static func isFigureName(_ name: String) -> Bool {
    guard let first = name.utf8.first, isLowerAlnum(first) else { return false }
    return name.utf8.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
  }

  private static func isLowerAlnum(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
  }

  /// `<svg` after optional whitespace and an optional `<?xml …?>` declaration.
  static func startsWithSVG(_ text: String) -> Bool {
    var rest = Substring(text)
    if rest.hasPrefix("\u{FEFF}") { rest = rest.dropFirst() }
    rest = rest.drop { $0.isWhitespace }
    if rest.hasPrefix("<?xml") {
      guard let end = rest.range(of: "?>") else { return false }
      rest = rest[end.upperBound...].drop { $0.isWhitespace }
    }
    guard rest.hasPrefix("<svg") else { return false }
    let after = rest.dropFirst(4).first
    return after == nil || after!.isWhitespace || after == ">" || after == "/"
  }
}
