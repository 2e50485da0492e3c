/// A small Swift tokenizer for build-time syntax highlighting.
///
/// It classifies comments, string literals (with interpolation, raw and multi-line strings),
/// numbers, keywords, attributes, types (capitalised identifiers), function calls, operators and
/// punctuation. It is not a parser; it never fails, and every input byte is output once, escaped.
public enum SwiftHighlighter {
  public enum TokenKind: String, Sendable {
    case keyword, string, number, comment, type, attribute, function, `operator`, punctuation, plain
  }

  public struct Token: Sendable, Equatable {
    public var kind: TokenKind
    public var text: String
  }

  static let keywords: Set<String> = [
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
    "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
    "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do", "else",
    "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while", "as", "Any",
    "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "await", "async", "some", "any", "mutating",
    "nonmutating", "lazy", "final", "override", "convenience", "required", "weak", "unowned", "indirect", "actor",
    "nonisolated", "isolated", "consuming", "borrowing", "sending", "package",
  ]

  public static func tokenize(_ source: String) -> [Token] {
    let s = Array(source.unicodeScalars)
    var tokens: [Token] = []
    var i = 0
    func text(_ a: Int, _ b: Int) -> String {
      var out = ""
      out.unicodeScalars.append(contentsOf: s[a..<b])
      return out
    }
    func push(_ kind: TokenKind, _ a: Int, _ b: Int) {
      guard b > a else { return }
      if kind == .plain, let last = tokens.last, last.kind == .plain {
        tokens[tokens.count - 1].text += text(a, b)
      } else {
        tokens.append(Token(kind: kind, text: text(a, b)))
      }
    }
    func isIdentStart(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isAlphabetic }
    func isIdent(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || ("0"..."9").contains(c) }

    while i < s.count {
      let c = s[i]
      let next: Unicode.Scalar? = i + 1 < s.count ? s[i + 1] : nil
      // Comments.
      if c == "/" && next == "/" {
        var j = i
        while j < s.count && s[j] != "\n" { j += 1 }
        push(.comment, i, j)
        i = j
        continue
      }
      if c == "/" && next == "*" {
        var depth = 0
        var j = i
        while j < s.count {
          if s[j] == "/" && j + 1 < s.count && s[j + 1] == "*" {
            depth += 1
            j += 2
          } else if s[j] == "*" && j + 1 < s.count && s[j + 1] == "/" {
            depth -= 1
            j += 2
            if depth == 0 { break }
          } else {
            j += 1
          }
        }
        push(.comment, i, j)
        i = j
        continue
      }
      // Strings (optionally raw with #s, optionally multi-line).
      if c == "\"" || (c == "#" && stringStart(s, i) != nil) {
        i = lexString(s, i, push: push)
        continue
      }
      // Numbers.
      if ("0"..."9").contains(c) {
        var j = i + 1
        while j < s.count && (isIdent(s[j]) || s[j] == "." && j + 1 < s.count && ("0"..."9").contains(s[j + 1])) { j += 1 }
        push(.number, i, j)
        i = j
        continue
      }
      // Attributes and compiler directives.
      if c == "@" || (c == "#" && next.map(isIdentStart) == true) {
        var j = i + 1
        while j < s.count && isIdent(s[j]) { j += 1 }
        push(.attribute, i, j)
        i = j
        continue
      }
      // Identifiers.
      if isIdentStart(c) || c == "`" {
        var j = i + 1
        if c == "`" {
          while j < s.count && s[j] != "`" && s[j] != "\n" { j += 1 }
          if j < s.count && s[j] == "`" { j += 1 }
        } else {
          while j < s.count && isIdent(s[j]) { j += 1 }
        }
        let word = text(i, j)
        var kind: TokenKind = .plain
        if keywords.contains(word) {
          kind = .keyword
        } else if let first = word.unicodeScalars.first, ("A"..."Z").contains(first) {
          kind = .type
        } else if j < s.count && s[j] == "(" {
          kind = .function
        }
        push(kind, i, j)
        i = j
        continue
      }
      if "+-*/%=<>!&|^~?".unicodeScalars.contains(c) {
        var j = i + 1
        while j < s.count && "+-*/%=<>!&|^~?.".unicodeScalars.contains(s[j]) {
          if s[j] == "/" && j + 1 < s.count && (s[j + 1] == "/" || s[j + 1] == "*") { break }
          j += 1
        }
        push(.operator, i, j)
        i = j
        continue
      }
      if "(){}[],:;.".unicodeScalars.contains(c) {
        push(.punctuation, i, i + 1)
        i += 1
        continue
      }
      push(.plain, i, i + 1)
      i += 1
    }
    return tokens
  }

  /// If a raw string starts at `i` (`#"`, `##"""`), returns the number of #s.
  static func stringStart(_ s: [Unicode.Scalar], _ i: Int) -> Int? {
    var j = i
    while j < s.count && s[j] == "#" { j += 1 }
    return j < s.count && s[j] == "\"" ? j - i : nil
  }

  static func lexString(_ s: [Unicode.Scalar], _ start: Int, push: (TokenKind, Int, Int) -> Void) -> Int {
    let hashes = stringStart(s, start) ?? 0
    var i = start + hashes
    let multiline = i + 2 < s.count && s[i] == "\"" && s[i + 1] == "\"" && s[i + 2] == "\""
    i += multiline ? 3 : 1
    var segmentStart = start
    while i < s.count {
      if !multiline && s[i] == "\n" { break }
      if s[i] == "\\" {
        var j = i + 1
        var h = 0
        while h < hashes && j < s.count && s[j] == "#" {
          h += 1
          j += 1
        }
        if h == hashes && j < s.count && s[j] == "(" {
          // Interpolation: string so far, then the expression (balanced parentheses), tokenized.
          push(.string, segmentStart, j)
          var depth = 0
          var k = j
          while k < s.count {
            if s[k] == "(" { depth += 1 }
            if s[k] == ")" {
              depth -= 1
              if depth == 0 { break }
            }
            if s[k] == "\n" && !multiline { break }
            k += 1
          }
          push(.punctuation, j, j + 1)
          var inner = ""
          inner.unicodeScalars.append(contentsOf: s[(j + 1)..<min(k, s.count)])
          var offset = j + 1
          for token in tokenize(inner) {
            let length = token.text.unicodeScalars.count
            push(token.kind, offset, offset + length)
            offset += length
          }
          if k < s.count && s[k] == ")" {
            push(.punctuation, k, k + 1)
            k += 1
          }
          i = k
          segmentStart = k
          continue
        }
        i = min(j + 1, s.count)
        continue
      }
      if s[i] == "\"" {
        let closeLength = multiline ? 3 : 1
        if i + closeLength - 1 < s.count && (0..<closeLength).allSatisfy({ s[i + $0] == "\"" }) {
          var j = i + closeLength
          var h = 0
          while h < hashes && j < s.count && s[j] == "#" {
            h += 1
            j += 1
          }
          if h == hashes {
            push(.string, segmentStart, j)
            return j
          }
        }
      }
      i += 1
    }
    push(.string, segmentStart, i)
    return i
  }

  /// Highlighted, escaped HTML: `<span class="tok-keyword">let</span> …`.
  public static func html(_ source: String) -> String { html(tokens: tokenize(source)) }

  /// Tokens as HTML: plain text escaped, every other token in a `tok-KIND` span (shared with
  /// ``PythonHighlighter``, whose tokens use the same kinds).
  static func html(tokens: [Token]) -> String {
    var out = ""
    out.reserveCapacity(tokens.reduce(0) { $0 + $1.text.utf8.count } * 2)
    for token in tokens {
      if token.kind == .plain {
        out += HTML.escape(token.text)
      } else {
        out += "<span class=\"tok-\(token.kind.rawValue)\">\(HTML.escape(token.text))</span>"
      }
    }
    return out
  }
}
