import Foundation
import Markdown
import Yams

/// `Guide/guide.yml`: the title, the levels in order, site settings, the tag vocabulary and the
/// search synonyms.
public struct GuideConfig: Sendable, Hashable {
  public struct Level: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Where its id is in guide.yml (for a generated page of the level that collides).
    public var location = SourceLocation(line: 1, column: 1)
  }

  public struct Tag: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Where its id is in guide.yml.
    public var location = SourceLocation(line: 1, column: 1)
  }

  public enum RawHTMLPolicy: String, Sendable, Hashable {
    /// Raw HTML in Markdown is shown as text (the default: content cannot inject markup or script).
    case escape
    /// Raw HTML passes through unchanged (for fully trusted content only).
    case allow
  }

  public var title: String
  public var description: String
  public var author: String
  public var siteURL: String?
  public var rawHTML: RawHTMLPolicy
  public var levels: [Level]
  public var tags: [Tag]
  public var synonyms: [[String]]

  public func level(_ id: String) -> Level? { levels.first { $0.id == id } }
  public func tag(_ id: String) -> Tag? { tags.first { $0.id == id } }

  static let fileName = "guide.yml"

  /// `text` with control characters shown as `\u{…}` escapes (never written raw to a terminal).
  static func printable(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 < 32 || $0 == 127 || $0 == 0xC2 }) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      if (scalar.properties.generalCategory == .control || scalar.value == 0x7F) && scalar != "\n" && scalar != "\t" {
        out += "\\u{\(String(scalar.value, radix: 16))}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// Reads and validates guide.yml; every problem is a diagnostic.
  static func load(text: String, path: String) -> (GuideConfig?, [Diagnostic]) {
    var diagnostics: [Diagnostic] = []
    let origin = SourceLocation(line: 1, column: 1)
    if let anchor = YAMLAnchors.first(in: text) {
      return (nil, [YAMLAnchors.diagnostic(path: path, at: anchor, lineOffset: 0, what: "guide.yml")])
    }
    let root: Node?
    do {
      root = try Yams.compose(yaml: text, .default, .default, .utf8)
    } catch let error as YamlError {
      return (nil, [FrontMatter.yamlDiagnostic(error, path: path, lineOffset: 0, what: "guide.yml", text: text)])
    } catch {
      return (nil, [.error(path, origin, "guide.yml is not valid YAML: \(error)")])
    }
    guard case .mapping(let mapping)? = root else {
      return (nil, [.error(path, origin, "guide.yml must be a YAML mapping", hint: "start with 'title: …' and 'levels:'")])
    }
    func loc(_ node: Node) -> SourceLocation { FrontMatter.shift(node.mark, 0, in: text) ?? origin }

    var config = GuideConfig(
      title: "", description: "", author: "", siteURL: nil, rawHTML: .escape, levels: [], tags: [], synonyms: [])
    let known = ["title", "description", "author", "site_url", "raw_html", "levels", "tags", "synonyms"]
    for (keyNode, value) in mapping {
      guard let key = keyNode.string else { continue }
      switch key {
      case "title": config.title = value.string ?? ""
      case "description": config.description = value.string ?? ""
      case "author": config.author = value.string ?? ""
      case "site_url":
        let url = (value.string ?? "").trimmedSpaces
        if !url.isEmpty {
          if url.hasPrefix("https://") || url.hasPrefix("http://") {
            config.siteURL = url.hasSuffix("/") ? url : url + "/"
          } else {
            diagnostics.append(
              .error(path, loc(value), "site_url must be an absolute http(s) URL", hint: "e.g. site_url: https://example.org/guide/"))
          }
        }
      case "raw_html":
        if let policy = RawHTMLPolicy(rawValue: value.string ?? "") {
          config.rawHTML = policy
        } else {
          diagnostics.append(
            .error(
              path, loc(value), "raw_html must be 'escape' or 'allow'",
              hint: Suggestions.hint(for: value.string ?? "", in: ["escape", "allow"], noun: "value")))
        }
      case "levels":
        guard case .sequence(let items) = value else {
          diagnostics.append(.error(path, loc(value), "levels must be a list of {id, name}"))
          continue
        }
        for item in items {
          guard let id = item["id"]?.string, !id.isEmpty else {
            diagnostics.append(.error(path, loc(item), "each level needs an 'id'", hint: "e.g. - id: junior\\n    name: Junior"))
            continue
          }
          guard Slug.isSafePathComponent(id) else {
            diagnostics.append(
              .error(
                path, loc(item["id"] ?? item), "level id '\(Self.printable(id))' must be letters, digits, '-' and '_'",
                hint: "the level id names the level's page (levels/ID.html); e.g. id: junior"))
            continue
          }
          if config.levels.contains(where: { $0.id == id }) {
            diagnostics.append(.error(path, loc(item), "duplicate level '\(id)'"))
            continue
          }
          config.levels.append(Level(id: id, name: item["name"]?.string ?? id, location: loc(item["id"] ?? item)))
        }
      case "tags":
        guard case .mapping(let tags) = value else {
          diagnostics.append(.error(path, loc(value), "tags must be a mapping of id: display name"))
          continue
        }
        for (tagKey, tagName) in tags {
          guard let id = tagKey.string else { continue }
          if id.isEmpty || id.contains(where: { !($0.isLetter || $0.isNumber || $0 == "-") }) || id != id.lowercased() {
            diagnostics.append(.error(path, loc(tagKey), "tag id '\(id)' must be lower-case letters, digits and '-'"))
            continue
          }
          config.tags.append(Tag(id: id, name: tagName.string ?? id, location: loc(tagKey)))
        }
      case "synonyms":
        guard case .sequence(let groups) = value else {
          diagnostics.append(.error(path, loc(value), "synonyms must be a list of lists of equivalent terms"))
          continue
        }
        for group in groups {
          guard case .sequence(let terms) = group else {
            diagnostics.append(.error(path, loc(group), "each synonym entry must be a list, e.g. [nms, non-maximum suppression]"))
            continue
          }
          let words = terms.compactMap(\.string).filter { !$0.isEmpty }
          if words.count >= 2 { config.synonyms.append(words) }
        }
      default:
        diagnostics.append(
          .warning(path, loc(keyNode), "unknown field '\(key)' in guide.yml", hint: Suggestions.hint(for: key, in: known, noun: "field")))
      }
    }
    if config.title.isEmpty {
      diagnostics.append(.error(path, origin, "guide.yml has no 'title'", hint: "add 'title: Computer Vision Interview Study Guide'"))
    }
    if config.levels.isEmpty {
      diagnostics.append(
        .error(path, origin, "guide.yml declares no levels", hint: "add 'levels:' with '- id: junior' / 'name: Junior' entries"))
    }
    return (config, diagnostics)
  }
}
