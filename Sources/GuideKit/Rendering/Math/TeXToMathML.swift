/// A mistake in a formula: where it is (a UTF-8 byte offset into the TeX) and how to fix it.
struct TeXError: Error, Sendable, Hashable {
  var offset: Int
  var message: String
  var hint: String?
}

/// Converts the guide's TeX subset (see ``TeXSymbols``) to MathML Core at build time: browsers
/// draw it without JavaScript, from `file://` and in print, and screen readers read it.
///
/// A recursive-descent parser over the TeX's Unicode scalars that writes MathML as it goes;
/// nesting deeper than ``maximumDepth`` is an error, so hostile input cannot exhaust the stack.
enum TeXToMathML {
  static let maximumDepth = 40

  /// The `<math>` element for `tex`, or the first mistake in it.
  static func convert(_ tex: String, display: Bool) -> Result<String, TeXError> {
    var parser = Parser(tex)
    do {
      let body = try parser.list(until: .end, openedAt: 0)
      return .success((display ? "<math display=\"block\">" : "<math>") + body.joined() + "</math>")
    } catch let error as TeXError {
      return .failure(error)
    } catch {
      return .failure(TeXError(offset: 0, message: "\(error)"))
    }
  }

  enum Terminator {
    case end, brace, bracket, right
  }

  /// What an atom is, for placing its scripts.
  enum AtomKind {
    case ordinary
    /// `\sum`, `\prod`: limits under and over.
    case bigOperator
    /// `\log`: upright, followed by an invisible function application.
    case function
    /// `\max`, `\lim`: like a function, but the subscript goes underneath in display style.
    case limitFunction
  }

  struct Atom {
    var mathML: String
    var kind: AtomKind = .ordinary
  }

  struct Parser {
    let scalars: [Unicode.Scalar]
    /// Byte offset of each scalar (and of the end).
    let offsets: [Int]
    var i = 0
    var depth = 0
    var font: String?

    init(_ tex: String) {
      scalars = Array(tex.unicodeScalars)
      var offsets: [Int] = []
      var offset = 0
      for scalar in scalars {
        offsets.append(offset)
        offset += UTF8.width(scalar)
      }
      offsets.append(offset)
      self.offsets = offsets
    }

    var atEnd: Bool { i >= scalars.count }
    var peek: Unicode.Scalar? { i < scalars.count ? scalars[i] : nil }
    var here: Int { offsets[min(i, offsets.count - 1)] }

    func fail(_ at: Int, _ message: String, hint: String? = nil) -> TeXError {
      TeXError(offset: at, message: message, hint: hint)
    }

    mutating func skipSpace() {
      while let c = peek, c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1 }
    }

    /// The name of the command at `i` (after its backslash), without consuming it.
    func commandName(at index: Int) -> String? {
      guard index < scalars.count, scalars[index] == "\\" else { return nil }
      var j = index + 1
      guard j < scalars.count else { return "" }
      if isASCIILetter(scalars[j]) {
        var name = ""
        while j < scalars.count, isASCIILetter(scalars[j]) {
          name.unicodeScalars.append(scalars[j])
          j += 1
        }
        return name
      }
      return String(Character(scalars[j]))
    }

    mutating func readCommand() -> String {
      let name = commandName(at: i) ?? ""
      i += 1 + name.unicodeScalars.count
      return name
    }

    func isASCIILetter(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }

    // MARK: - Lists and atoms

    /// Atoms up to `terminator` (consumed, except `\right`).
    mutating func list(until terminator: Terminator, openedAt: Int) throws -> [String] {
      depth += 1
      defer { depth -= 1 }
      if depth > TeXToMathML.maximumDepth {
        throw fail(openedAt, "formula is nested more than \(TeXToMathML.maximumDepth) levels deep", hint: "split it into simpler formulas")
      }
      var items: [String] = []
      while true {
        skipSpace()
        guard let c = peek else {
          switch terminator {
          case .end: return items
          case .brace: throw fail(openedAt, "'{' is not closed", hint: "add the matching '}'")
          case .bracket: throw fail(openedAt, "'[' of \\sqrt[…] is not closed", hint: "add the matching ']'")
          case .right: throw fail(openedAt, "\\left has no matching \\right", hint: "close it with \\right) (or \\right. for none)")
          }
        }
        if c == "}" {
          if terminator == .brace {
            i += 1
            return items
          }
          throw fail(here, "unmatched '}'", hint: "remove it or add the '{' it closes")
        }
        if c == "]" && terminator == .bracket {
          i += 1
          return items
        }
        if commandName(at: i) == "right" {
          if terminator == .right { return items }
          throw fail(here, "\\right without a matching \\left", hint: "open it with \\left( (or \\left. for none)")
        }
        items.append(try atom())
      }
    }

    /// A base with its scripts (`x`, `x_i^2`, `\sum_{i=1}^n`, `f'`).
    mutating func atom() throws -> String {
      let start = here
      let base = try self.base()
      var sub: String?
      var sup: String?
      var primes = ""
      while true {
        skipSpace()
        guard let c = peek else { break }
        if c == "'" {
          primes += "′"
          i += 1
        } else if c == "^" {
          if sup != nil { throw fail(here, "double superscript", hint: "group them: x^{ab}") }
          i += 1
          sup = try argument(for: "^")
        } else if c == "_" {
          if sub != nil { throw fail(here, "double subscript", hint: "group them: x_{ij}") }
          i += 1
          sub = try argument(for: "_")
        } else {
          break
        }
      }
      if !primes.isEmpty {
        let prime = "<mo>\(primes)</mo>"
        sup = sup.map { "<mrow>\(prime)\($0)</mrow>" } ?? prime
      }
      _ = start
      var out: String
      switch (base.kind, sub, sup) {
      case (_, nil, nil):
        out = base.mathML
      case (.bigOperator, let sub?, nil), (.limitFunction, let sub?, nil):
        out = "<munder>\(base.mathML)\(sub)</munder>"
      case (.bigOperator, nil, let sup?), (.limitFunction, nil, let sup?):
        out = "<mover>\(base.mathML)\(sup)</mover>"
      case (.bigOperator, let sub?, let sup?), (.limitFunction, let sub?, let sup?):
        out = "<munderover>\(base.mathML)\(sub)\(sup)</munderover>"
      case (_, let sub?, nil):
        out = "<msub>\(base.mathML)\(sub)</msub>"
      case (_, nil, let sup?):
        out = "<msup>\(base.mathML)\(sup)</msup>"
      case (_, let sub?, let sup?):
        out = "<msubsup>\(base.mathML)\(sub)\(sup)</msubsup>"
      }
      if base.kind == .function || base.kind == .limitFunction { out += "<mo>\u{2061}</mo>" }
      return out
    }

    /// The argument of `^`, `_`, `\frac`, … : a group, a command, or one character.
    mutating func argument(for owner: String) throws -> String {
      skipSpace()
      guard let c = peek else {
        throw fail(here, "'\(owner)' needs an argument", hint: "write \(owner){…}")
      }
      if c == "{" {
        let open = here
        i += 1
        return row(try list(until: .brace, openedAt: open))
      }
      if c == "}" || c == "^" || c == "_" || c == "]" {
        throw fail(here, "'\(owner)' needs an argument", hint: "write \(owner){…}")
      }
      if c == "\\" { return try base().mathML }
      if c.properties.numericType != nil && c.isASCII {
        i += 1
        return "<mn>\(digits(String(Character(c))))</mn>"
      }
      return try base().mathML
    }

    /// One element for a list of items. A function name with its application operator (`\max` gives
    /// `<mo>max</mo><mo>⁡</mo>`) is two elements in one item: it is wrapped too, so that it can be the
    /// argument of a script (`\lambda_{\max}`), whose children must be exactly two elements.
    func row(_ items: [String]) -> String {
      items.count == 1 && !items[0].hasSuffix("<mo>\u{2061}</mo>") ? items[0] : "<mrow>\(items.joined())</mrow>"
    }

    /// One base: a letter, a number, a symbol, a group or a command with its arguments.
    mutating func base() throws -> Atom {
      skipSpace()
      guard let c = peek else { throw fail(here, "formula ends too early") }
      let at = here
      switch c {
      case "{":
        i += 1
        return Atom(mathML: row(try list(until: .brace, openedAt: at)))
      case "^", "_":
        return Atom(mathML: "<mrow></mrow>")
      case "\\":
        return try command()
      case "0"..."9":
        var number = ""
        while let d = peek,
          d >= "0" && d <= "9" || (d == "." && i + 1 < scalars.count && scalars[i + 1] >= "0" && scalars[i + 1] <= "9" && !number.isEmpty)
        {
          number.unicodeScalars.append(d)
          i += 1
        }
        return Atom(mathML: "<mn>\(digits(number))</mn>")
      case "(", ")", "[", "]", "|":
        i += 1
        return Atom(mathML: "<mo stretchy=\"false\">\(c)</mo>")
      case "+", "=", "<", ">", ",", ".", "/", "!", ":", ";":
        i += 1
        return Atom(mathML: "<mo>\(HTML.escape(String(Character(c))))</mo>")
      case "-":
        i += 1
        return Atom(mathML: "<mo>−</mo>")
      case "'":
        i += 1
        return Atom(mathML: "<mo>′</mo>")
      default:
        if c.properties.isAlphabetic {
          return letters()
        }
        throw unsupportedCharacter(c, at: at)
      }
    }

    func unsupportedCharacter(_ c: Unicode.Scalar, at: Int) -> TeXError {
      let hints: [Unicode.Scalar: String] = [
        "*": "write \\ast or \\cdot", "%": "write \\% for a percent sign", "#": "write \\#",
        "&": "alignment ('&') and environments are not supported; write \\& for an ampersand",
        "~": "write \\, \\; or \\quad for space", "$": "a '$' ends the formula; write the price outside it",
        "\"": "write \\text{…} for words", "?": "write \\text{?}",
      ]
      return fail(
        at, "character '\(Character(c))' is not supported in math",
        hint: hints[c] ?? "see the supported TeX on the authoring page")
    }

    /// A letter in the current font; a run of letters in `\mathrm` is one upright identifier.
    mutating func letters() -> Atom {
      let c = scalars[i]
      i += 1
      if font == "mathrm" {
        var word = String(Character(c))
        while let d = peek, d.properties.isAlphabetic {
          word.unicodeScalars.append(d)
          i += 1
        }
        return Atom(mathML: word.unicodeScalars.count == 1 ? "<mi mathvariant=\"normal\">\(word)</mi>" : "<mi>\(word)</mi>")
      }
      if let font, let styled = TeXSymbols.styled(c, font: font) { return Atom(mathML: "<mi>\(styled)</mi>") }
      return Atom(mathML: "<mi>\(HTML.escape(String(Character(c))))</mi>")
    }

    func digits(_ number: String) -> String {
      guard let font, font == "mathbf" || font == "mathbb" else { return number }
      return number.unicodeScalars.map { TeXSymbols.styled($0, font: font) ?? String(Character($0)) }.joined()
    }

    // MARK: - Commands

    mutating func command() throws -> Atom {
      let at = here
      let name = readCommand()
      if let s = TeXSymbols.lowerGreek[name] { return Atom(mathML: "<mi>\(s)</mi>") }
      if let s = TeXSymbols.upperGreek[name] { return Atom(mathML: "<mi mathvariant=\"normal\">\(s)</mi>") }
      if let s = TeXSymbols.operators[name] { return Atom(mathML: "<mo>\(s)</mo>") }
      if let s = TeXSymbols.ordinary[name] { return Atom(mathML: "<mi mathvariant=\"normal\">\(HTML.escape(s))</mi>") }
      if let s = TeXSymbols.delimiters[name] { return Atom(mathML: "<mo stretchy=\"false\">\(s)</mo>") }
      if let s = TeXSymbols.bigOperators[name] {
        return Atom(mathML: "<mo>\(s)</mo>", kind: name == "int" ? .ordinary : .bigOperator)
      }
      if let s = TeXSymbols.functions[name] {
        if TeXSymbols.limitFunctions.contains(name) {
          return Atom(mathML: "<mo form=\"prefix\" movablelimits=\"true\">\(s)</mo>", kind: .limitFunction)
        }
        return Atom(mathML: "<mi>\(s)</mi>", kind: .function)
      }
      if let width = TeXSymbols.spaces[name] { return Atom(mathML: "<mspace width=\"\(width)\"/>") }
      if TeXSymbols.fractions.contains(name) {
        let numerator = try argument(for: "\\" + name)
        let denominator = try argument(for: "\\" + name)
        let fraction = "<mfrac>\(numerator)\(denominator)</mfrac>"
        switch name {
        case "dfrac": return Atom(mathML: "<mstyle displaystyle=\"true\">\(fraction)</mstyle>")
        case "tfrac": return Atom(mathML: "<mstyle displaystyle=\"false\">\(fraction)</mstyle>")
        default: return Atom(mathML: fraction)
        }
      }
      if name == "sqrt" {
        skipSpace()
        if peek == "[" {
          let open = here
          i += 1
          let index = row(try list(until: .bracket, openedAt: open))
          let radicand = try argument(for: "\\sqrt")
          return Atom(mathML: "<mroot>\(radicand)\(index)</mroot>")
        }
        return Atom(mathML: "<msqrt>\(try argument(for: "\\sqrt"))</msqrt>")
      }
      if let accent = TeXSymbols.accents[name] {
        let body = try argument(for: "\\" + name)
        let mark = "<mo\(accent.stretchy ? "" : " stretchy=\"false\"")>\(accent.mark)</mo>"
        return Atom(
          mathML: accent.under
            ? "<munder accentunder=\"true\">\(body)\(mark)</munder>" : "<mover accent=\"true\">\(body)\(mark)</mover>")
      }
      if TeXSymbols.fonts.contains(name) {
        let saved = font
        font = name
        defer { font = saved }
        return Atom(mathML: try argument(for: "\\" + name))
      }
      if name == "text" {
        let text = try rawGroup(for: "\\text")
        var shown = HTML.escape(text)
        if shown.hasPrefix(" ") { shown = "\u{A0}" + shown.dropFirst() }
        if shown.hasSuffix(" ") { shown = shown.dropLast() + "\u{A0}" }
        return Atom(mathML: "<mtext>\(shown)</mtext>")
      }
      if name == "operatorname" {
        let text = try rawGroup(for: "\\operatorname").trimmingCharacters(in: " ")
        guard !text.isEmpty else { throw fail(at, "\\operatorname{} is empty", hint: "e.g. \\operatorname{softmax}") }
        let mi = text.unicodeScalars.count == 1 ? "<mi mathvariant=\"normal\">\(HTML.escape(text))</mi>" : "<mi>\(HTML.escape(text))</mi>"
        return Atom(mathML: mi, kind: .function)
      }
      if name == "left" {
        let open = try delimiter(after: "\\left")
        let body = try list(until: .right, openedAt: at)
        _ = readCommand()  // \right
        let close = try delimiter(after: "\\right")
        func fence(_ d: String, _ form: String) -> String {
          d.isEmpty ? "" : "<mo fence=\"true\" form=\"\(form)\" stretchy=\"true\">\(d)</mo>"
        }
        return Atom(mathML: "<mrow>\(fence(open, "prefix"))\(body.joined())\(fence(close, "postfix"))</mrow>")
      }
      if name == "right" {
        throw fail(at, "\\right without a matching \\left", hint: "open it with \\left( (or \\left. for none)")
      }
      throw unsupportedCommand(name, at: at)
    }

    func unsupportedCommand(_ name: String, at: Int) -> TeXError {
      if name.isEmpty { return fail(at, "a formula cannot end with '\\'", hint: "remove the backslash") }
      if name == "begin" || name == "end" {
        return fail(
          at, "unsupported TeX command '\\\(name)': environments are not supported",
          hint: "write each case as its own formula, or use \\left\\{ … \\right. for a brace")
      }
      if name == "\\" {
        return fail(at, "unsupported TeX command '\\\\': line breaks are not supported", hint: "write one formula per $$…$$")
      }
      let suggestion = name.first?.isLetter == true ? Suggestions.closest(to: name, in: TeXSymbols.allCommands) : nil
      return fail(
        at, "unsupported TeX command '\\\(name)'",
        hint: suggestion.map { "did you mean '\\\($0)'?" } ?? "see the supported TeX commands on the authoring page")
    }

    /// The delimiter after `\left` / `\right` ("" for `.`).
    mutating func delimiter(after owner: String) throws -> String {
      skipSpace()
      let at = here
      guard let c = peek else { throw fail(at, "\(owner) needs a delimiter", hint: "e.g. \(owner)( or \(owner).") }
      switch c {
      case "(", ")", "[", "]", "|":
        i += 1
        return String(Character(c))
      case ".":
        i += 1
        return ""
      case "\\":
        let name = readCommand()
        if let d = TeXSymbols.delimiters[name] { return d }
        throw fail(at, "'\\\(name)' is not a delimiter for \(owner)", hint: "use ( ) [ ] | \\{ \\} \\| \\langle \\rangle or .")
      default:
        throw fail(at, "'\(Character(c))' is not a delimiter for \(owner)", hint: "use ( ) [ ] | \\{ \\} \\| \\langle \\rangle or .")
      }
    }

    /// The text of a `{…}` group, as written (for `\text` and `\operatorname`): braces nest, and
    /// `\%`, `\_`, `\#`, `\&`, `\{`, `\}` stand for their character.
    mutating func rawGroup(for owner: String) throws -> String {
      skipSpace()
      let open = here
      guard peek == "{" else { throw fail(here, "\(owner) needs a {…} argument", hint: "write \(owner){…}") }
      i += 1
      var text = ""
      var nesting = 0
      while let c = peek {
        if c == "\\" {
          let at = here
          guard i + 1 < scalars.count else { break }
          let next = scalars[i + 1]
          guard "%_#&{}".unicodeScalars.contains(next) else {
            throw fail(
              at, "unsupported TeX command '\\\(commandName(at: i) ?? "")' inside \(owner)", hint: "write plain words inside \(owner){…}")
          }
          text.unicodeScalars.append(next)
          i += 2
          continue
        }
        if c == "{" { nesting += 1 }
        if c == "}" {
          if nesting == 0 {
            i += 1
            return text
          }
          nesting -= 1
        }
        text.unicodeScalars.append(c == "\n" ? " " : c)
        i += 1
      }
      throw fail(open, "'{' is not closed", hint: "add the matching '}'")
    }
  }
}

extension String {
  fileprivate func trimmingCharacters(in set: Character) -> String {
    var s = Substring(self)
    while s.first == set { s = s.dropFirst() }
    while s.last == set { s = s.dropLast() }
    return String(s)
  }
}
