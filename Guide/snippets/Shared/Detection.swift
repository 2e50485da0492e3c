// snippet.uses: Box.swift
//
// The two record types of detection evaluation: what the model predicted and what is true.

/// One predicted box: in which image, which class, where, and how confident.
struct Detection: Sendable, Equatable {
  var imageID: Int
  var label: Int
  var box: Box
  var score: Double
}

/// One annotated object.
/// - `isCrowd`: a COCO "crowd" region (a group of objects annotated as one). It is never a
///   positive: a detection inside it is neither a true nor a false positive.
/// - `area`: the object's area used for the small/medium/large split; COCO stores the
///   *segmentation* area here, which is smaller than the box area. nil means the box area.
struct GroundTruth: Sendable, Equatable {
  var imageID: Int
  var label: Int
  var box: Box
  var isCrowd: Bool = false
  var area: Double? = nil

  /// The area used for COCO's area ranges: `area` if given, else the box area.
  var effectiveArea: Double { area ?? box.area }
}
