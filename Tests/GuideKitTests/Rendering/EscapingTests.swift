import Testing

@testable import GuideKit

/// HTML escaping and JS string literals, written in two passes straight into the result, against
/// the byte-by-byte versions they replaced, on random text of every kind of byte and scalar.
@Suite struct EscapingTests {
  /// What may occur: plain ASCII, the characters each escape handles, control characters,
  /// scalars of two, three and four UTF-8 bytes, a combining mark.
  static let alphabet: [String] = [
    "a", "Z", "0", " ", "-", "/", "&", "<", ">", "\"", "'", "\\", "\t", "\n", "\r", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}",
    "é", "ß", "—", "≥", "€", "😀", "𝔸", "e\u{301}", "\u{2028}", "&amp;",
  ]

  static func texts() -> [String] {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    var texts = ["", "plain text only", String(repeating: "long plain run ", count: 200)] + alphabet
    for _ in 0..<400 {
      texts.append((0..<next(40)).map { _ in alphabet[next(alphabet.count)] }.joined())
    }
    return texts
  }

  /// The escaping as it was written before: byte by byte into an array.
  static func referenceHTML(_ text: String) -> String {
    var out: [UInt8] = []
    for byte in text.utf8 {
      switch byte {
      case 38: out.append(contentsOf: "&amp;".utf8)
      case 60: out.append(contentsOf: "&lt;".utf8)
      case 62: out.append(contentsOf: "&gt;".utf8)
      case 34: out.append(contentsOf: "&quot;".utf8)
      case 39: out.append(contentsOf: "&#39;".utf8)
      case 9, 10, 13: out.append(byte)
      case 0..<32, 127: break
      default: out.append(byte)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The JS literal as it was written before: ASCII byte by byte, the rest as UTF-16 escapes.
  static func referenceQuoted(_ value: String) -> String {
    var out = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case " "..."~": out.unicodeScalars.append(scalar)
      default:
        for unit in scalar.utf16 {
          let hex = String(unit, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
      }
    }
    return out + "\""
  }

  @Test func htmlEscapingEqualsTheByteByByteVersion() {
    for text in Self.texts() {
      #expect(HTML.escape(text) == Self.referenceHTML(text), "\(text.debugDescription)")
    }
    #expect(HTML.escape("a < b & \"c\" 'd' >\u{1}") == "a &lt; b &amp; &quot;c&quot; &#39;d&#39; &gt;")
  }

  @Test func jsLiteralsEqualTheScalarByScalarVersion() {
    for text in Self.texts() {
      #expect(JSWriter.quoted(text) == Self.referenceQuoted(text), "\(text.debugDescription)")
    }
    #expect(JSWriter.quoted("é😀\"\\\n\u{7F}") == #""\u00e9\ud83d\ude00\"\\\n\u007f""#)
  }
}
