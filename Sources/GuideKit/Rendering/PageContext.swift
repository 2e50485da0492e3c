/// The data every page's template sees: the site, the page itself, the links of the header and
/// footer. Typed, so that a key a template reads is a property here (a test checks that every
/// key of every template is one the contexts provide); ``TemplateData`` turns it into the
/// template's dictionary.
struct PageContext: TemplateContext {
  struct SiteInfo: TemplateContext {
    var title: String
    var description: String
    var author: String

    func fields(_ f: inout TemplateFields) {
      f("title", title)
      f("description", description)
      f("author", author)
    }
  }

  struct PageInfo: TemplateContext {
    var title: String
    var kind: String
    /// `page.is.search` and the like: a template can test the page's kind.
    var `is`: [String: Bool]
    var id: String
    var path: String
    var summary: String?
    /// Pages with no content of their own are kept out of search engines (and of sitemap.xml).
    var noindex: Bool?

    func fields(_ f: inout TemplateFields) {
      f("title", title)
      f("kind", kind)
      f("is", `is`)
      f("id", id)
      f("path", path)
      f("summary", summary)
      f("noindex", noindex)
    }
  }

  struct LevelItem: TemplateContext {
    var id: String
    var name: String
    var url: String
    var count: Int
    var isCurrent: Bool

    func fields(_ f: inout TemplateFields) {
      f("id", id)
      f("name", name)
      f("url", url)
      f("count", count)
      f("isCurrent", isCurrent)
    }
  }

  /// A link with its text (breadcrumbs, the footer's pages).
  struct Link: TemplateContext {
    var title: String
    var url: String

    func fields(_ f: inout TemplateFields) {
      f("title", title)
      f("url", url)
    }
  }

  var site: SiteInfo
  var page: PageInfo
  var root: String
  var homeURL: String
  var useCaseURL: String
  var tipsURL: String
  var tagsURL: String
  var snippetsURL: String
  var quizURL: String
  var searchURL: String
  var creditsURL: String
  var howToURL: String
  var authoringURL: String
  var searchIndexURL: String
  var printAllURL: String
  var randomURL: String
  var generator: String
  var levels: [LevelItem]
  var pages: [Link]
  var canonicalURL: String?
  var siteURL: String?

  func fields(_ f: inout TemplateFields) {
    f("site", site)
    f("page", page)
    f("root", root)
    f("homeURL", homeURL)
    f("useCaseURL", useCaseURL)
    f("tipsURL", tipsURL)
    f("tagsURL", tagsURL)
    f("snippetsURL", snippetsURL)
    f("quizURL", quizURL)
    f("searchURL", searchURL)
    f("creditsURL", creditsURL)
    f("howToURL", howToURL)
    f("authoringURL", authoringURL)
    f("searchIndexURL", searchIndexURL)
    f("printAllURL", printAllURL)
    f("randomURL", randomURL)
    f("generator", generator)
    f("levels", levels)
    f("pages", pages)
    f("canonicalURL", canonicalURL)
    f("siteURL", siteURL)
  }
}

/// The context of a page made from a content file (home, level, question, use case, other page)
/// and of a generated level page: the shared context and what each kind shows.
struct ContentPageContext: TemplateContext {
  struct TocItem: TemplateContext {
    var id: String
    var title: String
    var depth: Int

    func fields(_ f: inout TemplateFields) {
      f("id", id)
      f("title", title)
      f("depth", depth)
    }
  }

  /// A page in a list: related questions, backlinks, previous and next.
  struct PageLink: TemplateContext {
    var title: String
    var url: String
    var levelName: String

    func fields(_ f: inout TemplateFields) {
      f("title", title)
      f("url", url)
      f("levelName", levelName)
    }
  }

  struct SnippetLink: TemplateContext {
    var name: String
    var title: String
    var url: String

    func fields(_ f: inout TemplateFields) {
      f("name", name)
      f("title", title)
      f("url", url)
    }
  }

  struct LevelRef: TemplateContext {
    var id: String
    var name: String
    var url: String

    func fields(_ f: inout TemplateFields) {
      f("id", id)
      f("name", name)
      f("url", url)
    }
  }

  struct TagLink: TemplateContext {
    var id: String
    var name: String
    var url: String

    func fields(_ f: inout TemplateFields) {
      f("id", id)
      f("name", name)
      f("url", url)
    }
  }

  struct QuestionRef: TemplateContext {
    var id: String

    func fields(_ f: inout TemplateFields) {
      f("id", id)
    }
  }

  /// A question in a level's list.
  struct QuestionSummary: TemplateContext {
    var id: String
    var title: String
    var url: String
    var summary: String
    var levelName: String
    var levelID: String
    var fromArticle: Bool
    var tags: [TagLink]

    func fields(_ f: inout TemplateFields) {
      f("id", id)
      f("title", title)
      f("url", url)
      f("summary", summary)
      f("levelName", levelName)
      f("levelID", levelID)
      f("fromArticle", fromArticle)
      f("tags", tags)
    }
  }

  struct LevelCard: TemplateContext {
    var id: String
    var name: String
    var url: String
    var summary: String
    var count: Int

    func fields(_ f: inout TemplateFields) {
      f("id", id)
      f("name", name)
      f("url", url)
      f("summary", summary)
      f("count", count)
    }
  }

  struct UseCaseLink: TemplateContext {
    var title: String
    var url: String
    var summary: String?

    func fields(_ f: inout TemplateFields) {
      f("title", title)
      f("url", url)
      f("summary", summary)
    }
  }

  struct UseCaseLevel: TemplateContext {
    var name: String
    var url: String
    var title: String

    func fields(_ f: inout TemplateFields) {
      f("name", name)
      f("url", url)
      f("title", title)
    }
  }

  struct OtherLevel: TemplateContext {
    var name: String
    var url: String

    func fields(_ f: inout TemplateFields) {
      f("name", name)
      f("url", url)
    }
  }

  struct AnkiDeckLink: TemplateContext {
    var name: String
    var url: String
    var count: Int

    func fields(_ f: inout TemplateFields) {
      f("name", name)
      f("url", url)
      f("count", count)
    }
  }

  var common: PageContext
  var breadcrumbs: [PageContext.Link]?
  var contentHtml: String?
  var toc: [TocItem]?
  var hasToc: Bool?
  var backlinks: [PageLink]?
  var hasBacklinks: Bool?
  var snippets: [SnippetLink]?
  var hasSnippets: Bool?
  var level: LevelRef?
  // Home.
  var levelCards: [LevelCard]?
  /// The levels' question ids the home page loads (its progress per level).
  var levelDataURLs: [GeneratedPageContext.ScriptURL]?
  var useCase: UseCaseLink?
  var useCaseLevels: [UseCaseLevel]?
  // The how-to-use page: the Anki decks the build writes.
  var ankiDecks: [AnkiDeckLink]?
  /// Why there is no deck of the whole guide (a guide over ``BuildPlan/wholeGuideLimit`` questions).
  var ankiWholeGuideNote: String?
  // Level pages.
  var questions: [QuestionSummary]?
  var questionCount: Int?
  var questionIdsJSON: String?
  var printURL: String?
  // Questions.
  var framingHtml: String?
  var answerHtml: String?
  var question: QuestionRef?
  var fromArticle: Bool?
  var tags: [TagLink]?
  var prev: PageLink?
  var next: PageLink?
  var position: Int?
  var levelCount: Int?
  var related: [PageLink]?
  var hasRelated: Bool?
  // Use-case pages.
  var otherLevels: [OtherLevel]?

  init(common: PageContext) { self.common = common }

  func fields(_ f: inout TemplateFields) {
    f.merge(common)
    f("breadcrumbs", breadcrumbs)
    f("contentHtml", contentHtml)
    f("toc", toc)
    f("hasToc", hasToc)
    f("backlinks", backlinks)
    f("hasBacklinks", hasBacklinks)
    f("snippets", snippets)
    f("hasSnippets", hasSnippets)
    f("level", level)
    f("levelCards", levelCards)
    f("levelDataURLs", levelDataURLs)
    f("useCase", useCase)
    f("useCaseLevels", useCaseLevels)
    f("ankiDecks", ankiDecks)
    f("ankiWholeGuideNote", ankiWholeGuideNote)
    f("questions", questions)
    f("questionCount", questionCount)
    f("questionIdsJSON", questionIdsJSON)
    f("printURL", printURL)
    f("framingHtml", framingHtml)
    f("answerHtml", answerHtml)
    f("question", question)
    f("fromArticle", fromArticle)
    f("tags", tags)
    f("prev", prev)
    f("next", next)
    f("position", position)
    f("levelCount", levelCount)
    f("related", related)
    f("hasRelated", hasRelated)
    f("otherLevels", otherLevels)
  }
}

/// The context of a page the generator makes on its own (topics, tags, snippets, search, quiz,
/// random question, not found, print pages): the shared context and what each kind shows.
struct GeneratedPageContext: TemplateContext {
  struct TagItem: TemplateContext {
    var id: String
    var name: String
    var url: String
    var count: Int

    func fields(_ f: inout TemplateFields) {
      f("id", id)
      f("name", name)
      f("url", url)
      f("count", count)
    }
  }

  struct TagRef: TemplateContext {
    var id: String
    var name: String

    func fields(_ f: inout TemplateFields) {
      f("id", id)
      f("name", name)
    }
  }

  struct SnippetItem: TemplateContext {
    var name: String
    var title: String
    var url: String
    var usedByCount: Int

    func fields(_ f: inout TemplateFields) {
      f("name", name)
      f("title", title)
      f("url", url)
      f("usedByCount", usedByCount)
    }
  }

  struct SnippetInfo: TemplateContext {
    var name: String
    var title: String
    var sourceHtml: String
    var outputHtml: String
    var hasOutput: Bool
    var runCommand: String
    var fileName: String
    var sourcePath: String
    var ranFromCache: Bool
    var durationHtml: String
    var sharedFiles: String

    func fields(_ f: inout TemplateFields) {
      f("name", name)
      f("title", title)
      f("sourceHtml", sourceHtml)
      f("outputHtml", outputHtml)
      f("hasOutput", hasOutput)
      f("runCommand", runCommand)
      f("fileName", fileName)
      f("sourcePath", sourcePath)
      f("ranFromCache", ranFromCache)
      f("durationHtml", durationHtml)
      f("sharedFiles", sharedFiles)
    }
  }

  struct FigureItem: TemplateContext {
    var name: String
    var html: String

    func fields(_ f: inout TemplateFields) {
      f("name", name)
      f("html", html)
    }
  }

  /// A level or tag in the search and quiz filters.
  struct FilterItem: TemplateContext {
    var id: String
    var name: String

    func fields(_ f: inout TemplateFields) {
      f("id", id)
      f("name", name)
    }
  }

  /// A file the page loads (the question list of one level).
  struct ScriptURL: TemplateContext {
    var url: String

    func fields(_ f: inout TemplateFields) {
      f("url", url)
    }
  }

  /// A part (block) of a level's print view, as its other parts and the contents page link it.
  struct PrintPart: TemplateContext {
    var label: String
    var url: String
    var isCurrent: Bool
    var firstTitle: String?
    var lastTitle: String?

    func fields(_ f: inout TemplateFields) {
      f("label", label)
      f("url", url)
      f("isCurrent", isCurrent)
      f("firstTitle", firstTitle)
      f("lastTitle", lastTitle)
    }
  }

  /// A level on the contents page of a large guide's `print/all.html`.
  struct PrintLevel: TemplateContext {
    var name: String
    var count: Int
    var parts: [PrintPart]

    func fields(_ f: inout TemplateFields) {
      f("name", name)
      f("count", count)
      f("parts", parts)
    }
  }

  /// A question's section on a print page.
  struct PrintSection: TemplateContext {
    var id: String
    var title: String
    var levelName: String
    var url: String
    var framingHtml: String
    var answerHtml: String

    func fields(_ f: inout TemplateFields) {
      f("id", id)
      f("title", title)
      f("levelName", levelName)
      f("url", url)
      f("framingHtml", framingHtml)
      f("answerHtml", answerHtml)
    }
  }

  var common: PageContext
  var breadcrumbs: [PageContext.Link]
  var contentHtml: String?
  // Topics and tags.
  var tagList: [TagItem]?
  var tag: TagRef?
  var questions: [ContentPageContext.QuestionSummary]?
  var questionCount: Int?
  // Snippets.
  var snippetList: [SnippetItem]?
  var snippet: SnippetInfo?
  var figures: [FigureItem]?
  var hasFigures: Bool?
  var usedBy: [ContentPageContext.PageLink]?
  var hasUsedBy: Bool?
  // Search and quiz.
  var levelsForFilter: [FilterItem]?
  var tagsForFilter: [FilterItem]?
  /// The quiz and random.html: one question list per level, in level order.
  var levelDataURLs: [ScriptURL]?
  /// random.html, which loads random.js.
  var isRandom: Bool?
  // Print pages.
  var printTitle: String?
  var sections: [PrintSection]?
  var introHtml: String?
  /// A level's print view in several parts: the links between them.
  var hasPrintParts: Bool?
  var printParts: [PrintPart]?
  var printPrev: PageContext.Link?
  var printNext: PageContext.Link?
  /// `print/all.html` of a large guide: the print parts of every level.
  var isPrintContents: Bool?
  var printBlockSize: Int?
  var printLevels: [PrintLevel]?

  init(common: PageContext, breadcrumbs: [PageContext.Link]) {
    self.common = common
    self.breadcrumbs = breadcrumbs
  }

  func fields(_ f: inout TemplateFields) {
    f.merge(common)
    f("breadcrumbs", breadcrumbs)
    f("contentHtml", contentHtml)
    f("tagList", tagList)
    f("tag", tag)
    f("questions", questions)
    f("questionCount", questionCount)
    f("snippetList", snippetList)
    f("snippet", snippet)
    f("figures", figures)
    f("hasFigures", hasFigures)
    f("usedBy", usedBy)
    f("hasUsedBy", hasUsedBy)
    f("levelsForFilter", levelsForFilter)
    f("tagsForFilter", tagsForFilter)
    f("levelDataURLs", levelDataURLs)
    f("isRandom", isRandom)
    f("printTitle", printTitle)
    f("sections", sections)
    f("introHtml", introHtml)
    f("hasPrintParts", hasPrintParts)
    f("printParts", printParts)
    f("printPrev", printPrev)
    f("printNext", printNext)
    f("isPrintContents", isPrintContents)
    f("printBlockSize", printBlockSize)
    f("printLevels", printLevels)
  }
}
