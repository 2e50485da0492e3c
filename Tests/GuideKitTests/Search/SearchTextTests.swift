import Foundation
import Testing

@testable import GuideKit

/// The shared cases in Tests/JavaScript/fixtures/search-text-cases.json are checked here and in
/// Tests/JavaScript/search.test.mjs, so the Swift and JavaScript analysers cannot drift apart.
struct SearchTextTests {
  struct Cases: Decodable {
    var analyze: [[String]]
    var stem: [[String]]
    var fold: [[String]]
  }

  static let cases: Cases = {
    let url = SearchFixtures.directory.appendingPathComponent("search-text-cases.json")
    let data = try! Data(contentsOf: url)
    return try! JSONDecoder().decode(Cases.self, from: data)
  }()

  static func rendered(_ text: String) -> String {
    SearchText.analyze(text).map { ($0.isStop ? "-" : "") + $0.term }.joined(separator: " ")
  }

  @Test func sharedAnalyzeCases() {
    #expect(Self.cases.analyze.count >= 30)
    for c in Self.cases.analyze {
      #expect(Self.rendered(c[0]) == c[1], "analyze(\(c[0]))")
    }
  }

  @Test func sharedStemCases() {
    for c in Self.cases.stem {
      #expect(SearchText.stem(c[0]) == c[1], "stem(\(c[0]))")
    }
  }

  @Test func sharedFoldCases() {
    for c in Self.cases.fold {
      #expect(SearchText.fold(c[0]) == c[1], "fold(\(c[0]))")
    }
  }

  @Test func foldsCaseAndDiacritics() {
    #expect(SearchText.fold("Ça marche, NAÏVE Café") == "ca marche, naive cafe")
    #expect(SearchText.fold("Ｆｕｌｌ ﬁ") == "full fi")
    #expect(SearchText.terms("Résumé") == SearchText.terms("resume"))
  }

  @Test func britishAndAmericanSpellingsMeet() {
    for (a, b) in [
      ("quantisation", "quantization"), ("regularise", "regularize"), ("normalised", "normalized"),
      ("colour", "color"), ("behaviours", "behavior"), ("centre", "center"), ("analyse", "analyze"),
      ("labelled", "labeled"), ("modelling", "modeling"),
    ] {
      #expect(SearchText.stem(a) == SearchText.stem(b), "\(a) vs \(b)")
    }
  }

  @Test func inflectionsShareAStem() {
    for family in [
      ["quantization", "quantize", "quantized", "quantizing", "quantizations"],
      ["overfit", "overfitting", "overfitted", "overfits"],
      ["segmentation", "segment", "segmented", "segments", "segmentations"],
      ["augmentation", "augment", "augmented", "augmenting"],
      ["train", "training", "trained", "trains"],
      ["box", "boxes"], ["class", "classes"], ["bias", "biases"], ["study", "studies", "studied"],
      ["detection", "detect", "detected", "detections"],
    ] {
      let stems = Set(family.map(SearchText.stem))
      #expect(stems.count == 1, "\(family) → \(stems.sorted())")
    }
  }

  @Test func stopWordsAreMarkedNotIndexed() {
    let tokens = SearchText.analyze("How does the pooling work?")
    #expect(tokens.map(\.isStop) == [true, true, true, false, true])
    #expect(SearchText.terms("How does the pooling work?") == ["pool"])
  }

  @Test func wordsSplitOnPunctuationAndDropShortOrHugeTokens() {
    #expect(SearchText.terms("non-maximum suppression, ResNet-50; a x") == ["non", "maximum", "suppress", "resnet", "50"])
    #expect(SearchText.terms("don't model's") == ["dont", "model"])
    #expect(SearchText.terms(String(repeating: "ab", count: 21)) == [])
    #expect(SearchText.terms("int8 YOLOv5 3x3") == ["int8", "yolov5", "3x3"])
  }
}
