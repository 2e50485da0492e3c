import Foundation
import Markdown

/// Decoding a file's bytes into text, with the problems a teacher's editor can cause.
enum SourceText {
  struct Decoded {
    var text: String
    var diagnostics: [Diagnostic]
  }

  /// UTF-8 only. A byte-order mark is dropped with a warning; CRLF and lone CR become LF;
  /// invalid bytes are an error at the first bad byte.
  static func decode(_ bytes: [UInt8], path: String) -> Decoded? {
    var bytes = bytes
    var diagnostics: [Diagnostic] = []
    // UTF-16 (what some Windows editors call "Unicode"): said as such, its NUL bytes never echoed.
    let isUTF16 =
      bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
      || (bytes.count >= 4 && (bytes[1] == 0 && bytes[3] == 0 || bytes[0] == 0 && bytes[2] == 0))
    if isUTF16 {
      return Decoded(
        text: "",
        diagnostics: [
          .error(
            path, SourceLocation(line: 1, column: 1), "file is UTF-16 encoded; the guide reads UTF-8 only",
            hint: "re-save the file as UTF-8 (in most editors: Save As, encoding UTF-8)")
        ])
    }
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
      bytes.removeFirst(3)
      diagnostics.append(
        .warning(
          path, SourceLocation(line: 1, column: 1), "file starts with a UTF-8 byte-order mark; it was ignored",
          hint: "save the file as UTF-8 without BOM"))
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      let location = firstInvalidByte(in: bytes)
      diagnostics.append(
        .error(
          path, location, "file is not valid UTF-8",
          hint: "re-save the file with UTF-8 encoding (the first invalid byte is here)"))
      return Decoded(text: "", diagnostics: diagnostics)
    }
    var normalized = text
    if normalized.utf8.contains(13) {
      normalized = normalized.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(
        of: "\r", with: "\n")
    }
    return Decoded(text: normalized, diagnostics: diagnostics)
  }

  static func firstInvalidByte(in bytes: [UInt8]) -> SourceLocation {
    var line = 1
    var lineStart = 0
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      var length = 0
      if b < 0x80 {
        length = 1
      } else if b & 0xE0 == 0xC0 {
        length = 2
      } else if b & 0xF0 == 0xE0 {
        length = 3
      } else if b & 0xF8 == 0xF0 {
        length = 4
      }
      if length == 0 || i + length > bytes.count
        || String(validating: bytes[i..<(i + length)], as: UTF8.self) == nil
      {
        return SourceLocation(line: line, column: i - lineStart + 1)
      }
      if b == 10 {
        line += 1
        lineStart = i + 1
      }
      i += length
    }
    return SourceLocation(line: line, column: 1)
  }
}
