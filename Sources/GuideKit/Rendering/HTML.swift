/// HTML escaping for element text and attribute values.
public enum HTML {
  /// Escapes `& < > " '` so the result is safe in element text and in quoted attribute values.
  /// Control characters other than tab and line breaks (NUL, ESC, DEL, …) are dropped: they are
  /// not allowed in HTML and would reach a terminal raw.
  public static func escape(_ text: String) -> String {
    var needs = false
    for byte in text.utf8
    where byte == 38 || byte == 60 || byte == 62 || byte == 34 || byte == 39 || (byte < 32 && byte != 9 && byte != 10 && byte != 13)
      || byte == 127
    {
      needs = true
      break
    }
    guard needs else { return text }
    // Byte by byte: the five characters are ASCII, so multi-byte sequences pass through intact.
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count + 32)
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

  /// Percent-encodes what must not appear raw in an href (spaces, quotes, non-ASCII), keeping `/#?&=%`.
  public static func encodeURL(_ url: String) -> String {
    var out = ""
    for byte in url.utf8 {
      let c = Character(UnicodeScalar(byte))
      if byte < 128 && (c.isLetter || c.isNumber || "-._~/#?&=%:+,;@!$*()".contains(c)) {
        out.append(c)
      } else {
        out += "%" + String(byte, radix: 16, uppercase: true).leftPad(2)
      }
    }
    return out
  }
}

extension String {
  func leftPad(_ width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
