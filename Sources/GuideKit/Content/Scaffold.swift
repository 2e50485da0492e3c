import Foundation

/// `guide new question`: writes a question file with front matter and the section skeleton.
public enum Scaffold {
  public struct ScaffoldError: Error {
    public var message: String
    public var hint: String
    public var isUsage: Bool
  }

  /// The placeholder lines of the skeleton: `guide check` warns while they are still there.
  static let answerPlaceholder = "What a strong candidate says first, in four to eight sentences."
  static let followUpPlaceholder = "A likely follow-up? Its short answer."

  public static func newQuestion(guideDirectory: URL, level: String, title: String, tags: [String], id: String? = nil) throws -> String {
    guard Slug.isSafePathComponent(level) else {
      throw ScaffoldError(
        message: "level '\(GuideConfig.printable(level))' is not a level id",
        hint: "level ids are letters, digits, '-' and '_', e.g. --level mid",
        isUsage: true)
    }
    if let bad = title.unicodeScalars.first(where: { $0.properties.generalCategory == .control || $0.value == 0x7F }) {
      throw ScaffoldError(
        message: "the title contains the control character U+\(String(format: "%04X", bad.value)): '\(GuideConfig.printable(title))'",
        hint: "write the title on one line, without tabs or terminal escapes", isUsage: true)
    }
    let configPath = guideDirectory.appendingPathComponent(GuideConfig.fileName)
    guard let data = FileManager.default.contents(atPath: configPath.path), let text = String(validating: data, as: UTF8.self) else {
      throw ScaffoldError(
        message: "cannot read \(GuideBuild.displayPath(configPath))", hint: "run from the repository root or pass --guide", isUsage: false)
    }
    let (loaded, _) = GuideConfig.load(text: text, path: configPath.path)
    guard let config = loaded else {
      throw ScaffoldError(message: "guide.yml has errors", hint: "run 'guide check'", isUsage: false)
    }
    guard config.level(level) != nil else {
      throw ScaffoldError(
        message: "unknown level '\(level)'", hint: Suggestions.hint(for: level, in: config.levels.map(\.id), noun: "level"), isUsage: true)
    }
    for tag in tags where config.tag(tag) == nil {
      throw ScaffoldError(
        message: "unknown tag '\(tag)'", hint: Suggestions.hint(for: tag, in: config.tags.map(\.id), noun: "tag"), isUsage: true)
    }
    let trimmed = title.trimmedSpaces
    guard !trimmed.isEmpty else { throw ScaffoldError(message: "the title is empty", hint: "pass --title \"What is …?\"", isUsage: true) }
    var slug = String(Slug.make(trimmed).prefix(60)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    if let id {
      guard !id.isEmpty, id.count <= 60, id.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
        throw ScaffoldError(
          message: "invalid id '\(id)'", hint: "use a short slug of lower-case letters, digits and '-', e.g. --id soft-nms", isUsage: true)
      }
      slug = id
    }
    let directory = guideDirectory.appendingPathComponent("questions/\(level)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    // Unique file name and id across the whole guide.
    var existingIDs: Set<String> = []
    let questions = guideDirectory.appendingPathComponent("questions")
    if let enumerator = FileManager.default.enumerator(atPath: questions.path) {
      while let item = enumerator.nextObject() as? String {
        guard item.hasSuffix(".md") else { continue }
        existingIDs.insert(((item as NSString).lastPathComponent as NSString).deletingPathExtension)
        if let existing = questionTitle(questions.appendingPathComponent(item)), existing.lowercased() == trimmed.lowercased() {
          throw ScaffoldError(
            message: "a question with this title already exists: \(GuideBuild.displayPath(questions.appendingPathComponent(item)))",
            hint: "edit that question, or ask a different question", isUsage: false)
        }
      }
    }
    if id != nil, existingIDs.contains(slug) {
      throw ScaffoldError(message: "a question with the id '\(slug)' already exists", hint: "choose another --id", isUsage: false)
    }
    var name = slug
    var n = 2
    while existingIDs.contains(name) {
      name = "\(slug)-\(n)"
      n += 1
    }
    let url = directory.appendingPathComponent(name + ".md")
    let quotedTitle = "\"" + trimmed.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    let body = """
      ---
      title: \(quotedTitle)
      level: \(level)
      tags: [\(tags.joined(separator: ", "))]
      summary: ""
      ---

      ## 60-second answer

      \(answerPlaceholder)

      ## Deeper explanation

      ## Key points

      - 

      ## Follow-up questions

      - **A likely follow-up?** Its short answer.

      ## Pitfalls and red flags

      - 

      ## Related

      """
    try body.write(to: url, atomically: true, encoding: .utf8)
    return GuideBuild.displayPath(url)
  }

  /// The `title:` of a question file's front matter, if it has one.
  static func questionTitle(_ url: URL) -> String? {
    guard let data = FileManager.default.contents(atPath: url.path), let text = String(validating: data, as: UTF8.self),
      case .some(.some(let split)) = FrontMatter.split(text, path: url.path)
    else { return nil }
    return FrontMatter.parse(split.yaml, path: url.path, lineOffset: 1).0?.string("title")?.trimmedSpaces
  }
}
