import Foundation

/// Build-time minification of the stylesheets and scripts copied from `Templates/assets/`: the
/// readable sources stay in `Templates/`, the site gets them without comments and indentation.
///
/// Conservative by design: no renaming and no rewriting, only comments and whitespace go. The
/// JavaScript side tokenizes strings, template literals (with nested `${}`), regular expression
/// literals and comments, and keeps a line break wherever automatic semicolon insertion could
/// depend on it. Input it does not understand (an unterminated string, comment or literal) is
/// left alone: the caller copies the file unchanged.
public enum AssetMinifier {
  /// The minified text of an asset by its extension (`css`, `js`, `mjs`); nil when the file is of
  /// another kind or could not be tokenized.
  public static func minify(_ text: String, fileExtension: String) -> String? {
    switch fileExtension.lowercased() {
    case "css": return css(text)
    case "js", "mjs": return javaScript(text)
    default: return nil
    }
  }

  /// Writes the `.css` and `.js` files among `copies` minified into the staging folder and removes
  /// them from `copies`; the rest (and any file that cannot be read or minified) stays to be copied
  /// as it is. Returns how many files it wrote. With a `cache` file, the minified texts of the
  /// last build are taken from it for the sources that did not change (``MinifiedAssets``).
  static func stageMinified(
    _ copies: inout [(path: String, source: String)], into staging: OutputWriter.Staging, cache: URL? = nil
  ) -> Int {
    let before = copies.count
    let previous = cache.map(MinifiedAssets.load) ?? MinifiedAssets()
    var made = MinifiedAssets()
    copies.removeAll { copy in
      guard case .success(let data) = GuideLoader.readRegularFile(copy.source),
        let text = String(validating: data, as: UTF8.self)
      else { return false }
      let fileExtension = (copy.path as NSString).pathExtension
      let key = MinifiedAssets.key(text, fileExtension: fileExtension)
      guard let small = previous.texts[key] ?? minify(text, fileExtension: fileExtension) else { return false }
      made.texts[key] = small
      staging.write(copy.path, small)
      return true
    }
    if let cache, made.texts != previous.texts { made.save(to: cache) }
    return before - copies.count
  }

  // MARK: - JavaScript

  /// Minified JavaScript, or nil when the source has an unterminated string, comment, template or
  /// regular expression literal.
  public static func javaScript(_ source: String) -> String? {
    var tokenizer = JSTokenizer(source)
    guard let tokens = tokenizer.tokens() else { return nil }
    var out = ""
    out.reserveCapacity(source.utf8.count)
    var previous: JSToken?
    for token in tokens {
      if let previous {
        if token.newlineBefore && previous.canEndStatement && token.canStartStatement {
          out.append("\n")
        } else if JSToken.wouldMerge(previous, token) {
          out.append(" ")
        }
      }
      out.append(token.text)
      previous = token
    }
    return out
  }

  // MARK: - CSS

  /// Minified CSS: comments and needless whitespace removed, the last `;` of each block dropped;
  /// strings, escapes and unquoted `url()` kept as written. Nil for an unterminated comment or string.
  public static func css(_ source: String) -> String? {
    let s = Array(source.unicodeScalars)
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(s.count)
    var i = 0
    var pendingSpace = false
    var depth = 0  // parentheses
    // Per open block: does it hold declarations (a style rule) or rules (@media and the like)?
    var blocks: [Bool] = []
    var preludeStart = 0  // where the current selector or at-rule prelude starts in `out`
    var inDeclarations: Bool { blocks.last ?? false }
    func inSelector() -> Bool {
      !inDeclarations && depth == 0 && out[preludeStart...].first.map { $0 != "@" } ?? true
    }

    func emit(_ c: Unicode.Scalar) {
      if pendingSpace, let last = out.last, !dropsSpace(after: last), !dropsSpace(before: c) {
        out.append(" ")
      }
      pendingSpace = false
      out.append(c)
    }
    func dropsSpace(after c: Unicode.Scalar) -> Bool {
      "{};,:(!".unicodeScalars.contains(c) || (">+~".unicodeScalars.contains(c) && inSelector())
    }
    func dropsSpace(before c: Unicode.Scalar) -> Bool {
      "{};,)!".unicodeScalars.contains(c) || (">+~".unicodeScalars.contains(c) && inSelector())
    }

    while i < s.count {
      let c = s[i]
      if c == "/" && i + 1 < s.count && s[i + 1] == "*" {
        guard let end = find("*/", in: s, from: i + 2) else { return nil }
        i = end + 2
        pendingSpace = true
        continue
      }
      if isCSSWhitespace(c) {
        pendingSpace = true
        i += 1
        continue
      }
      switch c {
      case "\"", "'":
        emit(c)
        i += 1
        while i < s.count && s[i] != c {
          if s[i] == "\n" { return nil }
          if s[i] == "\\" && i + 1 < s.count {
            out.append(s[i])
            i += 1
          }
          out.append(s[i])
          i += 1
        }
        guard i < s.count else { return nil }
        out.append(c)
        i += 1
      case "\\":
        // An escape: the backslash, its character or up to 6 hex digits, and the one whitespace that
        // may end a hex escape.
        emit(c)
        i += 1
        var hex = 0
        while i < s.count && hex < 6 && s[i].properties.isASCIIHexDigit {
          out.append(s[i])
          i += 1
          hex += 1
        }
        if hex > 0 {
          if i < s.count && isCSSWhitespace(s[i]) {
            out.append(" ")
            i += 1
          }
        } else if i < s.count {
          out.append(s[i])
          i += 1
        }
      case "(":
        emit(c)
        i += 1
        depth += 1
        if endsWithURLFunction(out) {
          // An unquoted url(…) is one token: copy it as written, outer whitespace trimmed.
          var j = i
          while j < s.count && isCSSWhitespace(s[j]) { j += 1 }
          if j < s.count && s[j] != "\"" && s[j] != "'" {
            guard let close = s[j...].firstIndex(of: ")") else { return nil }
            var end = close
            while end > j && isCSSWhitespace(s[end - 1]) { end -= 1 }
            out.append(contentsOf: s[j..<end])
            i = close
          }
        }
      case ")":
        emit(c)
        i += 1
        depth = max(0, depth - 1)
      case "{":
        let prelude = String(String.UnicodeScalarView(out[preludeStart...]))
        emit(c)
        i += 1
        blocks.append(!holdsRules(prelude))
        depth = 0
        preludeStart = out.count
      case "}":
        pendingSpace = false
        if out.last == ";" && (out.count < 2 || out[out.count - 2] != "\\") { out.removeLast() }
        emit(c)
        i += 1
        _ = blocks.popLast()
        depth = 0
        preludeStart = out.count
      case ";":
        emit(c)
        i += 1
        if !inDeclarations { preludeStart = out.count }  // after @import, @charset
      default:
        emit(c)
        i += 1
      }
    }
    return String(String.UnicodeScalarView(out))
  }

  static func isCSSWhitespace(_ c: Unicode.Scalar) -> Bool {
    c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}"
  }

  /// True when a block opened after `prelude` holds rules, not declarations.
  static func holdsRules(_ prelude: String) -> Bool {
    guard prelude.hasPrefix("@") else { return false }
    let name = prelude.dropFirst().prefix { $0.isLetter || $0 == "-" }.lowercased()
    return ["media", "supports", "layer", "container", "document", "scope", "starting-style", "-moz-document"].contains(name)
  }

  static func endsWithURLFunction(_ out: [Unicode.Scalar]) -> Bool {
    guard out.count >= 4 else { return false }
    let name = String(String.UnicodeScalarView(out[(out.count - 4)...])).lowercased()
    guard name == "url(" else { return false }
    guard out.count > 4 else { return true }
    let before = out[out.count - 5]
    return !(before.properties.isAlphabetic || before.properties.numericType != nil || before == "-" || before == "_" || before == "\\")
  }

  static func find(_ needle: String, in s: [Unicode.Scalar], from start: Int) -> Int? {
    let n = Array(needle.unicodeScalars)
    var i = start
    while i + n.count <= s.count {
      if s[i] == n[0] && Array(s[i..<(i + n.count)]) == n { return i }
      i += 1
    }
    return nil
  }
}

/// The minified stylesheets and scripts of the last build, by the SHA-256 of the generator, the
/// file's extension and its source (`minified-assets.bin` in the build's cache folder): the
/// minifier runs only for a source it has not seen (about 7 ms a build for the templates' assets).
/// The file is a header, then each key and its text as length-prefixed strings (the records of
/// the other cache files, ``FileBytes/Reader``).
struct MinifiedAssets: Equatable {
  var texts: [String: String] = [:]

  static let magic: [UInt8] = Array("guide-minified-assets 1\n".utf8)

  static func key(_ source: String, fileExtension: String) -> String {
    Hashing.sha256([BuildManifest.generatorIdentity, "minified 1", fileExtension.lowercased(), source])
  }

  static func file(cache: URL, output: URL) -> URL {
    BuildManifest.folder(cache: cache, output: output).appendingPathComponent("minified-assets.bin")
  }

  /// The file's records; none when it is missing or not as written (then everything is minified).
  static func load(_ url: URL) -> MinifiedAssets {
    let file = FileBytes.load(url.path)
    guard file.buffer.starts(with: magic) else { return MinifiedAssets() }
    var reader = FileBytes.Reader(file, position: magic.count)
    var texts: [String: String] = [:]
    while reader.position < file.count {
      guard let key = reader.string(), let text = reader.string() else { return MinifiedAssets() }
      texts[key] = text
    }
    return MinifiedAssets(texts: texts)
  }

  func save(to url: URL) {
    var out = Self.magic
    for (key, text) in texts.sorted(by: { $0.key < $1.key }) {
      SearchAnalysisCache.put(string: key, into: &out)
      SearchAnalysisCache.put(string: text, into: &out)
    }
    try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try? Data(out).write(to: url, options: .atomic)
  }
}
