/// HTML escaping for element text and attribute values.
public enum HTML {
  /// Escapes `& < > " '` so the result is safe in element text and in quoted attribute values.
  public static func escape(_ text: String) -> String {
    var needs = false
    for byte in text.utf8 where byte == 38 || byte == 60 || byte == 62 || byte == 34 || byte == 39 {
      needs = true
      break
    }
    guard needs else { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
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
