import Foundation

/// Heading ids and file slugs: lower-case ASCII letters and digits, everything else collapsed to `-`.
public enum Slug {
  /// `## COCO mAP @[.5:.95]` → `coco-map-5-95`. Diacritics are folded (`Ré` → `re`).
  public static func make(_ text: String) -> String {
    // Plain ASCII (nearly every heading): no transform needed, byte by byte.
    if text.utf8.allSatisfy({ $0 < 0x80 }) {
      // At most one byte out per byte in, written straight into the string's storage.
      let slug = String(unsafeUninitializedCapacity: text.utf8.count) { out in
        var count = 0
        var pendingDash = false
        for byte in text.utf8 {
          let lower = byte >= 65 && byte <= 90 ? byte + 32 : byte
          if (lower >= 97 && lower <= 122) || (lower >= 48 && lower <= 57) {
            if pendingDash && count > 0 {
              out[count] = 45
              count += 1
            }
            pendingDash = false
            out[count] = lower
            count += 1
          } else {
            pendingDash = true
          }
        }
        return count
      }
      return slug.isEmpty ? "section" : slug
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

  /// Whether `id` may name a file or folder of the site (level ids, tag ids, snippet names):
  /// ASCII letters, digits, '-' and '_', not starting with '-' or '.'; at most 100 characters.
  public static func isSafePathComponent(_ id: String) -> Bool {
    guard let first = id.utf8.first, first != UInt8(ascii: "-"), id.utf8.count <= 100 else { return false }
    return id.utf8.allSatisfy { byte in
      (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57) || byte == 45 || byte == 95
    }
  }

  /// Ids the templates use themselves (every static `id="…"` in Templates/*.mustache, checked by
  /// a test); a heading never takes them.
  public static let reserved: Set<String> = [
    "answer", "home-levels", "home-study", "home-use-case", "level-questions", "main", "not-found-q", "p-backlinks", "p-levels",
    "p-snippets", "q-backlinks", "q-related", "q-snippets", "quiz-answer", "quiz-app", "quiz-card", "quiz-counts", "quiz-done",
    "quiz-done-title", "quiz-framing", "quiz-known", "quiz-link", "quiz-live", "quiz-meta", "quiz-next", "quiz-nojs",
    "quiz-result", "quiz-reveal", "quiz-review", "quiz-setup", "quiz-stop", "quiz-summary", "quiz-title", "search-dropdown",
    "search-form", "search-query", "search-results", "search-status", "search-tag", "site-search", "snippet-output",
    "snippet-run", "snippet-used-by", "u-backlinks", "u-snippets", "p-anki", "print-contents-title", "quiz-more",
    "quiz-more-row", "snippet-figures", "site-nav", "toc-title", "progress-tools-title",
  ]

  /// Assigns unique ids in document order: duplicates get `-2`, `-3`, … and reserved ids are skipped.
  public struct Allocator {
    private var used: Set<String> = Slug.reserved
    /// Per base id, the first suffix not yet probed: 40,000 identical headings probe each suffix
    /// once in all, not once per heading.
    private var nextSuffix: [String: Int] = [:]
    public init() {}
    public mutating func allocate(_ text: String) -> String {
      let base = Slug.make(text)
      var candidate = base
      if used.contains(candidate) {
        var n = nextSuffix[base] ?? 2
        candidate = "\(base)-\(n)"
        while used.contains(candidate) {
          n += 1
          candidate = "\(base)-\(n)"
        }
        nextSuffix[base] = n + 1
      }
      used.insert(candidate)
      return candidate
    }
  }
}
