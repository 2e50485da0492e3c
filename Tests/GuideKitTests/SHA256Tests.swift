import Testing

@testable import GuideKit

@Suite struct SHA256Tests {
  @Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
  ])
  func matchesTheFIPSVectors(input: String, digest: String) {
    #expect(Hashing.sha256Hex(input) == digest)
    var swift = SHA256Digest(hardware: false)
    swift.update(input.utf8)
    #expect(swift.finalizeHex() == digest, "compressed portably")
  }

  @Test func hashesAMillionAs() {
    #expect(
      Hashing.sha256Hex(String(repeating: "a", count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test func feedingInPiecesGivesTheSameDigestAsAtOnce() {
    let text = String((0..<1000).map { Character(UnicodeScalar(UInt8(32 + $0 % 90))) })
    let whole = Hashing.sha256Hex(text)
    for pieceLength in [1, 7, 63, 64, 65, 200] {
      var hasher = SHA256Digest()
      var rest = Substring(text)
      while !rest.isEmpty {
        hasher.update(String(rest.prefix(pieceLength)))
        rest = rest.dropFirst(pieceLength)
      }
      #expect(hasher.finalizeHex() == whole, "pieces of \(pieceLength)")
    }
  }

  /// The processor's SHA instructions and the portable compression agree, on random inputs of every
  /// length around the block boundaries, fed whole and in random pieces.
  @Test(.enabled(if: SHA256Digest.hardware, "this processor has no SHA instructions: nothing to compare"))
  func theSHAInstructionsAgreeWithThePortableCompression() {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    for length in Array(0...200) + [511, 512, 513, 4_096, 65_537] {
      let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: next()) }
      var hardware = SHA256Digest(hardware: true)
      var swift = SHA256Digest(hardware: false)
      var rest = bytes[...]
      while !rest.isEmpty {
        let piece = rest.prefix(1 + Int(next() % 150))
        hardware.update(bytes: Array(piece))
        rest = rest.dropFirst(piece.count)
      }
      swift.update(bytes: bytes)
      #expect(hardware.finalizeHex() == swift.finalizeHex(), "\(length) bytes")
    }
  }
}
