// The JavaScript side of ``AssetMinifier``: its tokens and tokenizer.

/// One JavaScript token as written, with what the minifier needs to join it to its neighbours.
struct JSToken: Equatable {
  enum Kind: Equatable {
    case word, number, string, regex, punctuator
    /// A template literal piece: `…` (whole), `…${ (head), }…${ (middle), }…` (tail).
    case template(opens: Bool, closes: Bool)
  }

  var kind: Kind
  var text: String
  /// A line terminator (in whitespace or a comment) separates it from the previous token.
  var newlineBefore: Bool

  /// A statement may end with this token, so a line break after it may be a semicolon.
  var canEndStatement: Bool {
    switch kind {
    case .word, .number, .string, .regex: return true
    case .template(_, let closes): return closes
    case .punctuator: return [")", "]", "}", "++", "--"].contains(text)
    }
  }

  /// A statement may start with this token, so a line break before it may be a semicolon.
  var canStartStatement: Bool {
    switch kind {
    case .word, .number, .string, .regex: return true
    case .template(let opens, _): return opens
    case .punctuator: return ["(", "[", "{", "+", "-", "++", "--", "!", "~", "...", "@"].contains(text)
    }
  }

  /// True when `a` and `b` written side by side would read as other tokens (`a b`, `/re/ in`,
  /// `+ +`, `- -`, `/ /`, `1 .x`, `< !--`, `- ->`).
  static func wouldMerge(_ a: JSToken, _ b: JSToken) -> Bool {
    guard let x = a.text.unicodeScalars.last, let y = b.text.unicodeScalars.first else { return false }
    let joins = JSTokenizer.isIdentifierPart(y) || y == "\\"
    if joins && (JSTokenizer.isIdentifierPart(x) || a.kind == .regex) { return true }
    if (x == "+" || x == "-") && x == y { return true }
    if x == "/" && (y == "/" || y == "*") { return true }
    if x == "<" && y == "!" { return true }
    if x == "-" && y == ">" { return true }
    if y == "." && a.kind == .number { return true }
    return false
  }
}

/// A JavaScript tokenizer precise enough to minify: it tells a regular expression literal from a
/// division by the token before it (with a look at what opened a `)` or `}`).
struct JSTokenizer {
  let s: [Unicode.Scalar]
  var i = 0

  init(_ source: String) { s = Array(source.unicodeScalars) }

  static let punctuators: [String] = [
    ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=",
    "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**",
    "<<", ">>",
  ].sorted { $0.count > $1.count }

  /// Keywords after which `/` starts a regular expression literal.
  static let expressionKeywords: Set<String> = [
    "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await",
  ]

  static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "$" || c == "_" || c == "#" || (c.value > 0x7F && !isWhitespace(c))
  }

  static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool {
    isIdentifierStart(c) || ("0"..."9").contains(c)
  }

  static func isLineTerminator(_ c: Unicode.Scalar) -> Bool {
    c == "\n" || c == "\r" || c == "\u{2028}" || c == "\u{2029}"
  }

  static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
    switch c {
    case " ", "\t", "\u{0B}", "\u{0C}", "\u{A0}", "\u{FEFF}", "\u{1680}", "\u{2000}"..."\u{200A}", "\u{202F}", "\u{205F}", "\u{3000}":
      return true
    default: return isLineTerminator(c)
    }
  }

  /// Every token, or nil when a string, comment, template or regular expression is not closed.
  mutating func tokens() -> [JSToken]? {
    var out: [JSToken] = []
    // Open brackets: `(`, `[`, `{` and the `${` of a template. A `(` remembers whether it follows
    // `if`/`while`/`for`/`with` (then a `/` after its `)` starts a regex), a `{` whether it opens
    // a block (then so does a `/` after its `}`).
    var stack: [(open: String, regexAfterClose: Bool)] = []
    var regexAllowed = true
    while true {
      guard let newline = skipSpaceAndComments() else { return nil }
      guard i < s.count else { break }
      let c = s[i]
      let start = i
      let kind: JSToken.Kind
      if c == "\"" || c == "'" {
        guard scanString(quote: c) else { return nil }
        kind = .string
      } else if c == "`" {
        i += 1
        guard let substitution = scanTemplateRest() else { return nil }
        kind = .template(opens: true, closes: !substitution)
        if substitution { stack.append(("${", false)) }
      } else if c == "}" && stack.last?.open == "${" {
        stack.removeLast()
        i += 1
        guard let substitution = scanTemplateRest() else { return nil }
        kind = .template(opens: false, closes: !substitution)
        if substitution { stack.append(("${", false)) }
      } else if ("0"..."9").contains(c) || (c == "." && i + 1 < s.count && ("0"..."9").contains(s[i + 1])) {
        scanNumber()
        kind = .number
      } else if Self.isIdentifierStart(c) || c == "\\" {
        scanWord()
        kind = .word
      } else if c == "/" && regexAllowed {
        guard scanRegex() else { return nil }
        kind = .regex
      } else {
        scanPunctuator()
        kind = .punctuator
      }
      let text = String(String.UnicodeScalarView(s[start..<i]))
      let previous = out.last
      out.append(JSToken(kind: kind, text: text, newlineBefore: newline))

      // What may follow: a regex where an expression may start, a division after an operand.
      switch kind {
      case .word:
        regexAllowed = Self.expressionKeywords.contains(text) && previous?.text != "."
      case .number, .string, .regex:
        regexAllowed = false
      case .template(_, let closes):
        regexAllowed = !closes  // after `${` an expression starts
      case .punctuator:
        switch text {
        case "(":
          let keyword = previous.map { $0.kind == .word && ["if", "while", "for", "with"].contains($0.text) } ?? false
          stack.append(("(", keyword))
          regexAllowed = true
        case "{":
          stack.append(("{", Self.opensBlock(after: previous)))
          regexAllowed = true
        case "[":
          stack.append(("[", false))
          regexAllowed = true
        case ")", "]", "}":
          regexAllowed = stack.popLast()?.regexAfterClose ?? false
        case "++", "--":
          regexAllowed = false
        default:
          regexAllowed = true
        }
      }
    }
    return out
  }

  /// Whether a `{` after `previous` opens a block (a statement position) rather than an object.
  static func opensBlock(after previous: JSToken?) -> Bool {
    guard let previous else { return true }
    switch previous.kind {
    case .punctuator: return [")", ";", "{", "}", "=>"].contains(previous.text)
    case .word: return !expressionKeywords.contains(previous.text) || ["else", "do"].contains(previous.text)
    default: return false
    }
  }

  /// Skips whitespace and comments; returns whether a line terminator was among them (nil: an
  /// unterminated block comment).
  mutating func skipSpaceAndComments() -> Bool? {
    var newline = false
    while i < s.count {
      let c = s[i]
      if Self.isWhitespace(c) {
        if Self.isLineTerminator(c) { newline = true }
        i += 1
      } else if c == "/" && i + 1 < s.count && s[i + 1] == "/" {
        while i < s.count && !Self.isLineTerminator(s[i]) { i += 1 }
      } else if c == "/" && i + 1 < s.count && s[i + 1] == "*" {
        guard let end = AssetMinifier.find("*/", in: s, from: i + 2) else { return nil }
        if s[i..<end].contains(where: Self.isLineTerminator) { newline = true }
        i = end + 2
      } else {
        break
      }
    }
    return newline
  }

  mutating func scanString(quote: Unicode.Scalar) -> Bool {
    i += 1
    while i < s.count {
      let c = s[i]
      if c == quote {
        i += 1
        return true
      }
      if c == "\\" {
        i += 2  // an escaped character, or a line continuation
        if i - 1 < s.count && s[i - 1] == "\r" && i < s.count && s[i] == "\n" { i += 1 }
        continue
      }
      if c == "\n" || c == "\r" { return false }
      i += 1
    }
    return false
  }

  /// Scans template characters after a backtick or a closing `}` up to `${` (returns true) or the
  /// closing backtick (false); nil when the template is not closed.
  mutating func scanTemplateRest() -> Bool? {
    while i < s.count {
      let c = s[i]
      if c == "\\" {
        i += 2
      } else if c == "`" {
        i += 1
        return false
      } else if c == "$" && i + 1 < s.count && s[i + 1] == "{" {
        i += 2
        return true
      } else {
        i += 1
      }
    }
    return nil
  }

  mutating func scanNumber() {
    if s[i] == "0", i + 1 < s.count, "xXoObB".unicodeScalars.contains(s[i + 1]) {
      i += 2
      while i < s.count && Self.isIdentifierPart(s[i]) { i += 1 }
      return
    }
    skipDigits()
    if i < s.count && s[i] == "." {
      i += 1
      skipDigits()
    }
    if i < s.count && (s[i] == "e" || s[i] == "E") {
      var j = i + 1
      if j < s.count && (s[j] == "+" || s[j] == "-") { j += 1 }
      if j < s.count && ("0"..."9").contains(s[j]) {
        i = j
        skipDigits()
      }
    }
    if i < s.count && s[i] == "n" { i += 1 }
  }

  mutating func skipDigits() {
    while i < s.count && (("0"..."9").contains(s[i]) || s[i] == "_") { i += 1 }
  }

  mutating func scanWord() {
    while i < s.count {
      if s[i] == "\\" {
        i += 2  // \uXXXX or \u{…}: the rest are identifier parts
      } else if Self.isIdentifierPart(s[i]) {
        i += 1
      } else {
        break
      }
    }
  }

  /// A regular expression literal: `/`, the body (escapes, classes where `/` does not end it),
  /// `/`, the flags.
  mutating func scanRegex() -> Bool {
    i += 1
    var inClass = false
    while i < s.count {
      let c = s[i]
      if Self.isLineTerminator(c) { return false }
      if c == "\\" {
        i += 2
        continue
      }
      i += 1
      if c == "[" {
        inClass = true
      } else if c == "]" {
        inClass = false
      } else if c == "/" && !inClass {
        while i < s.count && Self.isIdentifierPart(s[i]) { i += 1 }
        return true
      }
    }
    return false
  }

  mutating func scanPunctuator() {
    for p in Self.punctuators where matches(p) {
      // `?.` followed by a digit is `?` then a number (`a?.5:1`).
      if p == "?.", i + 2 < s.count, ("0"..."9").contains(s[i + 2]) { continue }
      i += p.unicodeScalars.count
      return
    }
    i += 1
  }

  func matches(_ p: String) -> Bool {
    var j = i
    for c in p.unicodeScalars {
      guard j < s.count, s[j] == c else { return false }
      j += 1
    }
    return true
  }
}
