import CSHA256

/// SHA-256 (FIPS 180-4), for the snippet cache keys, the input index and the render keys.
///
/// A plain implementation instead of swift-crypto: that package builds BoringSSL (about 380 C
/// files), which doubled the clean build time of the generator on every fresh machine and CI run,
/// for one hash function. The blocks are compressed in C (`CSHA256`): by the processor's SHA
/// instructions where it has them (x86-64 SHA-NI, about ten times faster: an edit at 10,000 pages
/// hashes some 11 MB of render and cache keys), portably elsewhere; this type buffers and pads. Tested
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

  /// A new hash; `hardware: false` compresses portably even where the SHA instructions exist
  /// (the tests compare the two).
  init(hardware: Bool = SHA256Digest.hardware) { usesHardware = hardware }

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
    let hardware = usesHardware
    withUnsafeMutableBytes(of: &state) {
      let state = $0.baseAddress!.assumingMemoryBound(to: UInt32.self)
      let bytes = data.assumingMemoryBound(to: UInt8.self)
      if hardware {
        guide_sha256_compress_hardware(state, bytes, blocks)
      } else {
        guide_sha256_compress_portable(state, bytes, blocks)
      }
    }
  }
}
