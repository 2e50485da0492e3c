import Foundation
import Markdown
import Testing

@testable import GuideKit

/// The runner learns which shared files a snippet depends on from the symbols of its object file,
/// so that editing one shared file reruns only the snippets that reach it. (Part of the serialized
/// `SnippetRunnerTests`: a test there checks that no temporary folder of this process is left.)
extension SnippetRunnerTests {
  enum Dependencies {
    static let shared = [
      "A.swift": "func a() -> Int { 1 }\n",
      "B.swift": "// snippet.uses: C.swift\nfunc b() -> Int { helper() * 10 }\n",
      "C.swift": "func helper() -> Int { 2 }\n",
      "D.swift": "struct Unused { var x = 0 }\n",
    ]
    static let snippets = [
      "sa": "// snippet.uses: A.swift\nprint(\"a:\", a())\n",
      "sb": "// snippet.uses: B.swift\nprint(\"b:\", b())\n",
    ]

    static func site(shared: [String: String] = shared, snippets: [String: String] = snippets) -> SiteModel {
      SiteLinker.link(InMemoryGuide.sources(InMemoryGuide.basePages, snippets: snippets, shared: shared), jobs: 1).0
    }

    static func temporaryCache() -> URL {
      FileManager.default.temporaryDirectory.appendingPathComponent("guide-deps-test-\(UUID().uuidString)")
    }
  }

  @Test func editingASharedFileRerunsOnlyTheSnippetsThatReachIt() throws {
    let cache = Dependencies.temporaryCache()
    defer { try? FileManager.default.removeItem(at: cache) }
    let runner = SnippetRunner(settings: .init(jobs: 2, cacheDirectory: cache, rerun: false))

    // First build: both run; the files each one reaches are found through symbols (sb → B → C).
    let (first, firstDiagnostics, firstStats) = runner.runAll(Dependencies.site())
    #expect(firstDiagnostics.isEmpty, "\(firstDiagnostics)")
    #expect(firstStats.ran == 2)
    #expect(first["sa"]?.sharedFilesUsed == ["A.swift"])
    #expect(first["sb"]?.sharedFilesUsed == ["B.swift", "C.swift"])
    #expect(first["sb"]?.stdout == "b: 20\n")

    // A body edit in C (declarations unchanged): only sb, which reaches C through B, runs again.
    var shared = Dependencies.shared
    shared["C.swift"] = "func helper() -> Int {\n  // now three\n  3\n}\n"
    let (second, _, secondStats) = runner.runAll(Dependencies.site(shared: shared))
    #expect(secondStats.ran == 1)
    #expect(secondStats.cached == 1)
    #expect(secondStats.reasons["sb"] == "shared code it uses changed: C.swift")
    #expect(secondStats.reasons["sa"] == "cached")
    #expect(second["sb"]?.stdout == "b: 30\n")

    // A body edit in D, which no snippet reaches: nothing runs.
    shared["D.swift"] = "struct Unused {\n  var x = 0\n}\n"
    let (_, _, thirdStats) = runner.runAll(Dependencies.site(shared: shared))
    #expect(thirdStats.ran == 0)
    #expect(thirdStats.cached == 2)

    // A new declaration changes what every snippet is type-checked against: both run.
    shared["D.swift"] = "struct Unused { var x = 0 }\nfunc d() -> Int { 4 }\n"
    let (_, _, fourthStats) = runner.runAll(Dependencies.site(shared: shared))
    #expect(fourthStats.ran == 2)
    #expect(fourthStats.reasons["sa"] == "the declarations of the shared code changed")
  }

  @Test func sharedCodeTheHeaderDoesNotNameIsAWarningEvenFromTheCache() throws {
    let cache = Dependencies.temporaryCache()
    defer { try? FileManager.default.removeItem(at: cache) }
    let runner = SnippetRunner(settings: .init(jobs: 2, cacheDirectory: cache, rerun: false))
    let snippets = ["quiet": "// snippet.title: Quiet\n// snippet.uses: A.swift\nprint(a() + b())\n"]
    for pass in 1...2 {
      let (runs, diagnostics, stats) = runner.runAll(Dependencies.site(snippets: snippets))
      #expect(runs["quiet"]?.fromCache == (pass == 2))
      #expect(stats.failed == 0)
      let warning = try #require(diagnostics.first, "\(diagnostics)")
      #expect(diagnostics.count == 1)
      #expect(warning.severity == .warning)
      #expect(warning.path == "Guide/snippets/quiet.swift")
      #expect(warning.location == SourceLocation(line: 2, column: 1))
      #expect(
        warning.message
          == "snippet 'quiet' uses B.swift, C.swift from snippets/Shared without naming them in its 'snippet.uses' header")
      #expect(warning.hint == "write '// snippet.uses: A.swift B.swift C.swift' (its page lists the shared files it uses)")
    }
  }

  @Test func anErrorInASharedFunctionBodyStillPointsAtIt() throws {
    var shared = Dependencies.shared
    shared["C.swift"] = "func helper() -> Int {\n  let s: String = 5\n  return 2\n}\n"
    let runner = SnippetRunner(settings: .init(jobs: 2, cacheDirectory: nil, rerun: false))
    let (runs, diagnostics, stats) = runner.runAll(Dependencies.site(shared: shared))
    #expect(runs.isEmpty)
    #expect(stats.failed == 2)
    let error = try #require(diagnostics.first, "\(diagnostics)")
    #expect(error.path == "Guide/snippets/Shared/C.swift")
    #expect(error.location == SourceLocation(line: 2, column: 19))
    #expect(error.message.hasPrefix("the shared snippet code does not compile: cannot convert value of type 'Int'"))
  }

  @Test func anErrorInASharedDeclarationPointsAtIt() throws {
    var shared = Dependencies.shared
    shared["A.swift"] = "func a() -> Int { 1 }\nfunc broken(_ x: NoSuchType) {}\n"
    let runner = SnippetRunner(settings: .init(jobs: 2, cacheDirectory: nil, rerun: false))
    let (runs, diagnostics, _) = runner.runAll(Dependencies.site(shared: shared))
    #expect(runs.isEmpty)
    let error = try #require(diagnostics.first, "\(diagnostics)")
    #expect(error.path == "Guide/snippets/Shared/A.swift")
    #expect(error.location == SourceLocation(line: 2, column: 18))
    #expect(error.message == "the shared snippet code does not compile: cannot find type 'NoSuchType' in scope")
  }

  @Test func snippetsRunWithoutAnySharedCode() throws {
    let runner = SnippetRunner(settings: .init(jobs: 2, cacheDirectory: nil, rerun: false))
    let (runs, diagnostics, stats) = runner.runAll(
      Dependencies.site(shared: [:], snippets: ["alone": "// snippet.title: Alone\nprint(6 * 7)\n"]))
    #expect(diagnostics.isEmpty, "\(diagnostics)")
    #expect(stats.ran == 1)
    #expect(runs["alone"]?.stdout == "42\n")
    #expect(runs["alone"]?.sharedFilesUsed == [])
  }

  @Test func symbolsAreReadFromELFAndAnythingElseMeansEveryFile() throws {
    #expect(ObjectSymbols.parse(Array("not an object file at all, just text".utf8)) == nil)
    #expect(ObjectSymbols.parse([]) == nil)
    let graph = SharedSymbolGraph(objects: [
      "A.swift": URL(fileURLWithPath: "/nonexistent/A.o"), "B.swift": URL(fileURLWithPath: "/nonexistent/B.o"),
    ])
    #expect(!graph.complete)
    #expect(graph.filesUsed(by: ObjectSymbols(defined: [], referenced: ["x"])) == ["A.swift", "B.swift"])
  }
}
