/// "Did you mean …?" suggestions by edit distance.
public enum Suggestions {
  /// The candidate closest to `word`, when it is close enough to be a plausible typo.
  public static func closest(to word: String, in candidates: [String]) -> String? {
    let lower = word.lowercased()
    var best: (String, Int)?
    for candidate in candidates.sorted() {
      let d = distance(lower, candidate.lowercased())
      if best == nil || d < best!.1 { best = (candidate, d) }
    }
    guard let (candidate, d) = best else { return nil }
    let limit = max(2, min(lower.count, candidate.count) / 3)
    return d <= limit ? candidate : nil
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
