import Foundation

/// SHA-256 hex digests of content.
public enum Hashing {
  public static func sha256(_ parts: [String]) -> String {
    var hasher = SHA256Digest()
    for part in parts {
      hasher.update(part.utf8)
      hasher.update(CollectionOfOne(UInt8(0)))
    }
    return hasher.finalizeHex()
  }

  /// The SHA-256 hex digest of bytes.
  public static func sha256Hex(bytes: Data) -> String {
    var hasher = SHA256Digest()
    hasher.update(bytes)
    return hasher.finalizeHex()
  }

  /// The plain SHA-256 hex digest of one string (no separator), for tests against known vectors.
  public static func sha256Hex(_ text: String) -> String {
    var hasher = SHA256Digest()
    hasher.update(text.utf8)
    return hasher.finalizeHex()
  }
}
