/// Writes JavaScript literals (JSON syntax, ASCII only) for the search index files.
///
/// Output is ASCII so that the files read the same whatever encoding a browser assumes for a
/// script opened from disk; everything else is escaped as `\uXXXX`.
struct JSWriter {
  var out: String = ""

  init(capacity: Int = 0) { out.reserveCapacity(capacity) }

  mutating func raw(_ text: String) { out += text }

  mutating func int(_ value: Int) { out += String(value) }

  mutating func string(_ value: String) { out += JSWriter.quoted(value) }

  mutating func ints(_ values: [Int]) {
    out += "["
    for (i, v) in values.enumerated() {
      if i > 0 { out += "," }
      out += String(v)
    }
    out += "]"
  }

  mutating func strings(_ values: [String]) {
    out += "["
    for (i, v) in values.enumerated() {
      if i > 0 { out += "," }
      out += JSWriter.quoted(v)
    }
    out += "]"
  }

  static func quoted(_ value: String) -> String {
    var result = "\""
    for unit in value.utf16 {
      switch unit {
      case 0x22: result += "\\\""
      case 0x5C: result += "\\\\"
      case 0x0A: result += "\\n"
      case 0x09: result += "\\t"
      case 0x0D: result += "\\r"
      case 0x20..<0x7F: result.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
      default:
        let hex = String(unit, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      }
    }
    return result + "\""
  }
}
