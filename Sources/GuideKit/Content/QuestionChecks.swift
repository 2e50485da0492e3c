import Foundation
import Markdown

/// The checks that keep an unfinished or misfiled question out of the published guide: the
/// answer sections (present, in order, spelt right, not empty), the text `guide new question`
/// leaves in place, an empty summary or tag list, and a `level` that disagrees with the folder.
/// Everything is a warning (a draft still previews) except the level/folder mismatch, which
/// would list the question under one level at another level's URL.
enum QuestionChecks {
  /// The answer sections, in order; the last two are optional.
  static let sections = [
    "60-second answer", "Deeper explanation", "Key points", "Follow-up questions", "Pitfalls and red flags", "Try it", "Related",
  ]
  static let optionalSections: Set<String> = ["Try it", "Related"]

  /// Lines `guide new question` writes that a teacher must replace (see ``Scaffold``).
  static let placeholders = [Scaffold.answerPlaceholder, Scaffold.followUpPlaceholder]

  /// Letters and digits only, lower-cased: `60 second answer` and `60-second Answer` compare equal.
  static func normalized(_ heading: String) -> String {
    String(heading.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
  }

  /// The known section a heading means: exactly, or as a near miss (spacing, punctuation, case or
  /// a typo of at most two letters).
  static func section(for title: String) -> (name: String, exact: Bool)? {
    if let exact = sections.first(where: { $0.lowercased() == title.lowercased() }) { return (exact, true) }
    let key = normalized(title)
    guard !key.isEmpty else { return nil }
    if let near = sections.first(where: { normalized($0) == key }) { return (near, false) }
    if key.count >= 6, let near = sections.first(where: { Suggestions.distance(normalized($0), key) <= 2 }) { return (near, false) }
    return nil
  }

  static func check(
    path: String, folderLevel: String?, front: FrontMatter, levelID: String?, tagCount: Int, document: MarkdownNode, bodyLine: Int
  ) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    // Level against folder.
    if let folderLevel, let levelID, levelID != folderLevel, let value = front.fields["level"] {
      diagnostics.append(
        .error(
          path, value.location, "level '\(levelID)' does not match the folder 'questions/\(folderLevel)/'",
          hint: "set 'level: \(folderLevel)', or move the file to questions/\(levelID)/"))
    }
    // Summary and tags.
    if let value = front.fields["summary"], (front.string("summary") ?? "").trimmedSpaces.isEmpty {
      diagnostics.append(
        .warning(path, value.location, "the summary is empty", hint: "write the one line shown in question lists and search results"))
    }
    if let value = front.fields["tags"], tagCount == 0, case .list(let items) = value.content, items.isEmpty {
      diagnostics.append(
        .warning(path, value.location, "the question has no tags", hint: "add ids from the tags list in guide.yml, e.g. tags: [detection]"))
    }

    // Sections: the top-level `##` headings and what follows each.
    var found: [(name: String, location: SourceLocation, blocks: Int)] = []
    var current: Int?
    for block in document.children {
      if case .heading(let level) = block.kind, level <= 2 {
        current = nil
        guard level == 2 else { continue }
        let title = block.plainText.trimmedSpaces
        guard let (name, exact) = section(for: title) else { continue }
        if !exact {
          diagnostics.append(
            .warning(path, block.range.start, "unknown section '## \(title)'", hint: "did you mean '## \(name)'?"))
        }
        found.append((name, block.range.start, 0))
        current = found.count - 1
        continue
      }
      if let current { found[current].blocks += 1 }
      placeholderDiagnostics(block, path: path, into: &diagnostics)
    }
    // Out of order.
    var highest = -1
    var highestName = ""
    for section in found {
      let rank = sections.firstIndex(of: section.name) ?? 0
      if rank < highest {
        diagnostics.append(
          .warning(
            path, section.location, "section '## \(section.name)' comes after '## \(highestName)'",
            hint: "the answer sections go in this order: \(sections.joined(separator: ", "))"))
      } else {
        highest = rank
        highestName = section.name
      }
    }
    // Missing (the 60-second answer is reported by the parser): one warning naming them all.
    let names = Set(found.map(\.name))
    let missing = sections.filter { !optionalSections.contains($0) && !names.contains($0) }
    if names.contains(sections[0]), !missing.isEmpty, let last = found.last {
      diagnostics.append(
        .warning(
          path, last.location,
          "question has no \(missing.map { "'## \($0)'" }.joined(separator: ", ")) section\(missing.count > 1 ? "s" : "")",
          hint: "the answer sections go in this order: \(sections.joined(separator: ", ")) (the last two are optional)"))
    }
    for section in found where section.blocks == 0 {
      diagnostics.append(
        .warning(
          path, section.location, "section '## \(section.name)' is empty",
          hint: optionalSections.contains(section.name) ? "write it, or remove the heading" : "write it"))
    }
    return diagnostics
  }

  /// Placeholder lines and empty list items left by `guide new question`.
  private static func placeholderDiagnostics(_ node: MarkdownNode, path: String, into diagnostics: inout [Diagnostic]) {
    switch node.kind {
    case .paragraph:
      let text = node.plainText.trimmedSpaces
      if placeholders.contains(text) {
        diagnostics.append(
          .warning(path, node.range.start, "placeholder text from 'guide new question'", hint: "replace it with the answer"))
      }
      return
    case .item where node.children.isEmpty:
      diagnostics.append(.warning(path, node.range.start, "empty list item", hint: "write the item, or remove the '-' line"))
      return
    case .codeBlock, .htmlBlock:
      return
    default:
      break
    }
    for child in node.children { placeholderDiagnostics(child, path: path, into: &diagnostics) }
  }
}
