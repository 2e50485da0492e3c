import Foundation
import Markdown
import Mustache

/// Loads the Mustache templates: every `*.mustache` file of the templates folder, by its path
/// without the extension. Syntax errors, unknown or self-including partials, missing templates
/// and symbolic links leading out of the folder are diagnostics.
enum TemplateLoader {
  static let requiredTemplates = [
    "home", "level", "question", "use-case", "page", "tags", "tag", "snippets", "snippet", "search", "quiz", "print", "404",
  ]

  /// A path for diagnostics.
  static func displayPath(_ url: URL) -> String { GuideBuild.displayPath(url) }

  /// The files under `directory` (hidden names skipped), sorted: the same listing the input
  /// index fingerprints, so a template the build reads is always one the fingerprint covers.
  static func listFiles(_ directory: URL) -> [String] {
    FileTree.list(directory).map(\.path)
  }

  /// A partial (`{{> name}}`) or parent (`{{< name}}`) tag in a template, with its position.
  struct PartialReference {
    var name: String
    var line: Int
    var column: Int
  }

  static func partialReferences(in text: String) -> [PartialReference] {
    var out: [PartialReference] = []
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      var rest = line[...]
      while let open = rest.range(of: "{{") {
        let after = rest[open.upperBound...].drop { $0 == " " }
        guard let sigil = after.first, sigil == ">" || sigil == "<", let close = after.range(of: "}}") else {
          rest = rest[open.upperBound...]
          continue
        }
        let name = after[after.index(after: after.startIndex)..<close.lowerBound].trimmingCharacters(in: .whitespaces)
        out.append(PartialReference(name: name, line: number + 1, column: line.distance(from: line.startIndex, to: open.lowerBound) + 1))
        rest = after[close.upperBound...]
      }
    }
    return out
  }

  /// Unknown partials (which would render as nothing) and partials that include themselves,
  /// directly or through others (which would recurse until the stack overflows): each a
  /// diagnostic at the template's line.
  static func partialDiagnostics(texts: [String: String], display: String) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    var references: [String: [PartialReference]] = [:]
    var pathOf: [String: String] = [:]
    let prefix = GuideLoader.join(display, "")
    for (path, text) in texts {
      let relative = path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
      let name = String(relative.dropLast(".mustache".count))
      references[name] = partialReferences(in: text)
      pathOf[name] = path
    }
    for name in references.keys.sorted() {
      for reference in references[name]! where references[reference.name] == nil {
        diagnostics.append(
          .error(
            pathOf[name]!, SourceLocation(line: reference.line, column: reference.column), "unknown partial '\(reference.name)'",
            hint: Suggestions.closest(to: reference.name, in: Array(references.keys)).map { "did you mean '\($0)'?" }
              ?? "partials are the .mustache files of the templates folder, named by their path without the extension"))
      }
    }
    // Cycles: a depth-first search from every template; each reference that closes a cycle is reported once.
    var state: [String: Int] = [:]  // 1: on the current path, 2: done
    var reported: Set<String> = []
    func visit(_ name: String, _ path: [String]) {
      state[name] = 1
      for reference in references[name] ?? [] where references[reference.name] != nil {
        if state[reference.name] == 1 {
          let key = "\(name) \(reference.line) \(reference.column)"
          if reported.insert(key).inserted {
            let cycle = (path.drop { $0 != reference.name } + [name, reference.name]).joined(separator: " → ")
            diagnostics.append(
              .error(
                pathOf[name]!, SourceLocation(line: reference.line, column: reference.column),
                "partial '\(reference.name)' includes itself (\(cycle))",
                hint: "a partial cannot include itself, directly or through other partials; remove the inclusion"))
          }
        } else if state[reference.name] == nil {
          visit(reference.name, path + [name])
        }
      }
      state[name] = 2
    }
    for name in references.keys.sorted() where state[name] == nil { visit(name, []) }
    return diagnostics
  }

  /// Loads every `*.mustache` file; syntax errors and missing templates are diagnostics.
  static func load(_ directory: URL) -> (MustacheLibrary?, [Diagnostic], [String: String]) {
    var diagnostics: [Diagnostic] = []
    var texts: [String: String] = [:]
    let display = displayPath(directory)
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDir), isDir.boolValue else {
      return (
        nil,
        [.error(display, SourceLocation(line: 1, column: 1), "templates folder '\(display)' does not exist", hint: "pass --templates DIR")],
        texts
      )
    }
    // The rule Guide/ has: a symbolic link may not lead out of the folder (a template or an
    // asset linked to /etc/passwd would be read or copied into the site).
    let root = OutputGuard.canonical(directory.path)
    for relative in listFiles(directory) {
      let full = directory.appendingPathComponent(relative).path
      var info = stat()
      guard lstat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { continue }
      let target = OutputGuard.canonical(full)
      if !target.hasPrefix(root + "/") {
        diagnostics.append(
          .error(
            GuideLoader.join(display, relative), SourceLocation(line: 1, column: 1), "symbolic link points outside the templates folder",
            hint: "copy the file into the templates folder instead of linking to '\(target)'"))
      }
    }
    if diagnostics.hasErrors { return (nil, diagnostics, texts) }
    var library = MustacheLibrary()
    var names: Set<String> = []
    for relative in listFiles(directory) where relative.hasSuffix(".mustache") {
      let path = GuideLoader.join(display, relative)
      let data: Data
      switch GuideLoader.readRegularFile(directory.appendingPathComponent(relative).path) {
      case .success(let bytes): data = bytes
      case .failure(let problem):
        diagnostics.append(.error(path, SourceLocation(line: 1, column: 1), problem.message))
        continue
      }
      guard let text = String(validating: data, as: UTF8.self) else {
        diagnostics.append(.error(path, SourceLocation(line: 1, column: 1), "template is not readable UTF-8 text"))
        continue
      }
      texts[path] = text
      let name = String(relative.dropLast(".mustache".count))
      do {
        library.register(try MustacheTemplate(string: GuideHTML.pragma + text), named: name)
        names.insert(name)
      } catch let error as MustacheTemplate.ParserError {
        diagnostics.append(
          .error(
            path, SourceLocation(line: max(1, error.context.lineNumber - 1), column: max(1, error.context.columnNumber)),
            "template syntax error: \(error.error)", hint: "check that every {{#section}} has a matching {{/section}}"))
      } catch {
        diagnostics.append(.error(path, SourceLocation(line: 1, column: 1), "template syntax error: \(error)"))
      }
    }
    diagnostics += partialDiagnostics(texts: texts, display: display)
    for required in requiredTemplates
    where !names.contains(required) && !texts.keys.contains(GuideLoader.join(display, required + ".mustache")) {
      diagnostics.append(
        .error(
          GuideLoader.join(display, required + ".mustache"), SourceLocation(line: 1, column: 1), "missing template '\(required)'",
          hint: "every page kind needs its template; restore it from the repository"))
    }
    return (diagnostics.hasErrors ? nil : library, diagnostics, texts)
  }
}

/// HTML escaping for the templates' `{{value}}` tags: the same five characters as swift-mustache's
/// own HTML content type, escaped byte by byte (``HTML/escape(_:)``). swift-mustache 2.1 escapes
/// Character by Character through a dictionary, which was 8.5% of a full build. Every template is
/// read with this content type selected on a line of its own before its first line (the line
/// numbers of template diagnostics are corrected for it).
struct GuideHTML: MustacheContentType {
  func escapeText(_ text: String) -> String { HTML.escape(text) }

  static let pragma: String = {
    MustacheContentTypes.register(GuideHTML(), named: "GUIDE_HTML")
    return "{{% CONTENT_TYPE: GUIDE_HTML}}\n"
  }()
}
