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
}
