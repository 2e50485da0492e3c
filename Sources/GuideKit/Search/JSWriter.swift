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

  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// The string as a JSON string literal, ASCII only: UTF-16 code units outside printable ASCII
  /// are written `\uXXXX`. Built as bytes: appending scalar by scalar to a String was a fifth of
  /// the time of an incremental build at 1,000 pages.
  static func quoted(_ value: String) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(value.utf8.count + 2)
    bytes.append(0x22)
    func escape(_ unit: UInt16) {
      bytes.append(0x5C)
      bytes.append(0x75)
      for shift: UInt16 in [12, 8, 4, 0] { bytes.append(hexDigits[Int((unit >> shift) & 0xF)]) }
    }
    func add(_ byte: UInt8) {
      switch byte {
      case 0x22, 0x5C:
        bytes.append(0x5C)
        bytes.append(byte)
      case 0x0A:
        bytes.append(0x5C)
        bytes.append(0x6E)
      case 0x09:
        bytes.append(0x5C)
        bytes.append(0x74)
      case 0x0D:
        bytes.append(0x5C)
        bytes.append(0x72)
      case 0x20..<0x7F: bytes.append(byte)
      default: escape(UInt16(byte))
      }
    }
    // ASCII byte by byte (most text); anything else as UTF-16 escapes, scalar by scalar.
    if value.utf8.allSatisfy({ $0 < 0x80 }) {
      for byte in value.utf8 { add(byte) }
    } else {
      for scalar in value.unicodeScalars {
        if scalar.value < 0x80 {
          add(UInt8(scalar.value))
        } else {
          for unit in scalar.utf16 { escape(unit) }
        }
      }
    }
    bytes.append(0x22)
    return String(decoding: bytes, as: UTF8.self)
  }
}
