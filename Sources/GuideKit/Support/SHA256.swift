import CSHA256

/// SHA-256 (FIPS 180-4), for the snippet cache keys, the input index and the render keys.
///
/// A plain implementation instead of swift-crypto: that package builds BoringSSL (about 380 C
/// files), which doubled the clean build time of the generator on every fresh machine and CI run,
/// for one hash function. On a processor with the SHA extensions (x86-64 SHA-NI) the blocks are
/// compressed by its instructions (`CSHA256`, about ten times faster: an edit at 10,000 pages
/// hashes some 11 MB of render and cache keys); elsewhere by ``compress(_:)`` below. Tested
/// against the FIPS 180-4 example vectors, and the two compressions against each other. Blocks
/// are compressed straight from the caller's bytes; a tail of fewer than 64 bytes waits in the
/// value itself, so hashing allocates nothing.
struct SHA256Digest {
  private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
  )
  /// Bytes of an incomplete block: the first `pending` of these 64.
  private var tail: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
  private var pending = 0
  private var length: UInt64 = 0

  /// Whether this processor has the SHA instructions.
  static let hardware = guide_sha256_hardware() != 0
  private let usesHardware: Bool

  /// A new hash; `hardware: false` compresses in Swift even where the SHA instructions exist
  /// (the tests compare the two).
  init(hardware: Bool = SHA256Digest.hardware) { usesHardware = hardware }

  private static let k: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
  ]

  mutating func update<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
    let done: Void? = bytes.withContiguousStorageIfAvailable { update(bytes: UnsafeRawBufferPointer($0)) }
    if done == nil { update(bytes: Array(bytes)) }
  }

  /// One byte (the separators of ``Hashing/sha256(_:)`` and the keys).
  mutating func update(_ one: CollectionOfOne<UInt8>) {
    var byte = one.first!
    withUnsafeBytes(of: &byte) { update(bytes: $0) }
  }

  /// Hashes a string's UTF-8 bytes.
  mutating func update(_ string: String) {
    var copy = string
    copy.withUTF8 { update(bytes: UnsafeRawBufferPointer($0)) }
  }

  mutating func update(bytes array: [UInt8]) {
    array.withUnsafeBytes { update(bytes: $0) }
  }

  /// Whole blocks are compressed in place; only a tail of fewer than 64 bytes is kept.
  mutating func update(bytes: UnsafeRawBufferPointer) {
    guard !bytes.isEmpty else { return }
    var offset = 0
    length &+= UInt64(bytes.count)
    if pending > 0 {
      let take = min(64 - pending, bytes.count)
      let start = pending
      withUnsafeMutableBytes(of: &tail) { $0.baseAddress!.advanced(by: start).copyMemory(from: bytes.baseAddress!, byteCount: take) }
      pending += take
      offset = take
      if pending < 64 { return }
      var block = tail
      withUnsafeBytes(of: &block) { compress($0.baseAddress!, blocks: 1) }
      pending = 0
    }
    let blocks = (bytes.count - offset) / 64
    if blocks > 0 {
      compress(bytes.baseAddress! + offset, blocks: blocks)
      offset += 64 * blocks
    }
    if offset < bytes.count {
      let count = bytes.count - offset
      withUnsafeMutableBytes(of: &tail) { $0.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: count) }
      pending = count
    }
  }

  /// Pads and compresses the last block(s), in the value's own tail (nothing allocated).
  private mutating func pad() {
    let bitLength = length &* 8
    var padding:
      (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    // 0x80, zeros up to 56 bytes past a block boundary, the length in bits (big-endian).
    let count = (pending < 56 ? 64 : 128) - pending
    withUnsafeMutableBytes(of: &padding) { bytes in
      bytes[0] = 0x80
      for i in 0..<8 { bytes[count - 8 + i] = UInt8(truncatingIfNeeded: bitLength >> UInt64(56 - 8 * i)) }
      let saved = length
      update(bytes: UnsafeRawBufferPointer(rebasing: bytes[0..<count]))
      length = saved
    }
  }

  mutating func finalize() -> [UInt8] {
    pad()
    var out: [UInt8] = []
    out.reserveCapacity(32)
    for word in [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7] {
      out += [
        UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word),
      ]
    }
    return out
  }

  /// The digest as 64 lower-case hex digits (written straight into the string).
  mutating func finalizeHex() -> String {
    pad()
    let words = state
    return String(unsafeUninitializedCapacity: 64) { buffer in
      withUnsafeBytes(of: words) { raw in
        let words = raw.bindMemory(to: UInt32.self)
        for (n, word) in words.enumerated() {
          for i in 0..<8 {
            let nibble = UInt8(truncatingIfNeeded: word >> UInt32(28 - 4 * i)) & 15
            buffer[8 * n + i] = nibble < 10 ? 48 + nibble : 87 + nibble
          }
        }
      }
      return 64
    }
  }

  /// Compresses `blocks` whole blocks from `data`: with the SHA instructions where there are.
  private mutating func compress(_ data: UnsafeRawPointer, blocks: Int) {
    if usesHardware {
      withUnsafeMutableBytes(of: &state) {
        guide_sha256_compress_hardware(
          $0.baseAddress!.assumingMemoryBound(to: UInt32.self), data.assumingMemoryBound(to: UInt8.self), blocks)
      }
    } else {
      for n in 0..<blocks { compress(data + 64 * n) }
    }
  }

  private mutating func compress(_ block: UnsafeRawPointer) {
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
      for i in 0..<16 {
        let p = block + 4 * i
        w[i] =
          UInt32(p.load(as: UInt8.self)) << 24 | UInt32((p + 1).load(as: UInt8.self)) << 16
          | UInt32((p + 2).load(as: UInt8.self)) << 8 | UInt32((p + 3).load(as: UInt8.self))
      }
      for i in 16..<64 {
        let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
        let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
        w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
      }
      var (a, b, c, d, e, f, g, h) = state
      Self.k.withUnsafeBufferPointer { k in
        for i in 0..<64 {
          let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
          let ch = (e & f) ^ (~e & g)
          let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
          let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
          let maj = (a & b) ^ (a & c) ^ (b & c)
          let t2 = s0 &+ maj
          (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
        }
      }
      state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
    }
  }

  @inline(__always) private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}
