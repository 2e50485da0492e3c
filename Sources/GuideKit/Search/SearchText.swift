import Foundation

/// Text analysis for the search index: folding, word splitting, stop words and a light stemmer.
///
/// `Templates/assets/search.js` implements exactly the same rules (functions `fold`, `analyze`,
/// `stem`); `Tests/JavaScript/fixtures/search-text-cases.json` is checked against both sides so
/// they cannot drift. The rules are documented in docs/search.md.
enum SearchText {
  struct Token: Equatable, Sendable {
    /// The stem, or the folded word itself for stop words.
    var term: String
    var isStop: Bool
  }

  // MARK: Folding

  /// Letters that Unicode compatibility decomposition leaves alone but readers type without marks.
  static let letterFolds: [Unicode.Scalar: String] = [
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "ς": "σ", "þ": "th",
  ]

  /// Case folding and diacritic folding: NFKD, lower case, NFKD again, combining marks removed,
  /// then the few letters of `letterFolds` spelt out.
  static func fold(_ text: String) -> String {
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiLowercased(text) }
    let decomposed = text.decomposedStringWithCompatibilityMapping.lowercased()
      .decomposedStringWithCompatibilityMapping
    var out = String.UnicodeScalarView()
    for scalar in decomposed.unicodeScalars {
      switch scalar.properties.generalCategory {
      case .nonspacingMark, .spacingMark, .enclosingMark: continue
      default:
        if let replacement = letterFolds[scalar] {
          out.append(contentsOf: replacement.unicodeScalars)
        } else {
          out.append(scalar)
        }
      }
    }
    return String(out)
  }

  private static func asciiLowercased(_ text: String) -> String {
    var bytes = Array(text.utf8)
    for i in bytes.indices where bytes[i] >= 65 && bytes[i] <= 90 { bytes[i] += 32 }
    return String(decoding: bytes, as: UTF8.self)
  }

  // MARK: Words

  static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.value < 0x80 {
      let v = scalar.value
      return (v >= 48 && v <= 57) || (v >= 97 && v <= 122) || (v >= 65 && v <= 90)
    }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .decimalNumber, .letterNumber, .otherNumber:
      return true
    default:
      return false
    }
  }

  /// Runs of letters and digits in already folded text. Apostrophes (' and ’) are deleted first,
  /// so "don't" is one word and "model's" is "models".
  static func words(_ folded: String) -> [String] {
    var result: [String] = []
    var current = String.UnicodeScalarView()
    for scalar in folded.unicodeScalars {
      if scalar == "'" || scalar == "\u{2019}" { continue }
      if isWordScalar(scalar) {
        current.append(scalar)
      } else if !current.isEmpty {
        result.append(String(current))
        current = String.UnicodeScalarView()
      }
    }
    if !current.isEmpty { result.append(String(current)) }
    return result
  }

  /// Folds, splits into words, drops words shorter than 2 or longer than 40 UTF-16 code units,
  /// marks stop words (kept, unstemmed, for phrase matching) and stems the others.
  static func analyze(_ text: String) -> [Token] {
    var memo: [String: Token] = [:]
    return analyze(text, memo: &memo)
  }

  /// `analyze` with a cache of word → token, for indexing many texts.
  static func analyze(_ text: String, memo: inout [String: Token]) -> [Token] {
    var tokens: [Token] = []
    func add(_ word: String) {
      if let token = memo[word] {
        tokens.append(token)
        return
      }
      let length = word.utf16.count
      if length < 2 || length > 40 { return }
      let token = stopWords.contains(word) ? Token(term: word, isStop: true) : Token(term: stem(word), isStop: false)
      memo[word] = token
      tokens.append(token)
    }
    // Folding works character by character, so folding space-separated pieces one at a time
    // gives the same result as folding the whole text. Pieces of plain ASCII (nearly all) are
    // split into words byte by byte; the others go through `fold` and `words`.
    var copy = text
    copy.withUTF8 { bytes in
      var word: [UInt8] = []
      var start = 0
      while start < bytes.count {
        var end = start
        var ascii = true
        while end < bytes.count, bytes[end] != 0x20, bytes[end] != 0x0A {
          if bytes[end] >= 0x80 { ascii = false }
          end += 1
        }
        if end > start {
          if ascii {
            for byte in bytes[start..<end] {
              switch byte {
              case 0x27: continue  // apostrophes are deleted: "don't" is one word
              case 0x30...0x39, 0x61...0x7A: word.append(byte)
              case 0x41...0x5A: word.append(byte + 32)
              default:
                if !word.isEmpty {
                  add(String(decoding: word, as: UTF8.self))
                  word.removeAll(keepingCapacity: true)
                }
              }
            }
            if !word.isEmpty {
              add(String(decoding: word, as: UTF8.self))
              word.removeAll(keepingCapacity: true)
            }
          } else {
            for w in words(fold(String(decoding: bytes[start..<end], as: UTF8.self))) { add(w) }
          }
        }
        start = end + 1
      }
    }
    return tokens
  }

  /// The indexed terms of a text: `analyze` without the stop words.
  static func terms(_ text: String) -> [String] {
    analyze(text).filter { !$0.isStop }.map(\.term)
  }

  static let stopWords: Set<String> = [
    "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
    "can", "could", "did", "do", "does", "doing", "down", "during", "each", "eg", "etc", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him",
    "his", "how", "ie", "if", "in", "into", "is", "it", "its", "itself", "just", "may", "me",
    "might", "more", "most", "must", "my", "no", "nor", "not", "now", "of", "off", "on", "once",
    "only", "or", "other", "our", "ours", "out", "over", "own", "per", "same", "shall", "she",
    "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then",
    "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up",
    "us", "very", "via", "vs", "was", "we", "were", "what", "when", "where", "which", "while",
    "who", "whom", "why", "will", "with", "work", "works", "would", "you", "your", "yours",
  ]

  // MARK: Stemming

  /// Words the plural rule would damage.
  static let keepAsIs: Set<String> = [
    "alias", "always", "atlas", "bias", "canvas", "chaos", "gas", "lens", "news", "perhaps",
    "series", "species", "whereas",
  ]
  /// Plurals ending in "us" (the rule keeps "-us" words such as "focus").
  static let pluralsInUs: Set<String> = ["cpus", "gpus", "ious", "menus", "npus", "rois", "tpus"]

  /// British spellings to American ones (the first matching ending, when 2+ letters precede it).
  static let spellings: [(String, String)] = [
    ("isations", "izations"), ("isation", "ization"), ("ising", "izing"), ("isers", "izers"),
    ("iser", "izer"), ("ised", "ized"), ("ises", "izes"), ("ise", "ize"),
    ("ysing", "yzing"), ("ysers", "yzers"), ("yser", "yzer"), ("ysed", "yzed"), ("yses", "yzes"),
    ("yse", "yze"), ("ouring", "oring"), ("oured", "ored"), ("ours", "ors"), ("our", "or"),
    ("tres", "ters"), ("tred", "tered"), ("tre", "ter"),
  ]

  /// The light English stemmer (docs/search.md, "Stemming"). Only words of 4+ letters a–z are
  /// changed; words with digits or other letters are kept as they are.
  static func stem(_ word: String) -> String {
    var w = Array(word.utf8)
    guard w.count >= 4, w.allSatisfy({ $0 >= 97 && $0 <= 122 }) else { return word }
    if keepAsIs.contains(word) { return word }

    func ends(_ suffix: String) -> Bool {
      var i = w.count - suffix.utf8.count
      guard i >= 0 else { return false }
      for byte in suffix.utf8 {
        if w[i] != byte { return false }
        i += 1
      }
      return true
    }
    func drop(_ n: Int) { w.removeLast(n) }
    func isVowel(_ c: UInt8) -> Bool { c == 97 || c == 101 || c == 105 || c == 111 || c == 117 }

    // 1. British spellings.
    for (from, to) in spellings where ends(from) && w.count - from.utf8.count >= 2 {
      drop(from.utf8.count)
      w.append(contentsOf: Array(to.utf8))
      break
    }
    // 2. Plurals.
    if pluralsInUs.contains(word) {
      drop(1)
    } else if ends("ies") && w.count > 4 {
      drop(2)  // studies → studi (and study → studi below)
    } else if ends("sses") {
      drop(2)
    } else if (ends("xes") || ends("ches") || ends("shes") || ends("zes")) && w.count >= 5 {
      drop(2)
    } else if ends("s") && !ends("ss") && !ends("us") && !ends("is") {
      drop(1)
    }
    // 3. Suffixes.
    if ends("ional") && w.count - 2 >= 4 { drop(2) }  // convolutional → convolution
    if ends("ation") && w.count - 5 >= 4 {
      drop(5)  // augmentation → augment, quantization → quantiz
    } else if (ends("tion") || ends("sion")) && w.count - 3 >= 4 {
      drop(3)  // detection → detect
    } else if ends("ate") && w.count - 3 >= 4 {
      drop(3)  // evaluate → evalu
    } else if ends("ing") || (ends("ed") && !ends("eed")) {
      let n = ends("ing") ? 3 : 2
      if w.count - n >= 3 && w[..<(w.count - n)].contains(where: { isVowel($0) || $0 == 121 }) {
        drop(n)
        if ends("at") && w.count - 2 >= 4 { drop(2) }  // evaluated → evalu
      }
    }
    // 4. Final e.
    if ends("e") && !ends("ee") && w.count >= 4 { drop(1) }
    // 5. Double consonant at the end (not ss).
    if w.count >= 4, w[w.count - 1] == w[w.count - 2], !isVowel(w[w.count - 1]),
      w[w.count - 1] != 115
    {
      drop(1)
    }
    // 6. Final y after a consonant.
    if w.count >= 4, w[w.count - 1] == 121, !isVowel(w[w.count - 2]) {
      w[w.count - 1] = 105
    }
    return String(decoding: w, as: UTF8.self)
  }
}
