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
    // Two passes over the UTF-8 bytes, the length then the bytes, written straight into the
    // result; runs of printable ASCII are copied whole.
    var value = value
    return value.withUTF8 { source in
      var length = 2
      var i = 0
      while i < source.count {
        let byte = source[i]
        if byte < 0x80 {
          length += Int(quotedLength[Int(byte)])
          i += 1
        } else {
          // A scalar of 2 or 3 bytes is one UTF-16 unit (6 bytes escaped), of 4 bytes two.
          let size = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
          length += size == 4 ? 12 : 6
          i += size
        }
      }
      return String(unsafeUninitializedCapacity: length) { out in
        var written = 0
        func put(_ byte: UInt8) {
          out[written] = byte
          written += 1
        }
        func escape(_ unit: UInt16) {
          put(0x5C)
          put(0x75)
          for shift: UInt16 in [12, 8, 4, 0] { put(hexDigits[Int((unit >> shift) & 0xF)]) }
        }
        put(0x22)
        var i = 0
        while i < source.count {
          let byte = source[i]
          if byte >= 0x80 {
            let size = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            var scalar = UInt32(byte) & (size == 4 ? 0x07 : size == 3 ? 0x0F : 0x1F)
            for k in 1..<size { scalar = scalar << 6 | UInt32(source[i + k] & 0x3F) }
            for unit in Unicode.Scalar(scalar)!.utf16 { escape(unit) }
            i += size
            continue
          }
          switch byte {
          case 0x20..<0x7F where byte != 0x22 && byte != 0x5C:
            // A run of printable ASCII, copied whole.
            var end = i + 1
            while end < source.count, (0x20..<0x7F).contains(source[end]), source[end] != 0x22, source[end] != 0x5C { end += 1 }
            (out.baseAddress! + written).initialize(from: source.baseAddress! + i, count: end - i)
            written += end - i
            i = end
            continue
          case 0x22, 0x5C:
            put(0x5C)
            put(byte)
          case 0x0A:
            put(0x5C)
            put(0x6E)
          case 0x09:
            put(0x5C)
            put(0x74)
          case 0x0D:
            put(0x5C)
            put(0x72)
          default: escape(UInt16(byte))
          }
          i += 1
        }
        put(0x22)
        return written
      }
    }
  }

  /// The escaped length of each ASCII byte: 1 printable, 2 for `"`, `\`, line feed, tab and
  /// carriage return, 6 for other control characters (`\uXXXX`).
  private static let quotedLength: [UInt8] = (0..<128).map { byte -> UInt8 in
    switch byte {
    case 0x22, 0x5C, 0x0A, 0x09, 0x0D: 2
    case 0x20..<0x7F: 1
    default: 6
    }
  }

}
