/// HTML escaping for element text and attribute values.
public enum HTML {
  /// Escapes `& < > " '` so the result is safe in element text and in quoted attribute values.
  /// Control characters other than tab and line breaks (NUL, ESC, DEL, …) are dropped: they are
  /// not allowed in HTML and would reach a terminal raw.
  public static func escape(_ text: String) -> String {
    // Two passes over the UTF-8 bytes: the length, then runs of plain bytes copied whole into
    // the result (the five characters are ASCII, so multi-byte sequences pass through intact).
    var bytes = text
    let escaped = bytes.withUTF8 { source -> String? in
      var length = source.count
      var plain = true
      for byte in source {
        let growth = escapeGrowth[Int(byte)]
        if growth != 0 {
          length += Int(growth)
          plain = false
        }
      }
      if plain { return nil }
      return String(unsafeUninitializedCapacity: length) { out in
        var written = 0
        var runStart = 0
        func flush(_ end: Int) {
          let run = end - runStart
          if run > 0 {
            (out.baseAddress! + written).initialize(from: source.baseAddress! + runStart, count: run)
            written += run
          }
        }
        for i in 0..<source.count where escapeGrowth[Int(source[i])] != 0 {
          flush(i)
          runStart = i + 1
          let entity: StaticString
          switch source[i] {
          case 38: entity = "&amp;"
          case 60: entity = "&lt;"
          case 62: entity = "&gt;"
          case 34: entity = "&quot;"
          case 39: entity = "&#39;"
          default: continue  // a control character: dropped
          }
          entity.withUTF8Buffer { bytes in
            for byte in bytes {
              out[written] = byte
              written += 1
            }
          }
        }
        flush(source.count)
        return written
      }
    }
    return escaped ?? text
  }

  /// How many bytes each byte adds when escaped: four for `&` (`&amp;`), three for `<` and `>`,
  /// five for `"`, four for `'`, minus one for a control character other than tab and line
  /// breaks (dropped), zero for the rest.
  private static let escapeGrowth: [Int8] = (0..<256).map { byte -> Int8 in
    switch byte {
    case 38: 4
    case 60, 62: 3
    case 34: 5
    case 39: 4
    case 9, 10, 13: 0
    case 0..<32, 127: -1
    default: 0
    }
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
