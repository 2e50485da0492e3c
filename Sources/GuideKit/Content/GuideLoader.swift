import Foundation
import Markdown

/// A file read from `Guide/` (or `Templates/`), decoded as text.
public struct SourceFile: Sendable, Hashable {
  /// Path inside the guide folder with `/` separators.
  public var relativePath: String
  /// Path shown in diagnostics.
  public var displayPath: String
  public var text: String
}

/// Everything read from `Guide/`, before parsing.
public struct GuideSources: Sendable {
  public var config: GuideConfig
  public var markdown: [SourceFile]
  public var snippets: [SourceFile]
  public var sharedSnippetCode: [SourceFile]
  public var expectedOutputs: [SourceFile]
  /// Other files (images, …) by relative path, copied to the site when a page uses them.
  public var assets: [String: String]  // relative path → absolute path
}

/// Reads the guide folder: the Load stage.
public enum GuideLoader {
  /// Files larger than this are refused (a teacher's Markdown is never this big).
  public static let maximumFileSize = 8 * 1024 * 1024

  public static func load(guideDirectory: URL, displayPrefix: String) -> (GuideSources?, [Diagnostic], [String: String]) {
    var diagnostics: [Diagnostic] = []
    var texts: [String: String] = [:]
    let fm = FileManager.default
    let root = guideDirectory.standardizedFileURL.resolvingSymlinksInPath()
    let configDisplay = join(displayPrefix, GuideConfig.fileName)
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
      return (
        nil,
        [
          .error(
            displayPrefix, SourceLocation(line: 1, column: 1), "guide folder '\(displayPrefix)' does not exist",
            hint: "pass --guide DIR or run from the repository root")
        ],
        texts
      )
    }

    var relativePaths: [String] = []
    var assets: [String: String] = [:]
    walk(root, relative: "", root: root, into: &relativePaths, diagnostics: &diagnostics, displayPrefix: displayPrefix)
    relativePaths.sort()

    // guide.yml first.
    var config: GuideConfig?
    if let bytes = fm.contents(atPath: root.appendingPathComponent(GuideConfig.fileName).path) {
      if let decoded = SourceText.decode(Array(bytes), path: configDisplay) {
        diagnostics += decoded.diagnostics
        texts[configDisplay] = decoded.text
        if !decoded.diagnostics.hasErrors {
          let (loaded, configDiagnostics) = GuideConfig.load(text: decoded.text, path: configDisplay)
          config = loaded
          diagnostics += configDiagnostics
        }
      }
    } else {
      diagnostics.append(
        .error(
          configDisplay, SourceLocation(line: 1, column: 1), "missing guide.yml",
          hint: "create \(configDisplay) with the title, levels and tags"))
    }

    var markdown: [SourceFile] = []
    var snippets: [SourceFile] = []
    var shared: [SourceFile] = []
    var expected: [SourceFile] = []
    for relative in relativePaths where relative != GuideConfig.fileName {
      let url = root.appendingPathComponent(relative)
      let display = join(displayPrefix, relative)
      let isMarkdown = relative.hasSuffix(".md")
      let isSwift = relative.hasSuffix(".swift")
      let isExpected = relative.hasSuffix(".expected")
      guard isMarkdown || isSwift || isExpected else {
        assets[relative] = url.path
        continue
      }
      let size = ((try? fm.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? 0
      if size > maximumFileSize {
        diagnostics.append(
          .error(
            display, SourceLocation(line: 1, column: 1),
            "file is too large (\(size / 1_048_576) MB; the limit is \(maximumFileSize / 1_048_576) MB)",
            hint: "split it into several pages"))
        continue
      }
      guard let bytes = fm.contents(atPath: url.path) else {
        diagnostics.append(.error(display, SourceLocation(line: 1, column: 1), "cannot read file"))
        continue
      }
      guard let decoded = SourceText.decode(Array(bytes), path: display) else { continue }
      diagnostics += decoded.diagnostics
      if decoded.diagnostics.hasErrors { continue }
      texts[display] = decoded.text
      let file = SourceFile(relativePath: relative, displayPath: display, text: decoded.text)
      if isMarkdown {
        markdown.append(file)
      } else if relative.hasPrefix("snippets/Shared/") && isSwift {
        shared.append(file)
      } else if relative.hasPrefix("snippets/") && isSwift && !relative.dropFirst("snippets/".count).contains("/") {
        snippets.append(file)
      } else if relative.hasPrefix("snippets/") && isExpected {
        expected.append(file)
      } else {
        assets[relative] = url.path
      }
    }
    guard let config else { return (nil, diagnostics, texts) }
    return (
      GuideSources(
        config: config, markdown: markdown, snippets: snippets, sharedSnippetCode: shared, expectedOutputs: expected, assets: assets),
      diagnostics, texts
    )
  }

  static func join(_ prefix: String, _ relative: String) -> String {
    if prefix.isEmpty || prefix == "." { return relative }
    return prefix.hasSuffix("/") ? prefix + relative : prefix + "/" + relative
  }

  /// Lists files under `directory`, refusing symlinks that leave the guide folder.
  private static func walk(
    _ directory: URL, relative: String, root: URL, into paths: inout [String], diagnostics: inout [Diagnostic],
    displayPrefix: String
  ) {
    let fm = FileManager.default
    guard let names = try? fm.contentsOfDirectory(atPath: directory.path) else { return }
    for name in names.sorted() where !name.hasPrefix(".") {
      let url = directory.appendingPathComponent(name)
      let rel = relative.isEmpty ? name : relative + "/" + name
      let attributes = try? fm.attributesOfItem(atPath: url.path)
      var target = url
      let isLink = (attributes?[.type] as? FileAttributeType) == .typeSymbolicLink
      if isLink {
        let resolved = url.resolvingSymlinksInPath().standardizedFileURL
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        if !resolved.path.hasPrefix(rootPath) {
          diagnostics.append(
            .error(
              join(displayPrefix, rel), SourceLocation(line: 1, column: 1), "symbolic link points outside the guide folder",
              hint: "copy the file into the guide instead of linking to '\(resolved.path)'"))
          continue
        }
        target = resolved
      }
      var isDir: ObjCBool = false
      guard fm.fileExists(atPath: target.path, isDirectory: &isDir) else {
        diagnostics.append(.error(join(displayPrefix, rel), SourceLocation(line: 1, column: 1), "broken symbolic link"))
        continue
      }
      if isDir.boolValue {
        if isLink {
          diagnostics.append(
            .warning(
              join(displayPrefix, rel), SourceLocation(line: 1, column: 1), "symbolic link to a folder is not followed",
              hint: "move the folder into the guide instead of linking it"))
          continue
        }
        walk(url, relative: rel, root: root, into: &paths, diagnostics: &diagnostics, displayPrefix: displayPrefix)
      } else {
        paths.append(rel)
      }
    }
  }
}
