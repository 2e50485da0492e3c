import Foundation
import Markdown
import Testing

@testable import GuideKit

/// Compiles and runs the snippets of `Tests/Fixtures/snippet-runner/` (each test costs swiftc runs).
@Suite(.serialized) struct SnippetRunnerTests {
  static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/snippet-runner")

  static func site(_ names: [String]) throws -> SiteModel {
    var snippets: [String: String] = [:]
    for name in names {
      snippets[name] = try String(contentsOf: fixture.appendingPathComponent("\(name).swift"), encoding: .utf8)
    }
    let shared = ["Square.swift": try String(contentsOf: fixture.appendingPathComponent("Shared/Square.swift"), encoding: .utf8)]
    let (model, _) = SiteLinker.link(InMemoryGuide.sources(InMemoryGuide.basePages, snippets: snippets, shared: shared), jobs: 1)
    return model
  }

  static func ownTemporaryFolders() -> [String] {
    let prefixes = TemporaryFolders.prefixes.map { "\($0)\(getpid())-" }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)) ?? []
    return entries.filter { entry in prefixes.contains { entry.hasPrefix($0) } }
  }

  @Test func figuresAreCollectedAndComeBackFromTheCache() throws {
    let cache = FileManager.default.temporaryDirectory.appendingPathComponent("guide-runner-test-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: cache) }
    let runner = SnippetRunner(settings: .init(jobs: 2, cacheDirectory: cache, rerun: false))
    let site = try Self.site(["save-figure", "fork-and-exit", "fork-and-hang"])
    let (runs, diagnostics, stats) = runner.runAll(site)

    // The figure, from a snippet that writes it with plain Foundation.
    let run = try #require(runs["save-figure"], "\(diagnostics)")
    #expect(run.stdout == "saved 2 figures\n")
    #expect(run.figures.map(\.name) == ["a-first", "unit-square"])
    let square = try #require(run.figures.last)
    #expect(square.svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"12\""))
    #expect(run.figures.first?.svg == "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n")

    // Children a snippet leaves behind are killed when it exits.
    let exited = try #require(runs["fork-and-exit"], "\(diagnostics)")
    let leftBehind = Processes.pids(in: exited.stdout)
    #expect(leftBehind.count == 20)
    #expect(Processes.survivors(leftBehind).isEmpty)

    // A snippet that times out: the diagnostic, and none of its 20 children survive.
    let timeout = try #require(diagnostics.first { $0.path == "Guide/snippets/fork-and-hang.swift" })
    #expect(timeout.message == "snippet 'fork-and-hang' timed out after 3 s")
    let hung = Processes.pids(in: timeout.notes.joined(separator: "\n"))
    #expect(hung.count == 20, "\(timeout.notes)")
    #expect(Processes.survivors(hung).isEmpty)
    #expect(runs["fork-and-hang"] == nil)
    #expect(stats.ran == 3 && stats.failed == 1)
    #expect(Self.ownTemporaryFolders().isEmpty, "no temporary folder survives: \(Self.ownTemporaryFolders())")

    // A warm rebuild compiles nothing and reproduces the figures byte for byte.
    let (again, againDiagnostics, againStats) = runner.runAll(try Self.site(["save-figure"]))
    #expect(againDiagnostics.isEmpty)
    #expect(againStats.cached == 1 && againStats.ran == 0)
    let cached = try #require(again["save-figure"])
    #expect(cached.fromCache)
    #expect(cached.figures == run.figures)
    #expect(Array(cached.figures[1].svg.utf8) == Array(square.svg.utf8))
  }

  @Test func figureRules() {
    #expect(FigureCollector.isFigureName("pr-curve"))
    #expect(FigureCollector.isFigureName("2d"))
    #expect(!FigureCollector.isFigureName("-x"))
    #expect(!FigureCollector.isFigureName("PR"))
    #expect(!FigureCollector.isFigureName("a_b"))
    #expect(!FigureCollector.isFigureName(""))
    #expect(FigureCollector.startsWithSVG("<svg/>"))
    #expect(FigureCollector.startsWithSVG("  \n<?xml version=\"1.0\"?>\n <svg xmlns=\"x\">"))
    #expect(!FigureCollector.startsWithSVG("<html><svg>"))
    #expect(!FigureCollector.startsWithSVG("<svgx>"))
    #expect(!FigureCollector.startsWithSVG("<?xml version=\"1.0\"?><script/>"))
  }

  @Test func badFiguresAreDiagnosedAtTheSnippet() throws {
    let folder = TemporaryFolders.make("guide-snippet")
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("<svg/>".utf8).write(to: folder.appendingPathComponent("good.svg"))
    try Data("<svg/>".utf8).write(to: folder.appendingPathComponent("Bad Name.svg"))
    try Data("<html/>".utf8).write(to: folder.appendingPathComponent("not-svg.svg"))
    try Data(repeating: 32, count: 600 * 1024).write(to: folder.appendingPathComponent("huge.svg"))
    let site = try Self.site(["save-figure"])
    let snippet = try #require(site.snippets.first)
    let (figures, diagnostics) = FigureCollector.collect(folder, snippet: snippet)
    #expect(figures.map(\.name) == ["good"])
    #expect(
      diagnostics.map(\.message) == [
        "snippet 'save-figure' saved 'Bad Name.svg', which is not a figure ('NAME.svg', NAME of lowercase letters, digits and '-')",
        "snippet 'save-figure' saved 'huge.svg' of 600 KB; a figure may have at most 512 KB",
        "snippet 'save-figure' saved 'not-svg.svg', which does not start with '<svg' (after an optional XML declaration)",
      ])
    #expect(diagnostics.allSatisfy { $0.path == "Guide/snippets/save-figure.swift" })
  }
}

/// In the serialized runner suite: a test there checks that no temporary folder of this process is left.
extension SnippetRunnerTests {
  @Test func anErrorInSharedCodePointsAtTheSharedFile() throws {
    let shared = ["Broken.swift": "// snippet.title: Broken\n\nfunc broken() -> Int {\n  return \"no\"\n}\n"]
    let snippets = ["user": "// snippet.uses: Broken.swift\nprint(broken())\n"]
    let (site, _) = SiteLinker.link(InMemoryGuide.sources(InMemoryGuide.basePages, snippets: snippets, shared: shared), jobs: 1)
    let runner = SnippetRunner(settings: .init(jobs: 1, cacheDirectory: nil, rerun: false))
    let (runs, diagnostics, stats) = runner.runAll(site)
    #expect(runs.isEmpty)
    #expect(stats.failed == 1)
    let error = try #require(diagnostics.first, "\(diagnostics)")
    #expect(error.path == "Guide/snippets/Shared/Broken.swift")
    #expect(error.location == SourceLocation(line: 4, column: 10))
    #expect(
      error.message == "the shared snippet code does not compile: cannot convert return expression of type 'String' to return type 'Int'")
    #expect(error.notes.contains("not run because the shared code does not compile: user"))
  }
}
