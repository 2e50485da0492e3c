import Foundation
import Markdown

/// `guide new snippet NAME` and `guide snippet accept NAME`: a skeleton snippet with an empty
/// `.expected` file, and, after the author has reviewed a snippet's output, that output written
/// into its `.expected` file.
public enum SnippetAcceptance {
  public struct Failure: Error {
    public var message: String
    public var hint: String
    public var isUsage: Bool
  }

  /// Snippet names: lower-case letters, digits and `-` (they become file names and URLs).
  static func validate(_ name: String) throws {
    guard !name.isEmpty, name.count <= 60, name.first != "-",
      name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") })
    else {
      throw Failure(
        message: "invalid snippet name '\(name)'", hint: "use lower-case letters, digits and '-', e.g. soft-nms", isUsage: true)
    }
  }

  /// Writes `snippets/NAME.swift` and an empty `snippets/NAME.expected`; returns their paths.
  public static func newSnippet(guideDirectory: URL, name: String, title: String?) throws -> [String] {
    try validate(name)
    let folder = guideDirectory.appendingPathComponent("snippets")
    let source = folder.appendingPathComponent(name + ".swift")
    let expected = folder.appendingPathComponent(name + ".expected")
    for url in [source, expected] where FileManager.default.fileExists(atPath: url.path) {
      throw Failure(message: "\(GuideBuild.displayPath(url)) already exists", hint: "choose another name", isUsage: false)
    }
    let heading = (title ?? name).replacingOccurrences(of: "\n", with: " ").trimmedSpaces
    let text = """
      // snippet.title: \(heading.isEmpty ? name : heading)
      // To use shared code from snippets/Shared/, add a header line such as: // snippet.uses: Box.swift IoU.swift

      // snippet.hide
      import Foundation
      // snippet.show

      print("\(name): replace this with the computation the answer talks about")

      """
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try text.write(to: source, atomically: true, encoding: .utf8)
    try "".write(to: expected, atomically: true, encoding: .utf8)
    return [GuideBuild.displayPath(source), GuideBuild.displayPath(expected)]
  }

  /// What `accept` did.
  public struct Accepted: Sendable {
    public var path: String
    public var lines: Int
    public var changedLines: Int
    public var keptPatterns: Int
  }

  /// Runs snippet `name` and writes its output into its `.expected` file. A line of the old file
  /// that has a `{{measured}}` or `{{VALUE ± TOLERANCE}}` pattern and still matches the new
  /// output line at the same position is kept as it was; every other line becomes the new
  /// output, literally. Returns nil and the diagnostics when the snippet cannot be run.
  public static func accept(name: String, options: BuildOptions) throws -> (Accepted?, [Diagnostic], [String: String]) {
    try validate(name)
    let (loaded, loadDiagnostics, texts) = GuideLoader.load(
      guideDirectory: options.guideDirectory, displayPrefix: GuideBuild.displayPath(options.guideDirectory), jobs: options.jobs)
    guard let sources = loaded else { return (nil, loadDiagnostics.filter { $0.severity == .error }, texts) }
    var (site, _) = SiteLinker.link(sources, jobs: options.jobs)
    guard let snippet = site.snippet(named: name) else {
      throw Failure(
        message: "no snippet '\(name)' in \(GuideBuild.displayPath(options.guideDirectory))/snippets",
        hint: Suggestions.hint(for: name, in: site.snippets.map(\.name), noun: "snippet"), isUsage: true)
    }
    site.snippets = [snippet]
    let runner = SnippetRunner(settings: .init(jobs: 1, cacheDirectory: options.cacheDirectory, rerun: options.rerunSnippets))
    let (runs, diagnostics, _) = runner.runAll(site)
    guard let run = runs[name] else { return (nil, diagnostics, texts) }
    let url = options.guideDirectory.appendingPathComponent("snippets/\(name).expected")
    let (text, changed, kept) = merge(old: snippet.expected, output: run.stdout)
    try text.write(to: url, atomically: true, encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
    return (Accepted(path: GuideBuild.displayPath(url), lines: lines, changedLines: changed, keptPatterns: kept), diagnostics, texts)
  }

  /// The new `.expected` text for `output`, keeping the old file's pattern lines that still match.
  static func merge(old: ExpectedOutput?, output: String) -> (text: String, changed: Int, kept: Int) {
    var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    var changed = 0
    var kept = 0
    var out: [String] = []
    for (index, line) in lines.enumerated() {
      guard let old, index < old.lines.count else {
        changed += 1
        out.append(line)
        continue
      }
      let segments = old.lines[index]
      let hasPattern = segments.contains { if case .literal = $0 { false } else { true } }
      if ExpectedOutput.match(line: line, segments: segments) != nil {
        out.append(old.render(segments))
        if hasPattern { kept += 1 }
      } else {
        changed += 1
        out.append(line)
      }
    }
    changed += max(0, (old?.lines.count ?? 0) - lines.count)
    return (out.map { $0 + "\n" }.joined(), changed, kept)
  }
}
