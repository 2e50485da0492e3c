import Foundation
import Markdown

/// Where a link in the Markdown goes, after resolution.
public enum ResolvedLink: Sendable, Hashable {
  case external(String)
  /// A page of the guide (index into ``SiteModel/pages``) and an optional heading id.
  case page(Int, fragment: String?)
  case snippet(String, slice: String?)
  /// A file copied from `Guide/` (an image), by its path inside the site.
  case asset(String)
}

/// The linked site: pages, levels, tags, snippets and every cross-reference between them. It is
/// the single source of truth for URLs: templates, search and checks ask it.
public struct SiteModel: Sendable {
  public var config: GuideConfig
  /// Sorted by output path.
  public var pages: [Page]
  public var snippets: [Snippet]
  public var sharedFiles: [SharedSnippetFile]
  /// Per page: raw link destination → where it goes.
  public var links: PageLinks
  /// Per level id: question page indexes in reading order.
  public var questionsByLevel: [String: [Int]]
  public var levelPages: [String: Int]
  public var useCasePages: [String: Int]
  /// Per page: pages that link to it (sorted).
  public var backlinks: [[Int]]
  /// Per page: related questions (from its `## Related` section or `related:` field).
  public var related: [[Int]]
  /// Per snippet name: pages that embed or link it (sorted).
  public var snippetUsers: [String: [Int]]
  /// Per page: snippet names it embeds or links (sorted, unique).
  public var snippetsOfPage: [[String]]
  /// Files from `Guide/` the site needs (relative path → absolute source path).
  public var assets: [String: String]
  /// The last build's link, when it held for this one (``LinkSnapshot``): the links of pages not
  /// parsed are then resolved on first use, and the render keys take every page's part from it.
  var linkSnapshot: LinkSnapshot?

  public func page(_ index: Int) -> Page { pages[index] }
  public func snippet(named name: String) -> Snippet? { snippets.first { $0.name == name } }

  /// Relative prefix from a site path to the site root (`questions/junior/x.html` → `../../`).
  public static func root(for outputPath: String) -> String {
    String(repeating: "../", count: outputPath.split(separator: "/").count - 1)
  }

  /// A site path as it goes into an href: every byte but ASCII letters, digits, `-._~/` is
  /// percent-encoded, so a page named `#1 a?b.md` is reachable.
  public static func encodePath(_ path: String) -> String {
    func safe(_ byte: UInt8) -> Bool {
      (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57) || byte == 45 || byte == 46
        || byte == 95 || byte == 126 || byte == 47
    }
    if path.utf8.allSatisfy(safe) { return path }
    var out: [UInt8] = []
    let digits = Array("0123456789ABCDEF".utf8)
    for byte in path.utf8 {
      if safe(byte) {
        out.append(byte)
      } else {
        out += [37, digits[Int(byte >> 4)], digits[Int(byte & 15)]]
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The href from the page at `from` to the site path `to`.
  public static func href(from: String, to: String, fragment: String? = nil) -> String {
    let base = from == to && fragment != nil ? "" : root(for: from) + encodePath(to)
    if let fragment, !fragment.isEmpty { return base + "#" + fragment }
    return base
  }

  /// The shared files a snippet needs, transitively, sorted by name.
  public func sharedClosure(of snippet: Snippet) -> [SharedSnippetFile] {
    var seen: Set<String> = []
    var queue = snippet.uses
    while let name = queue.popLast() {
      guard !seen.contains(name), let file = sharedFiles.first(where: { $0.fileName == name }) else { continue }
      seen.insert(name)
      queue += file.uses
    }
    return sharedFiles.filter { seen.contains($0.fileName) }.sorted { $0.fileName < $1.fileName }
  }
}
