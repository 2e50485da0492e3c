// snippet.uses: Box.swift
//
// Intersection over union (Jaccard index) of two boxes:
//   IoU(a, b) = area(a ∩ b) / area(a ∪ b) = inter / (area(a) + area(b) - inter)
// 1 for identical boxes, 0 for boxes that do not overlap (touching edges included).

/// The area of the overlap of two boxes (0 when they are disjoint or only touch).
func intersectionArea(_ a: Box, _ b: Box) -> Double {
  let w = min(a.x2, b.x2) - max(a.x1, b.x1)
  let h = min(a.y2, b.y2) - max(a.y1, b.y1)
  return w > 0 && h > 0 ? w * h : 0
}

/// Intersection over union in continuous coordinates. Returns 0 when the union is empty
/// (two degenerate boxes), so the result is always in [0, 1] and never NaN for finite input.
/// The union is computed as `area(a) + area(b) - inter`, in that order, as pycocotools and
/// torchvision do, so values agree with them to the last bit for the same corners.
func iou(_ a: Box, _ b: Box) -> Double {
  let inter = intersectionArea(a, b)
  if inter == 0 { return 0 }
  let union = a.area + b.area - inter
  return union > 0 ? inter / union : 0
}

/// IoU with the legacy Pascal VOC "+1 pixel" convention (VOCdevkit `VOCevaldet.m`, the
/// original R-CNN / Faster R-CNN code): corners are inclusive integer pixel indices, so a box
/// from x1 = 0 to x2 = 9 is 10 pixels wide. Only use it to reproduce numbers from that code:
/// on small boxes it differs noticeably from the continuous IoU.
func iouVOCLegacy(_ a: Box, _ b: Box) -> Double {
  let iw = min(a.x2, b.x2) - max(a.x1, b.x1) + 1
  let ih = min(a.y2, b.y2) - max(a.y1, b.y1) + 1
  guard iw > 0, ih > 0 else { return 0 }
  let areaA = (a.x2 - a.x1 + 1) * (a.y2 - a.y1 + 1)
  let areaB = (b.x2 - b.x1 + 1) * (b.y2 - b.y1 + 1)
  let union = areaA + areaB - iw * ih
  return union > 0 ? iw * ih / union : 0
}

/// The IoU of every box in `a` with every box in `b`: `result[i][j] = iou(a[i], b[j])`.
func iouMatrix(_ a: [Box], _ b: [Box]) -> [[Double]] {
  a.map { x in b.map { y in iou(x, y) } }
}

/// The overlap of a detection with a COCO crowd region: intersection over the *detection's*
/// area (pycocotools' `iscrowd` rule), so a small box inside a large crowd region scores 1.
/// Returns 0 for a detection with no area.
func iouCrowd(_ detection: Box, _ crowdRegion: Box) -> Double {
  let inter = intersectionArea(detection, crowdRegion)
  let area = detection.area
  return inter > 0 && area > 0 ? inter / area : 0
}
