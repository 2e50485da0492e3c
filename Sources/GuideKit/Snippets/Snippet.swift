import Foundation
import Markdown

/// A runnable Swift program in `Guide/snippets/`, with its markers read.
public struct Snippet: Sendable, Hashable {
  public var name: String
  /// `snippets/iou.swift`
  public var sourcePath: String
  public var displayPath: String
  public var source: String
  public var title: String
  /// Shared files it names directly (`Box.swift`).
  public var uses: [String]
  public var usesLocation: SourceLocation
  public var timeout: Double
  /// The source a reader sees: hidden regions and marker lines removed.
  public var visibleSource: String
  /// Named slices: name → visible text.
  public var slices: [String: String]
  public var expected: ExpectedOutput?

  /// The page the snippet gets in the site.
  public var outputPath: String { "snippets/\(name).html" }
}

/// A shared file in `Guide/snippets/Shared/`.
public struct SharedSnippetFile: Sendable, Hashable {
  public var fileName: String
  public var displayPath: String
  public var source: String
  public var uses: [String]
  public var usesLocation: SourceLocation
}

/// Reads snippet headers (`// snippet.title:`, `// snippet.uses:`, `// snippet.timeout:`) and
/// markers (`// snippet.hide`, `// snippet.show`, `// snippet.NAME` … `// snippet.end`).
public enum SnippetParser {
  static let defaultTimeout: Double = 60

  public struct Header {
    var title: String?
    var uses: [String] = []
    var usesLocation = SourceLocation(line: 1, column: 1)
    var timeout: Double?
    var timeoutLocation = SourceLocation(line: 1, column: 1)
  }

  static func header(of source: String) -> Header {
    var header = Header()
    for (index, raw) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.trimmedSpaces
      if line.isEmpty { continue }
      guard line.hasPrefix("//") else { break }
      let comment = line.dropFirst(2).trimmedSpaces
      if comment.hasPrefix("snippet.title:") {
        header.title = comment.dropFirst("snippet.title:".count).trimmedSpaces
      } else if comment.hasPrefix("snippet.uses:") {
        header.uses += comment.dropFirst("snippet.uses:".count).split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        header.usesLocation = SourceLocation(line: index + 1, column: 1)
      } else if comment.hasPrefix("snippet.timeout:") {
        header.timeout = Double(comment.dropFirst("snippet.timeout:".count).trimmedSpaces) ?? -1
        header.timeoutLocation = SourceLocation(line: index + 1, column: 1)
      }
    }
    return header
  }

  static func parse(_ file: SourceFile) -> (Snippet, [Diagnostic]) {
    var diagnostics: [Diagnostic] = []
    let name = ((file.relativePath as NSString).lastPathComponent as NSString).deletingPathExtension
    let header = header(of: file.text)
    var timeout = defaultTimeout
    if let t = header.timeout {
      if t > 0 && t <= 3600 {
        timeout = t
      } else {
        diagnostics.append(
          .error(file.displayPath, header.timeoutLocation, "snippet.timeout must be a number of seconds between 1 and 3600"))
      }
    }
    var visible: [String] = []
    var slices: [String: [String]] = [:]
    var openSlices: [(String, SourceLocation)] = []
    var hidden = false
    var hideLocation = SourceLocation(line: 1, column: 1)
    for (index, raw) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = String(raw)
      let trimmed = line.trimmedSpaces
      let location = SourceLocation(line: index + 1, column: 1)
      if trimmed.hasPrefix("//") {
        let marker = trimmed.dropFirst(2).trimmedSpaces
        if marker.hasPrefix("snippet.title:") || marker.hasPrefix("snippet.uses:") || marker.hasPrefix("snippet.timeout:") {
          continue
        }
        if marker == "snippet.hide" {
          hidden = true
          hideLocation = location
          continue
        }
        if marker == "snippet.show" {
          hidden = false
          continue
        }
        if marker == "snippet.end" {
          if openSlices.isEmpty {
            diagnostics.append(
              .error(file.displayPath, location, "'snippet.end' without an open slice", hint: "start a slice with '// snippet.NAME'"))
          } else {
            openSlices.removeLast()
          }
          continue
        }
        if marker.hasPrefix("snippet."), !marker.contains(" "), !marker.contains(":") {
          let sliceName = String(marker.dropFirst("snippet.".count))
          if sliceName.isEmpty || !sliceName.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            diagnostics.append(.error(file.displayPath, location, "bad slice name '\(sliceName)'", hint: "use letters, digits, '-' or '_'"))
          } else if slices[sliceName] != nil {
            diagnostics.append(
              .error(file.displayPath, location, "slice '\(sliceName)' is defined twice", hint: "give each slice its own name"))
            openSlices.append(("\u{0}duplicate", location))
          } else {
            slices[sliceName] = []
            openSlices.append((sliceName, location))
          }
          continue
        }
      }
      if hidden { continue }
      visible.append(line)
      for (slice, _) in openSlices { slices[slice]?.append(line) }
    }
    for (slice, location) in openSlices where !slice.hasPrefix("\u{0}") {
      diagnostics.append(
        .error(file.displayPath, location, "slice '\(slice)' is not closed", hint: "add '// snippet.end' after its last line"))
    }
    if hidden {
      diagnostics.append(
        .warning(
          file.displayPath, hideLocation, "'snippet.hide' is never followed by 'snippet.show'",
          hint: "the rest of the file is hidden on the page"))
    }
    let snippet = Snippet(
      name: name, sourcePath: file.relativePath, displayPath: file.displayPath, source: file.text,
      title: header.title ?? name, uses: header.uses, usesLocation: header.usesLocation, timeout: timeout,
      visibleSource: trimBlankLines(visible).joined(separator: "\n"),
      slices: slices.mapValues { dedent(trimBlankLines($0)).joined(separator: "\n") }, expected: nil)
    return (snippet, diagnostics)
  }

  static func parseShared(_ file: SourceFile) -> SharedSnippetFile {
    let header = header(of: file.text)
    return SharedSnippetFile(
      fileName: (file.relativePath as NSString).lastPathComponent, displayPath: file.displayPath, source: file.text,
      uses: header.uses, usesLocation: header.usesLocation)
  }

  static func trimBlankLines(_ lines: [String]) -> [String] {
    var lines = lines
    while let first = lines.first, first.trimmedSpaces.isEmpty { lines.removeFirst() }
    while let last = lines.last, last.trimmedSpaces.isEmpty { lines.removeLast() }
    return lines
  }

  static func dedent(_ lines: [String]) -> [String] {
    let indents = lines.filter { !$0.trimmedSpaces.isEmpty }.map { $0.prefix(while: { $0 == " " }).count }
    let cut = indents.min() ?? 0
    return lines.map { $0.count >= cut ? String($0.dropFirst(cut)) : $0.trimmedSpaces }
  }
}
