/// Trimming without bridging to NSString (Foundation's `trimmingCharacters` was 8% of a build).
extension StringProtocol {
  /// Without leading and trailing spaces and tabs (line breaks kept), like `.whitespaces`.
  var trimmedSpaces: String { trimmed { $0.isWhitespace && !$0.isNewline } }

  /// Without leading and trailing whitespace and line breaks, like `.whitespacesAndNewlines`.
  var trimmedWhitespace: String { trimmed { $0.isWhitespace } }

  private func trimmed(_ drop: (Character) -> Bool) -> String {
    guard let first = firstIndex(where: { !drop($0) }) else { return "" }
    let last = lastIndex(where: { !drop($0) })!
    return String(self[first...last])
  }
}
