// A self-contained PNG encoder: CRC-32 (the chunk checksum), Adler-32 (the zlib checksum), a
// DEFLATE compressor (LZ77 with a hash chain, then the *fixed* Huffman codes of RFC 1951 §3.2.6,
// so no code tables need to be built or sent), the zlib wrapper (RFC 1950), PNG row filters
// (RFC 2083: none, sub, up, average, Paeth, chosen per row by the usual "smallest sum of
// absolute values" heuristic) and Base64 for `data:` URIs. No system zlib, no Foundation.
// Fixed codes spend 8 or 9 bits per literal, so noisy pixels barely shrink; flat regions and
// repeated rows (the common case after the row filter) shrink a lot through LZ77 matches.

// MARK: - Checksums

/// CRC-32 (ISO-HDLC, polynomial 0xEDB88320, reflected), as used by PNG chunks, gzip and zip.
public enum CRC32 {
  static let table: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  /// Updates a running CRC (start with 0) with `bytes`.
  public static func update(_ crc: UInt32, _ bytes: some Sequence<UInt8>) -> UInt32 {
    var c = ~crc
    for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    return ~c
  }

  public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 { update(0, bytes) }
}

/// Adler-32 (RFC 1950), the checksum at the end of a zlib stream.
public enum Adler32 {
  public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var a: UInt32 = 1
    var b: UInt32 = 0
    var n = 0
    for byte in bytes {
      a += UInt32(byte)
      b += a
      n += 1
      if n == 5552 {  // the largest n for which b cannot overflow before the modulo
        a %= 65521
        b %= 65521
        n = 0
      }
    }
    return ((b % 65521) << 16) | (a % 65521)
  }
}

// MARK: - DEFLATE

/// Writes bits least-significant first, as DEFLATE packs them.
struct BitWriter {
  var bytes: [UInt8] = []
  var buffer: UInt64 = 0
  var count = 0

  mutating func write(_ value: UInt32, bits: Int) {
    buffer |= UInt64(value) << UInt64(count)
    count += bits
    while count >= 8 {
      bytes.append(UInt8(truncatingIfNeeded: buffer))
      buffer >>= 8
      count -= 8
    }
  }

  /// Writes a Huffman code, whose bits go most-significant first.
  mutating func writeCode(_ code: UInt32, length: Int) {
    var reversed: UInt32 = 0
    for i in 0..<length where code & (1 << UInt32(i)) != 0 { reversed |= 1 << UInt32(length - 1 - i) }
    write(reversed, bits: length)
  }

  mutating func flush() -> [UInt8] {
    if count > 0 { bytes.append(UInt8(truncatingIfNeeded: buffer)) }
    buffer = 0
    count = 0
    return bytes
  }
}

/// DEFLATE with LZ77 and the fixed Huffman codes, and the zlib stream around it.
public enum Deflate {
  /// Base lengths of the length codes 257…285 and their extra bits.
  static let lengthBase: [Int] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
  ]
  static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
  /// Base distances of the distance codes 0…29 and their extra bits.
  static let distanceBase: [Int] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
    6145, 8193, 12289, 16385, 24577,
  ]
  static let distanceExtra: [Int] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
  ]

  /// Writes literal/length symbol `symbol` (0…287) with the fixed code.
  static func writeSymbol(_ symbol: Int, to out: inout BitWriter) {
    switch symbol {
    case 0...143: out.writeCode(UInt32(0x30 + symbol), length: 8)
    case 144...255: out.writeCode(UInt32(0x190 + symbol - 144), length: 9)
    case 256...279: out.writeCode(UInt32(symbol - 256), length: 7)
    default: out.writeCode(UInt32(0xC0 + symbol - 280), length: 8)
    }
  }

  static func writeMatch(length: Int, distance: Int, to out: inout BitWriter) {
    var li = lengthBase.count - 1
    while lengthBase[li] > length { li -= 1 }
    writeSymbol(257 + li, to: &out)
    if lengthExtra[li] > 0 { out.write(UInt32(length - lengthBase[li]), bits: lengthExtra[li]) }
    var di = distanceBase.count - 1
    while distanceBase[di] > distance { di -= 1 }
    out.writeCode(UInt32(di), length: 5)
    if distanceExtra[di] > 0 { out.write(UInt32(distance - distanceBase[di]), bits: distanceExtra[di]) }
  }

  /// A raw DEFLATE stream (one final block with fixed codes) of `data`.
  public static func compress(_ data: [UInt8]) -> [UInt8] {
    var out = BitWriter()
    out.write(1, bits: 1)  // BFINAL
    out.write(1, bits: 2)  // BTYPE = 01, fixed Huffman codes
    let window = 32768
    let hashSize = 1 << 15
    let maxChain = 48
    var head = [Int](repeating: -1, count: hashSize)
    var prev = [Int](repeating: -1, count: data.count)
    func hash(_ i: Int) -> Int {
      (Int(data[i]) << 10 ^ Int(data[i + 1]) << 5 ^ Int(data[i + 2])) & (hashSize - 1)
    }
    func insert(_ i: Int) {
      guard i + 2 < data.count else { return }
      let h = hash(i)
      prev[i] = head[h]
      head[h] = i
    }
    var i = 0
    while i < data.count {
      var bestLength = 0
      var bestDistance = 0
      if i + 2 < data.count {
        var candidate = head[hash(i)]
        var chain = 0
        let limit = min(258, data.count - i)
        while candidate >= 0 && i - candidate <= window && chain < maxChain {
          var n = 0
          while n < limit && data[candidate + n] == data[i + n] { n += 1 }
          if n > bestLength {
            bestLength = n
            bestDistance = i - candidate
            if n == limit { break }
          }
          candidate = prev[candidate]
          chain += 1
        }
      }
      if bestLength >= 3 {
        writeMatch(length: bestLength, distance: bestDistance, to: &out)
        for k in 0..<bestLength { insert(i + k) }
        i += bestLength
      } else {
        writeSymbol(Int(data[i]), to: &out)
        insert(i)
        i += 1
      }
    }
    writeSymbol(256, to: &out)  // end of block
    return out.flush()
  }

  /// A zlib stream (RFC 1950): header, DEFLATE data, Adler-32 of the uncompressed data.
  public static func zlib(_ data: [UInt8]) -> [UInt8] {
    // CMF 0x78: deflate, 32 KB window; FLG 0x01: no dictionary, level "fastest", check bits
    // so that (CMF·256 + FLG) is a multiple of 31.
    var out: [UInt8] = [0x78, 0x01]
    out += compress(data)
    let adler = Adler32.checksum(data)
    out += [UInt8(adler >> 24), UInt8((adler >> 16) & 0xFF), UInt8((adler >> 8) & 0xFF), UInt8(adler & 0xFF)]
    return out
  }
}

// MARK: - PNG

/// Encodes 8-bit grayscale or RGB pixels as a PNG file.
public enum PNGEncoder {
  /// `pixels` are row-major, `channels` (1 = gray, 3 = RGB) bytes per pixel.
  public static func encode(width: Int, height: Int, channels: Int, pixels: [UInt8]) -> [UInt8] {
    precondition(channels == 1 || channels == 3, "PNGEncoder: 1 or 3 channels")
    precondition(pixels.count == width * height * channels, "PNGEncoder: pixel count does not match size")
    var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    var header: [UInt8] = []
    header += bigEndian(UInt32(width))
    header += bigEndian(UInt32(height))
    header += [8, channels == 1 ? 0 : 2, 0, 0, 0]  // depth 8, gray or truecolour, deflate, filters, no interlace
    png += chunk("IHDR", header)
    png += chunk("IDAT", Deflate.zlib(filtered(width: width, height: height, channels: channels, pixels: pixels)))
    png += chunk("IEND", [])
    return png
  }

  static func bigEndian(_ v: UInt32) -> [UInt8] {
    [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
  }

  static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let typeBytes = Array(type.utf8)
    return bigEndian(UInt32(data.count)) + typeBytes + data + bigEndian(CRC32.checksum(typeBytes + data))
  }

  static func paeth(_ a: Int, _ b: Int, _ c: Int) -> Int {
    let p = a + b - c
    let pa = abs(p - a)
    let pb = abs(p - b)
    let pc = abs(p - c)
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
  }

  /// The scanlines, each prefixed with the filter type that made it smallest.
  static func filtered(width: Int, height: Int, channels: Int, pixels: [UInt8]) -> [UInt8] {
    let stride = width * channels
    var out: [UInt8] = []
    out.reserveCapacity(height * (stride + 1))
    let zeros = [UInt8](repeating: 0, count: stride)
    for y in 0..<height {
      let row = Array(pixels[(y * stride)..<((y + 1) * stride)])
      let up = y > 0 ? Array(pixels[((y - 1) * stride)..<(y * stride)]) : zeros
      var best: [UInt8] = []
      var bestType: UInt8 = 0
      var bestCost = Int.max
      for type in 0..<5 {
        var line = [UInt8](repeating: 0, count: stride)
        var cost = 0
        for i in 0..<stride {
          let a = i >= channels ? Int(row[i - channels]) : 0
          let b = Int(up[i])
          let c = i >= channels ? Int(up[i - channels]) : 0
          let predictor: Int
          switch type {
          case 0: predictor = 0
          case 1: predictor = a
          case 2: predictor = b
          case 3: predictor = (a + b) / 2
          default: predictor = paeth(a, b, c)
          }
          let v = UInt8(truncatingIfNeeded: Int(row[i]) - predictor)
          line[i] = v
          cost += v < 128 ? Int(v) : 256 - Int(v)
        }
        if cost < bestCost {
          bestCost = cost
          best = line
          bestType = UInt8(type)
        }
      }
      out.append(bestType)
      out += best
    }
    return out
  }
}

// MARK: - Base64

public enum Base64 {
  static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  /// Standard Base64 with `=` padding (RFC 4648 §4).
  public static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i + 2 < bytes.count {
      let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
      out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
      i += 3
    }
    let rest = bytes.count - i
    if rest == 1 {
      let n = UInt32(bytes[i]) << 16
      out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], 61, 61]
    } else if rest == 2 {
      let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
      out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], 61]
    }
    return String(decoding: out, as: UTF8.self)
  }
}
