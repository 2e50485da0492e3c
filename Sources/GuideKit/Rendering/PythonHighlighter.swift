/// A small Python tokenizer for the pseudo-code in answers (```python blocks), with the same token
/// classes as ``SwiftHighlighter``: comments, strings (single, double, triple-quoted, with prefixes
/// such as `f` or `rb`), numbers, keywords, decorators, capitalised names as types, calls, operators
/// and punctuation. It never fails, and every input character is output once, escaped.
public enum PythonHighlighter {
  typealias Token = SwiftHighlighter.Token

  static let keywords: Set<String> = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "match", "case", "self",
  ]

  public static func tokenize(_ source: String) -> [SwiftHighlighter.Token] {
    let s = Array(source.unicodeScalars)
    var tokens: [Token] = []
    func push(_ kind: SwiftHighlighter.TokenKind, _ a: Int, _ b: Int) {
      guard b > a else { return }
      var text = ""
      text.unicodeScalars.append(contentsOf: s[a..<b])
      if kind == .plain, let last = tokens.last, last.kind == .plain {
        tokens[tokens.count - 1].text += text
      } else {
        tokens.append(Token(kind: kind, text: text))
      }
    }
    func isIdentStart(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isAlphabetic }
    func isIdent(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || ("0"..."9").contains(c) }
    func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
    /// The end of a string literal whose quote starts at `q` (a triple quote when `q` is followed by two more).
    func stringEnd(_ q: Int) -> Int {
      let quote = s[q]
      let triple = q + 2 < s.count && s[q + 1] == quote && s[q + 2] == quote
      var j = q + (triple ? 3 : 1)
      while j < s.count {
        if s[j] == "\\" {
          j += 2
          continue
        }
        if !triple && s[j] == "\n" { return j }
        if s[j] == quote {
          if !triple { return j + 1 }
          if j + 2 < s.count && s[j + 1] == quote && s[j + 2] == quote { return j + 3 }
        }
        j += 1
      }
      return s.count
    }

    var i = 0
    while i < s.count {
      let c = s[i]
      if c == "#" {
        var j = i
        while j < s.count && s[j] != "\n" { j += 1 }
        push(.comment, i, j)
        i = j
      } else if c == "\"" || c == "'" {
        let end = min(stringEnd(i), s.count)
        push(.string, i, end)
        i = end
      } else if c == "@" && i + 1 < s.count && isIdentStart(s[i + 1]) {
        var j = i + 1
        while j < s.count && (isIdent(s[j]) || s[j] == ".") { j += 1 }
        push(.attribute, i, j)
        i = j
      } else if isDigit(c) || (c == "." && i + 1 < s.count && isDigit(s[i + 1])) {
        var j = i + 1
        while j < s.count
          && (isIdent(s[j]) || s[j] == "."
            || ((s[j] == "+" || s[j] == "-") && (s[j - 1] == "e" || s[j - 1] == "E") && !(s[i] == "0" && j == i + 2)))
        {
          j += 1
        }
        push(.number, i, j)
        i = j
      } else if isIdentStart(c) {
        var j = i
        while j < s.count && isIdent(s[j]) { j += 1 }
        var word = ""
        word.unicodeScalars.append(contentsOf: s[i..<j])
        // String prefixes: f"…", rb'…'.
        if j < s.count, s[j] == "\"" || s[j] == "'", word.count <= 2,
          word.lowercased().allSatisfy({ "rbuf".contains($0) })
        {
          let end = min(stringEnd(j), s.count)
          push(.string, i, end)
          i = end
          continue
        }
        if keywords.contains(word) {
          push(.keyword, i, j)
        } else if j < s.count && s[j] == "(" {
          push(.function, i, j)
        } else if let first = word.unicodeScalars.first, first.properties.isUppercase {
          push(.type, i, j)
        } else {
          push(.plain, i, j)
        }
        i = j
      } else if "+-*/%=<>!&|^~:".unicodeScalars.contains(c) {
        var j = i + 1
        while j < s.count && "+-*/%=<>!&|^~".unicodeScalars.contains(s[j]) { j += 1 }
        push(.operator, i, j)
        i = j
      } else if "()[]{},;.".unicodeScalars.contains(c) {
        push(.punctuation, i, i + 1)
        i += 1
      } else {
        push(.plain, i, i + 1)
        i += 1
      }
    }
    return tokens
  }

  public static func html(_ source: String) -> String { SwiftHighlighter.html(tokens: tokenize(source)) }
}
