/// "Did you mean …?" suggestions by edit distance.
public enum Suggestions {
  /// The candidate closest to `word`, when it is close enough to be a plausible typo.
  ///
  /// Only a distance up to `max(2, word.count / 3)` can ever be accepted, so each candidate is
  /// compared within that band only (and skipped at once when the lengths differ by more): a page
  /// with 3,000 headings and 3,000 broken anchors costs milliseconds, not minutes. The result is
  /// the one a full comparison of every candidate gives (ties: the smallest candidate).
  public static func closest(to word: String, in candidates: [String]) -> String? {
    let lower = Array(word.lowercased().unicodeScalars)
    let cutoff = max(2, lower.count / 3)
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
      let other = Array(candidate.lowercased().unicodeScalars)
      let bound = min(cutoff, best?.distance ?? cutoff)
      guard abs(other.count - lower.count) <= bound, let d = boundedDistance(lower, other, bound: bound) else { continue }
      if best == nil || d < best!.distance || (d == best!.distance && candidate < best!.candidate) { best = (candidate, d) }
    }
    guard let (candidate, d) = best else { return nil }
    let limit = max(2, min(lower.count, candidate.count) / 3)
    return d <= limit ? candidate : nil
  }

  /// The Levenshtein distance of `a` and `b` when it is at most `bound`, else nil; only the cells
  /// within `bound` of the diagonal are computed.
  static func boundedDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], bound: Int) -> Int? {
    if a.isEmpty { return b.count <= bound ? b.count : nil }
    if b.isEmpty { return a.count <= bound ? a.count : nil }
    let big = bound + 1
    var previous = [Int](repeating: big, count: b.count + 1)
    var current = [Int](repeating: big, count: b.count + 1)
    for j in 0...min(b.count, bound) { previous[j] = j }
    for i in 1...a.count {
      let low = max(1, i - bound)
      let high = min(b.count, i + bound)
      if low > high { return nil }
      current[low - 1] = low == 1 && i <= bound ? i : big
      var rowMinimum = current[low - 1]
      for j in low...high {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        let value = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost, big)
        current[j] = value
        rowMinimum = Swift.min(rowMinimum, value)
      }
      if high < b.count { current[high + 1] = big }
      if rowMinimum > bound { return nil }
      swap(&previous, &current)
    }
    let d = previous[b.count]
    return d <= bound ? d : nil
  }

  /// A hint: "did you mean 'x'? valid values: a, b, c" (the list only when short).
  public static func hint(for word: String, in candidates: [String], noun: String) -> String {
    let sorted = candidates.sorted()
    let list = sorted.count <= 24 ? "valid \(noun)s: \(sorted.joined(separator: ", "))" : nil
    if let match = closest(to: word, in: candidates) {
      return "did you mean '\(match)'?" + (list.map { " \($0)" } ?? "")
    }
    return list ?? "see guide.yml for the valid \(noun)s"
  }

  /// Levenshtein distance over characters.
  public static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
