import Foundation
import Testing

@testable import GuideKit

/// The synonyms of the real guide (`Guide/guide.yml`): each abbreviation that 2026 interviews use
/// must find a page that only spells the topic out, and the reverse.
struct GuideSynonymsTests {
  /// Guide/guide.yml, found from this file's path (Tests/GuideKitTests/Search/).
  static let guideConfig: GuideConfig = {
    var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while dir.path != "/" {
      let candidate = dir.appendingPathComponent("Guide/guide.yml")
      if let text = try? String(contentsOf: candidate, encoding: .utf8) {
        let (config, diagnostics) = GuideConfig.load(text: text, path: "Guide/guide.yml")
        guard let config, diagnostics.isEmpty else { fatalError("Guide/guide.yml: \(diagnostics)") }
        return config
      }
      dir = dir.deletingLastPathComponent()
    }
    fatalError("Guide/guide.yml not found above \(#filePath)")
  }()

  /// An abbreviation and a sentence that names the topic only in full.
  static let topics: [(abbreviation: String, text: String)] = [
    ("ViT", "A vision transformer splits the image into patches."),
    ("DETR", "The detection transformer predicts a set of boxes."),
    ("MOT", "Multi-object tracking links detections over time."),
    ("MOT", "Multiple object tracking benchmarks report identity switches."),
    ("BEV", "Lift the camera features into a bird's eye view grid."),
    ("BEV", "A birds eye view map of the road."),
    ("SAM", "Segment Anything turns prompts into masks."),
    ("CLIP", "Contrastive language-image pre-training aligns text and images."),
    ("LoRA", "Low-rank adaptation trains two small matrices per layer."),
    ("MOTA", "Multiple object tracking accuracy counts misses, false positives and switches."),
    ("IDF1", "The identity F1 score measures how long identities are kept."),
    ("HOTA", "Higher order tracking accuracy balances detection and association."),
    ("PQ", "Panoptic quality multiplies segmentation and recognition quality."),
    ("mIoU", "The mean IoU over classes is the usual segmentation score."),
    ("ECE", "Expected calibration error compares confidence with accuracy."),
    ("SGD", "Stochastic gradient descent with momentum."),
    ("AdamW", "Adam with decoupled weight decay."),
  ]

  /// The synonym group of the guide that contains the abbreviation's term.
  static func group(of abbreviation: String, in model: SearchIndexModel) -> [String]? {
    let term = SearchText.analyze(abbreviation).map(\.term).joined(separator: "_")
    return model.synonymGroups.first { $0.contains(term) }
  }

  @Test(arguments: topics.indices)
  func abbreviationFindsTheSpelledOutTopic(index: Int) throws {
    let (abbreviation, text) = Self.topics[index]
    let model = SearchIndexModel(
      builder: SearchIndexBuilder(levels: [], tags: [], synonyms: Self.guideConfig.synonyms),
      sections: [
        SearchSection(
          url: "a.html", pageTitle: "A", heading: nil, kind: "question", levelID: nil, tagIDs: [],
          breadcrumb: "A", text: text)
      ])
    let group = try #require(Self.group(of: abbreviation, in: model), "no synonym group for \(abbreviation)")
    // The page names the topic only in full: one of the group's phrases must be indexed from it,
    // so a query for the abbreviation reaches the page through the group.
    let indexed = group.filter { $0.contains("_") && model.vocabulary.contains($0) }
    #expect(!indexed.isEmpty, "'\(text)' indexes none of \(group) for \(abbreviation)")
  }

  @Test func everyNewAbbreviationHasItsOwnGroup() {
    let model = SearchIndexModel(
      builder: SearchIndexBuilder(levels: [], tags: [], synonyms: Self.guideConfig.synonyms), sections: [])
    for abbreviation in ["ViT", "DETR", "MOT", "BEV", "SAM", "CLIP", "LoRA", "RT-DETR", "roofline"] {
      let groups = model.synonymGroups.filter {
        $0.contains(SearchText.analyze(abbreviation).map(\.term).joined(separator: "_"))
      }
      #expect(groups.count == 1, "\(abbreviation) is in \(groups.count) synonym groups")
    }
  }
}
