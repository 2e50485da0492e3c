/// Turns a page's texts into term counts as the search index does (``SearchText`` tokens, stop
/// words dropped, multi-word synonyms matched as phrases), giving every term an id in the order
/// terms are first met. Used by the whole index (``SearchIndexModel``) and by the update of a
/// few pages (``SearchIndexUpdate``), so both count alike.
struct SearchAnalyzer {
  /// A text's counts by term id, sorted by id, and its length in indexed terms.
  struct Numbered {
    var counts: [(term: Int, count: Int)]
    var length: Int
  }

  /// Synonym groups as terms (phrases joined with "_").
  let synonymGroups: [[String]]
  /// First token → the multi-token synonyms starting with it.
  private let phrases: [String: [[String]]]
  private let tags: [SearchIndexBuilder.Named]
  private var ids: [String: Int] = [:]
  /// Terms by id.
  private(set) var names: [String] = []
  private var memo: [String: SearchText.Token] = [:]
  /// Per term id: its count in the text being counted (zero between texts). An array, not a
  /// dictionary: this runs on every section.
  private var scratch: [Int] = []

  init(builder: SearchIndexBuilder) {
    // Synonyms: each member becomes a term; multi-word members are matched as phrases.
    var phrases: [String: [[String]]] = [:]
    var groups: [[String]] = []
    for group in builder.synonyms {
      var members: [String] = []
      for member in group {
        let tokens = SearchText.analyze(member).map(\.term)
        guard !tokens.isEmpty else { continue }
        let term = tokens.joined(separator: "_")
        if !members.contains(term) { members.append(term) }
        if tokens.count > 1, !(phrases[tokens[0]] ?? []).contains(tokens) {
          phrases[tokens[0], default: []].append(tokens)
        }
      }
      if members.count > 1 { groups.append(members) }
    }
    self.phrases = phrases
    synonymGroups = groups
    tags = builder.tags
  }

  /// The id of a term (a new one for a term not met yet).
  mutating func id(_ term: String) -> Int {
    if let existing = ids[term] { return existing }
    ids[term] = names.count
    names.append(term)
    return names.count - 1
  }

  private mutating func touch(_ term: Int, _ touched: inout [Int]) {
    // Ids of terms met only in reused analyses have no slot yet.
    if term >= scratch.count { scratch += repeatElement(0, count: term - scratch.count + 1) }
    if scratch[term] == 0 { touched.append(term) }
    scratch[term] += 1
  }

  /// Term counts of a text, sorted by term id, and its length in indexed terms.
  mutating func count(_ text: String) -> Numbered {
    let tokens = SearchText.analyze(text, memo: &memo)
    var touched: [Int] = []
    var length = 0
    for (i, token) in tokens.enumerated() {
      if !token.isStop {
        touch(id(token.term), &touched)
        length += 1
      }
      for phrase in phrases[token.term] ?? [] where i + phrase.count <= tokens.count {
        if (1..<phrase.count).allSatisfy({ tokens[i + $0].term == phrase[$0] }) {
          touch(id(phrase.joined(separator: "_")), &touched)
        }
      }
    }
    touched.sort()
    let counts = touched.map { (term: $0, count: scratch[$0]) }
    for term in touched { scratch[term] = 0 }
    return Numbered(counts: counts, length: length)
  }

  /// A page's texts in the order the index and its cache keep them: title, tag names, summary,
  /// then each section's heading and body.
  func texts(of page: SearchIndexModel.Page) -> [String] {
    [page.title, page.tags.map { tags[$0].name }.joined(separator: ", "), page.summary]
      + page.sections.flatMap { [$0.heading, $0.text] }
  }

  /// A page's texts counted, by term id.
  mutating func numbered(_ page: SearchIndexModel.Page) -> [Numbered] {
    texts(of: page).map { count($0) }
  }

  /// A page's texts counted, by term (for the analysis cache, whose numbers are not this build's ids).
  mutating func counted(_ page: SearchIndexModel.Page) -> [SearchAnalysisCache.Counted] {
    // Numbered first: `counted(numbered(page))` would read `names` as they were before.
    let texts = numbered(page)
    return counted(texts)
  }

  /// Numbered texts by term.
  func counted(_ numbered: [Numbered]) -> [SearchAnalysisCache.Counted] {
    numbered.map { numbered in
      SearchAnalysisCache.Counted(terms: numbered.counts.map { (names[$0.term], $0.count) }, length: numbered.length)
    }
  }

  /// Counts by term back to this analyzer's ids.
  mutating func numbered(_ counted: SearchAnalysisCache.Counted) -> Numbered {
    Numbered(counts: counted.terms.map { (id($0.term), $0.count) }, length: counted.length)
  }
}
