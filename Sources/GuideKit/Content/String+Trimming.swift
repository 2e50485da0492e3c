/// Trimming without bridging to NSString (Foundation's `trimmingCharacters` was 8% of a build).
extension StringProtocol {
  /// Without leading and trailing spaces and tabs (line breaks kept), like `.whitespaces`.
  var trimmedSpaces: String { trimmed { $0.isWhitespace && !$0.isNewline } }

  /// Without leading and trailing whitespace and line breaks, like `.whitespacesAndNewlines`.
  var trimmedWhitespace: String { trimmed { $0.isWhitespace } }

  private func trimmed(_ drop: (Character) -> Bool) -> String {
    // Most text starts and ends with a visible ASCII character: nothing to trim (no walk by Character).
    if let first = utf8.first, (0x21..<0x7F).contains(first), let last = utf8.reversed().first, (0x21..<0x7F).contains(last) {
      return String(self)
    }
    guard let first = firstIndex(where: { !drop($0) }) else { return "" }
    let last = lastIndex(where: { !drop($0) })!
    return String(self[first...last])
  }
}
