import Foundation

/// Heading ids and file slugs: lower-case ASCII letters and digits, everything else collapsed to `-`.
public enum Slug {
  /// `## COCO mAP @[.5:.95]` → `coco-map-5-95`. Diacritics are folded (`Ré` → `re`).
  public static func make(_ text: String) -> String {
    // Plain ASCII (nearly every heading): no transform needed, byte by byte.
    if text.utf8.allSatisfy({ $0 < 0x80 }) {
      var bytes: [UInt8] = []
      var pendingDash = false
      for byte in text.utf8 {
        let lower = byte >= 65 && byte <= 90 ? byte + 32 : byte
        if (lower >= 97 && lower <= 122) || (lower >= 48 && lower <= 57) {
          if pendingDash && !bytes.isEmpty { bytes.append(45) }
          pendingDash = false
          bytes.append(lower)
        } else {
          pendingDash = true
        }
      }
      return bytes.isEmpty ? "section" : String(decoding: bytes, as: UTF8.self)
    }
    let folded = text.applyingTransform(.stripDiacritics, reverse: false) ?? text
    var out = ""
    var pendingDash = false
    for scalar in folded.lowercased().unicodeScalars {
      let isASCIIAlnum = (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9")
      if isASCIIAlnum || (scalar.properties.isAlphabetic && scalar.value > 127) {
        if pendingDash && !out.isEmpty { out += "-" }
        pendingDash = false
        out.unicodeScalars.append(scalar)
      } else {
        pendingDash = true
      }
    }
    return out.isEmpty ? "section" : out
  }

  /// Ids the templates use themselves (every static `id="…"` in Templates/*.mustache, checked by
  /// a test); a heading never takes them.
  public static let reserved: Set<String> = [
    "answer", "home-levels", "home-study", "home-use-case", "level-questions", "main", "not-found-q", "p-backlinks", "p-levels",
    "p-snippets", "q-backlinks", "q-related", "q-snippets", "quiz-answer", "quiz-app", "quiz-card", "quiz-counts", "quiz-done",
    "quiz-done-title", "quiz-framing", "quiz-known", "quiz-link", "quiz-live", "quiz-meta", "quiz-next", "quiz-nojs",
    "quiz-result", "quiz-reveal", "quiz-review", "quiz-setup", "quiz-stop", "quiz-summary", "quiz-title", "search-dropdown",
    "search-form", "search-query", "search-results", "search-status", "search-tag", "site-search", "snippet-output",
    "snippet-run", "snippet-used-by", "u-backlinks", "u-snippets",
  ]

  /// Assigns unique ids in document order: duplicates get `-2`, `-3`, … and reserved ids are skipped.
  public struct Allocator {
    private var used: Set<String> = Slug.reserved
    public init() {}
    public mutating func allocate(_ text: String) -> String {
      let base = Slug.make(text)
      var candidate = base
      var n = 2
      while used.contains(candidate) {
        candidate = "\(base)-\(n)"
        n += 1
      }
      used.insert(candidate)
      return candidate
    }
  }
}
