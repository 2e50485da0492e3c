import Foundation

/// `guide new question`: writes a question file with front matter and the section skeleton.
public enum Scaffold {
  public struct ScaffoldError: Error {
    public var message: String
    public var hint: String
    public var isUsage: Bool
  }

  public static func newQuestion(guideDirectory: URL, level: String, title: String, tags: [String]) throws -> String {
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
    let slug = String(Slug.make(trimmed).prefix(60)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    let directory = guideDirectory.appendingPathComponent("questions/\(level)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    // Unique file name and id across the whole guide.
    var existingIDs: Set<String> = []
    if let enumerator = FileManager.default.enumerator(atPath: guideDirectory.appendingPathComponent("questions").path) {
      while let item = enumerator.nextObject() as? String {
        guard item.hasSuffix(".md") else { continue }
        existingIDs.insert(((item as NSString).lastPathComponent as NSString).deletingPathExtension)
      }
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

      What a strong candidate says first, in four to eight sentences.

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
}
