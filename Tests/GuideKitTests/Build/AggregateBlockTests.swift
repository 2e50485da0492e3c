import Foundation
import Markdown
import Testing

@testable import GuideKit

/// Aggregates in blocks (issue 19): a level's print view and quiz data are cut into blocks of
/// ``BuildPlan/blockSize`` questions in reading order; `print/all.html` is the whole guide only up
/// to ``BuildPlan/wholeGuideLimit`` questions (a contents page of the blocks above), and so is
/// `anki/all.txt` (not written above).
@Suite struct AggregateBlockTests {
  static let size = BuildPlan.blockSize

  /// A guide in memory with `junior` junior and `mid` mid-level questions, in reading order
  /// `Question 0`, `Question 1`, … (their `order`).
  static func site(junior: Int, mid: Int = 1, levels: [GuideConfig.Level]? = nil, pages extra: [String: String] = [:]) -> SiteModel {
    var pages = extra
    for (level, count) in [("junior", junior), ("mid", mid)] {
      for n in 0..<count {
        pages["questions/\(level)/q\(n).md"] =
          "---\ntitle: \(level) question \(n)\nlevel: \(level)\ntags: [metrics]\nsummary: S.\norder: \(n)\n---\n"
          + "## 60-second answer\n\nAnswer \(n).\n"
      }
    }
    var sources = InMemoryGuide.sources(pages)
    if let levels { sources.config.levels = levels }
    return SiteLinker.link(sources, jobs: 1).0
  }

  static func renderer(_ site: SiteModel) throws -> SiteRenderer {
    let (library, _, _) = TemplateLoader.load(BuildPlanTests.templates)
    return SiteRenderer(site: site, runs: [:], templates: try #require(library))
  }

  /// The rendered text of a planned file (fragments rendered in place).
  static func text(_ file: BuildPlan.File, _ renderer: SiteRenderer) -> String {
    var memo = SiteRenderer.Memo()
    switch renderer.render(file, memo: &memo) {
    case .text(let text): return text
    case .assembled(let parts):
      return parts.map {
        switch $0 {
        case .text(let text): return text
        case .fragment(let fragment): return renderer.fragment(fragment)
        }
      }.joined()
    case .files: return ""
    }
  }

  static func byPath(_ plan: BuildPlan) -> [String: BuildPlan.File] {
    Dictionary(plan.files.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
  }

  @Test(arguments: [(0, [0]), (1, [1]), (size, [size]), (size + 1, [size, 1]), (2 * size + 1, [size, size, 1])])
  func blocksCutALevelInReadingOrderAtTheBlockSize(count: Int, sizes: [Int]) {
    let questions = Array(1000..<(1000 + count))
    let blocks = BuildPlan.blocks(questions)
    #expect(blocks.map(\.count) == sizes)
    #expect(blocks.flatMap { $0 } == questions, "every question once, in order")
  }

  @Test func blockFilesHaveStablePaths() {
    #expect(BuildPlan.printPath("junior", block: 1) == "print/junior.html", "the first block keeps the level's URL")
    #expect(BuildPlan.printPath("junior", block: 3) == "print/junior-3.html")
    #expect(BuildPlan.quizBlockPath("mid", block: 2) == "assets/quiz/mid/2.js")
    #expect(BuildPlan.levelListPath("mid") == "assets/quiz/mid.js")
    #expect(BuildPlan.levelIdsPath("mid") == "assets/quiz/mid/ids.js", "not a block's name: blocks are numbered")
  }

  @Test func aLevelOfOneQuestionMoreThanABlockHasTwoPrintPagesAndTwoQuizBlocks() throws {
    let site = Self.site(junior: Self.size + 1)
    let (plan, diagnostics) = BuildPlan.make(site: site)
    #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
    let byPath = Self.byPath(plan)
    let junior = site.questionsByLevel["junior"] ?? []
    #expect(junior.count == Self.size + 1)
    let first = try #require(byPath["print/junior.html"])
    let second = try #require(byPath["print/junior-2.html"])
    #expect(first.job == .print(level: "junior", block: 1) && second.job == .print(level: "junior", block: 2))
    #expect(first.inputs == .aggregate(name: "print/junior.html", pages: Array(junior.prefix(Self.size))))
    #expect(second.inputs == .aggregate(name: "print/junior-2.html", pages: [junior.last!]), "an edit of block 1 keeps block 2")
    #expect(byPath["print/junior-3.html"] == nil && byPath["print/mid-2.html"] == nil)
    #expect(byPath["assets/quiz/junior/2.js"]?.inputs == .aggregate(name: "assets/quiz/junior/2.js", pages: [junior.last!]))
    #expect(byPath["assets/quiz/junior/3.js"] == nil)
    // Still a small guide: the whole guide on one page, and its deck.
    #expect(byPath["print/all.html"]?.job == .print(level: nil, block: 1))
    #expect(byPath["anki/all.txt"] != nil)

    let renderer = try Self.renderer(site)
    let one = Self.text(first, renderer)
    let two = Self.text(second, renderer)
    #expect(one.components(separatedBy: "<article class=\"print-question\"").count - 1 == Self.size)
    #expect(two.components(separatedBy: "<article class=\"print-question\"").count - 1 == 1)
    #expect(two.contains("junior question \(Self.size)") && !two.contains("junior question 0<"))
    // The blocks link each other without JavaScript: previous and next, and the list of parts.
    #expect(one.contains("<a href=\"junior-2.html\" rel=\"next\">Part 2 →</a>"), "block 1 links block 2")
    #expect(two.contains("<a href=\"junior.html\" rel=\"prev\">← Part 1</a>"), "block 2 links block 1")
    #expect(two.contains("<a href=\"junior.html\">Part 1: questions 1–100</a>"))
    #expect(two.contains("<strong aria-current=\"page\">Part 2: question 101</strong>"))
    #expect(two.contains("part 2 of 2 (question 101)"), "the title says which part")
    // A level of one block shows no parts.
    let mid = Self.text(try #require(byPath["print/mid.html"]), renderer)
    #expect(!mid.contains("print-parts") && mid.contains("Mid-level: all questions and answers</h1>"))
    // The level's question list names both blocks and every question.
    let list = renderer.levelList(level: "junior")
    #expect(list.hasPrefix("(window.GuideLevelData = window.GuideLevelData || {})[\"junior\"] = {"))
    #expect(list.contains("\"blocks\":[\"assets/quiz/junior/1.js\",\"assets/quiz/junior/2.js\"]"))
    #expect(list.contains("\"blockSize\":\(Self.size)"))
    let ids = renderer.levelList(level: "junior", idsOnly: true)
    #expect(ids.hasPrefix("(window.GuideLevelData = window.GuideLevelData || {})[\"junior\"] = {\"ids\":[\""))
    #expect(!ids.contains("urls") && ids.components(separatedBy: ",").count == Self.size + 1, "the home page's ids alone")
    let quiz = Self.text(try #require(byPath["assets/quiz/junior/2.js"]), renderer)
    #expect(quiz.hasPrefix("(window.GuideQuizBlocks = window.GuideQuizBlocks || {})[\"assets/quiz/junior/2.js\"] = [{"))
    #expect(quiz.components(separatedBy: "\"answerHtml\"").count - 1 == 1)
  }

  @Test func aGuideOverTheLimitHasAContentsPageForPrintAllAndNoWholeGuideDeck() throws {
    let site = Self.site(
      junior: BuildPlan.wholeGuideLimit, mid: 1, pages: ["how-to-use.md": "---\ntitle: How to use\n---\nRead.\n"])
    let (plan, _) = BuildPlan.make(site: site)
    let byPath = Self.byPath(plan)
    let all = try #require(byPath["print/all.html"])
    #expect(all.job == .printContents && all.inputs == .structure, "the contents page shows the structure only")
    #expect(byPath["anki/all.txt"] == nil, "no deck of the whole guide")
    #expect(byPath["anki/junior.txt"] != nil && byPath["anki/mid.txt"] != nil, "each level keeps its deck")
    let renderer = try Self.renderer(site)
    let text = Self.text(all, renderer)
    for part in ["junior.html", "junior-2.html", "junior-3.html", "mid.html"] {
      #expect(text.contains("<a href=\"\(part)\">"), "the contents page links \(part)")
    }
    #expect(!text.contains("print-question"), "no question on the contents page")
    #expect(text.contains("junior question 0 … junior question 99"), "each part names its first and last question")
    #expect(text.utf8.count < 20_000, "the contents page stays short: \(text.utf8.count) bytes")
    // The page that offers the decks says why there is no deck of the whole guide.
    let howTo = Self.text(try #require(byPath["how-to-use.html"]), renderer)
    #expect(!howTo.contains("anki/all.txt") && howTo.contains("anki/junior.txt"))
    #expect(howTo.contains("there is no deck of the whole guide; import the level decks one after another"))
  }

  @Test func theRealGuideKeepsOnePrintPagePerLevelAndTheWholeGuideOnOnePage() throws {
    let options = BuildPlanTests.options(guide: BuildPlanTests.packageRoot.appendingPathComponent("Guide"))
    let sources = try #require(Stages.load(options).value)
    let site = Stages.link(sources, kept: nil, options).value
    let plan = Stages.plan(site, options).value
    let prints = plan.files.map(\.path).filter { $0.hasPrefix("print/") }.sorted()
    #expect(prints == ["print/all.html"] + site.config.levels.map { "print/\($0.id).html" }.sorted())
    #expect(Self.byPath(plan)["print/all.html"]?.job == .print(level: nil, block: 1))
    #expect(plan.files.contains { $0.path == "anki/all.txt" })
  }

  /// A level whose name is another level's print part: both would be written to one path.
  @Test func aLevelNamedLikeAnotherLevelsPrintPartCollides() {
    let levels: [GuideConfig.Level] = [.init(id: "junior", name: "Junior"), .init(id: "junior-2", name: "Junior 2")]
    let site = Self.site(junior: Self.size + 1, mid: 0, levels: levels)
    let (_, diagnostics) = BuildPlan.make(site: site, configPath: "Guide/guide.yml")
    #expect(
      diagnostics.contains { $0.severity == .error && $0.message.contains("would be written to 'print/junior-2.html'") },
      "\(diagnostics.map(\.message))")
  }
}
