#!/usr/bin/env python3
"""Cross-check the guide's Swift COCO evaluation and NMS against the reference implementations.

The Swift code under test is Guide/snippets/Shared/COCOEval.swift (`cocoEvaluate`) and
Guide/snippets/Shared/NMS.swift (`nms`, `batchedNMS`). This script
  1. generates seeded random cases (boxes, scores, crowd regions, several images and classes,
     objects in all three COCO area ranges, tied scores, IoUs exactly at thresholds),
  2. evaluates every COCO case with pycocotools' COCOeval (iouType "bbox") and every NMS case
     with a line-by-line Python port of torchvision's CPU kernels (nms_kernel.cpp, and
     batched_nms' coordinate-offset trick), and
  3. compares those answers with the ones a Swift program computed for the same cases.

Requirements: python3 with `pip install pycocotools numpy` (torch is NOT needed).

Usage (from the repository root):
    python3 tools/verify_coco.py run --cases 200 --seed 1    # all steps below, in a temp folder

    python3 tools/verify_coco.py gen --cases 200 --seed 1 --out /tmp/cases.json
    python3 tools/verify_coco.py driver /tmp/drv/main.swift  # write the Swift driver
    swiftc -O -swift-version 6 -module-name Snippet /tmp/drv/main.swift \
        Guide/snippets/Shared/{Box,IoU,NMS,Detection,Metrics,AveragePrecision,COCOEval}.swift \
        -o /tmp/drv/driver
    /tmp/drv/driver /tmp/cases.json /tmp/swift.json
    python3 tools/verify_coco.py check /tmp/cases.json /tmp/swift.json
    python3 tools/verify_coco.py eval /tmp/cases.json 0      # pycocotools' summary of case 0

cases.json:
    {"coco": [{"images": [int], "categories": [int],
               "gts":  [{"image_id", "category_id", "bbox": [x, y, w, h], "iscrowd": 0|1,
                         "area": float, "explicit_area": bool}],
               "dets": [{"image_id", "category_id", "bbox": [x, y, w, h], "score"}]}],
     "nms":  [{"boxes": [[x1, y1, x2, y2]], "scores": [float], "labels": [int],
               "iou_threshold": float}]}
    A ground truth with "explicit_area": false stands for GroundTruth(area: nil); its "area" is
    then w * h, which is what the Swift side computes for the box.
swift.json (what the Swift driver, SWIFT_DRIVER below, writes):
    {"coco": [[12 stats], ...], "nms": [[kept indices], ...], "batched_nms": [[kept indices], ...]}

`check` prints the number of cases compared, the largest absolute difference over all 12 stats,
and every mismatch (a stat differing by more than 1e-9, or a different keep list); it exits 1
on any mismatch.
"""

import argparse
import contextlib
import io
import json
import math
import os
import random
import subprocess
import sys
import tempfile


# ----------------------------------------------------------------------------------------------
# Case generation


def _coord(rng, lo, hi, grid):
    v = rng.uniform(lo, hi)
    return round(v / grid) * grid if grid else v


def gen_coco_case(rng):
    grid = rng.choice([0.25, 1.0, 0.0, 0.0])  # 0: continuous coordinates
    n_images = rng.randint(1, 6)
    n_classes = rng.randint(1, 4)
    images = sorted(rng.sample(range(1, 1000), n_images))
    categories = list(range(1, n_classes + 1))
    tied_scores = rng.random() < 0.4
    many_dets = rng.random() < 0.15  # exceed maxDets = 100 in some image
    explicit_area_rate = rng.choice([0.0, 0.5])
    gts, dets = [], []

    def score():
        s = rng.random()
        return round(s, 1) if tied_scores else s

    def box_of_size(img_w=640, img_h=480):
        # log-uniform side lengths from 3 to 300 px: small, medium and large objects
        w = math.exp(rng.uniform(math.log(3), math.log(300)))
        h = w * math.exp(rng.uniform(-0.7, 0.7))
        if grid:
            w, h = round(w / grid) * grid, round(h / grid) * grid
        w, h = max(1.0, w), max(1.0, h)
        x = _coord(rng, 0, img_w - min(w, img_w - 1), grid)
        y = _coord(rng, 0, img_h - min(h, img_h - 1), grid)
        return [x, y, w, h]

    for img in images:
        for c in categories:
            n_gt = rng.choice([0, 0, 1, 2, 3, 5, 8])
            for _ in range(n_gt):
                b = box_of_size()
                crowd = 1 if rng.random() < 0.08 else 0
                explicit = rng.random() < explicit_area_rate
                area = b[2] * b[3] * (rng.uniform(0.4, 1.0) if explicit else 1.0)
                gts.append({"image_id": img, "category_id": c, "bbox": b, "iscrowd": crowd,
                            "area": area, "explicit_area": explicit})
                # detections near this object: none, one, or duplicates
                for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
                    jit = rng.uniform(0.0, 0.35)
                    x, y, w, h = b
                    nb = [x + rng.uniform(-jit, jit) * w, y + rng.uniform(-jit, jit) * h,
                          w * (1 + rng.uniform(-jit, jit)), h * (1 + rng.uniform(-jit, jit))]
                    if grid:
                        nb = [round(v / grid) * grid for v in nb]
                    if rng.random() < 0.2:
                        nb = list(b)  # an exact hit
                    nb[2] = max(nb[2], 1.0)
                    nb[3] = max(nb[3], 1.0)
                    # sometimes the right box with the wrong class
                    cat = c if rng.random() < 0.9 else rng.choice(categories)
                    dets.append({"image_id": img, "category_id": cat, "bbox": nb, "score": score()})
            # false positives in the background
            for _ in range(rng.choice([0, 0, 1, 2, 4]) + (110 if many_dets and c == 1 else 0)):
                dets.append({"image_id": img, "category_id": c, "bbox": box_of_size(),
                             "score": score()})
    edge = rng.random()
    if edge < 0.04:
        dets = []  # nothing detected: recall 0, AP 0
    elif edge < 0.08:
        gts = []  # nothing to find: every stat -1
    elif edge < 0.12:
        for g in gts:
            g["iscrowd"] = 1  # only crowd regions: every stat -1
    rng.shuffle(dets)
    for i, g in enumerate(gts):
        g["id"] = i + 1
    return {"images": images, "categories": categories, "gts": gts, "dets": dets}


def gen_nms_case(rng):
    n = rng.randint(0, 40)
    n_classes = rng.randint(1, 3)
    span = rng.choice([8, 20, 100])  # small integer grids give many exact IoU ties
    boxes, scores, labels = [], [], []
    for _ in range(n):
        x1 = rng.randint(0, span)
        y1 = rng.randint(0, span)
        boxes.append([x1, y1, x1 + rng.randint(1, span // 2 + 1), y1 + rng.randint(1, span // 2 + 1)])
        scores.append(round(rng.random(), 1) if rng.random() < 0.5 else rng.random())
        labels.append(rng.randint(0, n_classes - 1))
    thr = rng.choice([0.0, 0.25, 0.3, 0.5, 0.5, 0.7, 0.9, 1 / 3])
    return {"boxes": boxes, "scores": scores, "labels": labels, "iou_threshold": thr}


# ----------------------------------------------------------------------------------------------
# References


def pycocotools_stats(case, summary=False):
    import numpy as np  # noqa: F401  (pycocotools needs it)
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    gt_anns = [{k: v for k, v in g.items() if k != "explicit_area"} for g in case["gts"]]
    dataset = {"images": [{"id": i} for i in case["images"]],
               "categories": [{"id": c} for c in case["categories"]],
               "annotations": gt_anns}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        coco_gt = COCO()
        coco_gt.dataset = dataset
        coco_gt.createIndex()
        dets = [dict(d) for d in case["dets"]]
        if dets:
            coco_dt = coco_gt.loadRes(dets)
        else:  # loadRes cannot take an empty list
            coco_dt = COCO()
            coco_dt.dataset = {"images": dataset["images"], "categories": dataset["categories"],
                               "annotations": []}
            coco_dt.createIndex()
        ev = COCOeval(coco_gt, coco_dt, "bbox")
        ev.params.imgIds = case["images"]
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    if summary:
        print("\n".join(l for l in out.getvalue().splitlines() if l.startswith(" Average")))
    return [float(s) for s in ev.stats]


def torchvision_nms(boxes, scores, thr):
    """A line-by-line port of torchvision/csrc/ops/cpu/nms_kernel.cpp (float64)."""
    n = len(boxes)
    if n == 0:
        return []
    x1 = [b[0] for b in boxes]
    y1 = [b[1] for b in boxes]
    x2 = [b[2] for b in boxes]
    y2 = [b[3] for b in boxes]
    areas = [(x2[i] - x1[i]) * (y2[i] - y1[i]) for i in range(n)]
    # scores.sort(stable=True, dim=0, descending=True)
    order = sorted(range(n), key=lambda i: -scores[i])
    suppressed = [False] * n
    keep = []
    for _i in range(n):
        i = order[_i]
        if suppressed[i]:
            continue
        keep.append(i)
        ix1, iy1, ix2, iy2, iarea = x1[i], y1[i], x2[i], y2[i], areas[i]
        for _j in range(_i + 1, n):
            j = order[_j]
            if suppressed[j]:
                continue
            xx1 = max(ix1, x1[j])
            yy1 = max(iy1, y1[j])
            xx2 = min(ix2, x2[j])
            yy2 = min(iy2, y2[j])
            w = max(0.0, xx2 - xx1)
            h = max(0.0, yy2 - yy1)
            inter = w * h
            ovr = inter / (iarea + areas[j] - inter)
            if ovr > thr:
                suppressed[j] = True
    return keep


def torchvision_batched_nms(boxes, scores, labels, thr):
    """torchvision.ops.boxes._batched_nms_coordinate_trick: offset each class far apart."""
    if not boxes:
        return []
    max_coordinate = max(max(b) for b in boxes)
    shifted = [[v + lab * (max_coordinate + 1) for v in b] for b, lab in zip(boxes, labels)]
    return torchvision_nms(shifted, scores, thr)


# ----------------------------------------------------------------------------------------------
# The Swift side: a driver compiled together with the shared snippet code.

SHARED_FILES = ["Box", "IoU", "NMS", "Detection", "Metrics", "AveragePrecision", "COCOEval"]

SWIFT_DRIVER = r'''// Reads cases.json (argument 1), evaluates every case with the guide's Swift code and writes
// swift.json (argument 2). Compiled together with the shared snippet files.
import Foundation
struct GT: Decodable { var image_id: Int; var category_id: Int; var bbox: [Double]; var iscrowd: Int; var area: Double; var explicit_area: Bool }
struct DT: Decodable { var image_id: Int; var category_id: Int; var bbox: [Double]; var score: Double }
struct CocoCase: Decodable { var images: [Int]; var categories: [Int]; var gts: [GT]; var dets: [DT] }
struct NMSCase: Decodable { var boxes: [[Double]]; var scores: [Double]; var labels: [Int]; var iou_threshold: Double }
struct Cases: Decodable { var coco: [CocoCase]; var nms: [NMSCase] }
struct Out: Encodable { var coco: [[Double]]; var nms: [[Int]]; var batched_nms: [[Int]] }
let args = CommandLine.arguments
let cases = try JSONDecoder().decode(Cases.self, from: Data(contentsOf: URL(fileURLWithPath: args[1])))
var out = Out(coco: [], nms: [], batched_nms: [])
for c in cases.coco {
  let gts = c.gts.map { g in GroundTruth(imageID: g.image_id, label: g.category_id, box: Box(xywh: g.bbox[0], g.bbox[1], g.bbox[2], g.bbox[3]), isCrowd: g.iscrowd == 1, area: g.explicit_area ? g.area : nil) }
  let dts = c.dets.map { d in Detection(imageID: d.image_id, label: d.category_id, box: Box(xywh: d.bbox[0], d.bbox[1], d.bbox[2], d.bbox[3]), score: d.score) }
  out.coco.append(cocoEvaluate(groundTruths: gts, detections: dts).stats.values)
}
for c in cases.nms {
  let boxes = c.boxes.map { Box(x1: $0[0], y1: $0[1], x2: $0[2], y2: $0[3]) }
  out.nms.append(nms(boxes: boxes, scores: c.scores, iouThreshold: c.iou_threshold))
  out.batched_nms.append(batchedNMS(boxes: boxes, scores: c.scores, labels: c.labels, iouThreshold: c.iou_threshold))
}
try JSONEncoder().encode(out).write(to: URL(fileURLWithPath: args[2]))
'''


# ----------------------------------------------------------------------------------------------
# Commands


def cmd_gen(args):
    rng = random.Random(args.seed)
    cases = {"coco": [gen_coco_case(rng) for _ in range(args.cases)],
             "nms": [gen_nms_case(rng) for _ in range(args.cases)]}
    with open(args.out, "w") as f:
        json.dump(cases, f)
    print(f"wrote {args.cases} COCO cases and {args.cases} NMS cases to {args.out}")


def cmd_eval(args):
    with open(args.cases) as f:
        cases = json.load(f)
    pycocotools_stats(cases["coco"][args.index], summary=True)


def cmd_check(args):
    with open(args.cases) as f:
        cases = json.load(f)
    with open(args.swift) as f:
        swift = json.load(f)
    failures = 0
    max_diff = 0.0
    n_minus_one = 0
    exact = 0
    for i, case in enumerate(cases["coco"]):
        ref = pycocotools_stats(case)
        got = swift["coco"][i]
        exact += ref == got
        diffs = [abs(a - b) for a, b in zip(ref, got)]
        n_minus_one += sum(1 for v in ref if v == -1)
        max_diff = max(max_diff, max(diffs))
        if len(got) != 12 or max(diffs) > 1e-9:
            failures += 1
            print(f"coco case {i}: MISMATCH\n  pycocotools {ref}\n  swift       {got}")
    print(f"COCO: {len(cases['coco'])} cases, 12 stats each; max |swift - pycocotools| = {max_diff:.3g}; "
          f"bit-identical cases: {exact}; stats equal to -1: {n_minus_one}")
    nms_bad = 0
    for i, case in enumerate(cases["nms"]):
        ref = torchvision_nms(case["boxes"], case["scores"], case["iou_threshold"])
        refb = torchvision_batched_nms(case["boxes"], case["scores"], case["labels"], case["iou_threshold"])
        if ref != swift["nms"][i] or refb != swift["batched_nms"][i]:
            nms_bad += 1
            print(f"nms case {i}: MISMATCH\n  torchvision {ref} / {refb}\n  swift       "
                  f"{swift['nms'][i]} / {swift['batched_nms'][i]}")
    print(f"NMS: {len(cases['nms'])} cases (nms and batched_nms); mismatches: {nms_bad}")
    failures += nms_bad
    print(f"{len(cases['coco']) + len(cases['nms']) - failures} passed, {failures} failed")
    return 1 if failures else 0


def cmd_driver(args):
    os.makedirs(os.path.dirname(os.path.abspath(args.path)), exist_ok=True)
    with open(args.path, "w") as f:
        f.write(SWIFT_DRIVER)


def cmd_run(args):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    shared = os.path.join(root, "Guide", "snippets", "Shared")
    with tempfile.TemporaryDirectory() as tmp:
        cases = os.path.join(tmp, "cases.json")
        cmd_gen(argparse.Namespace(cases=args.cases, seed=args.seed, out=cases))
        main_swift = os.path.join(tmp, "main.swift")
        cmd_driver(argparse.Namespace(path=main_swift))
        exe = os.path.join(tmp, "driver")
        subprocess.run(["swiftc", "-O", "-swift-version", "6", "-module-name", "Snippet", main_swift]
                       + [os.path.join(shared, f + ".swift") for f in SHARED_FILES] + ["-o", exe],
                       check=True)
        out = os.path.join(tmp, "swift.json")
        subprocess.run([exe, cases, out], check=True)
        return cmd_check(argparse.Namespace(cases=cases, swift=out))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen", help="write seeded random cases")
    g.add_argument("--cases", type=int, default=200)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--out", required=True)
    e = sub.add_parser("eval", help="print pycocotools' summary for one case")
    e.add_argument("cases")
    e.add_argument("index", type=int)
    c = sub.add_parser("check", help="compare Swift results with the references")
    c.add_argument("cases")
    c.add_argument("swift")
    d = sub.add_parser("driver", help="write the Swift driver's source")
    d.add_argument("path")
    r = sub.add_parser("run", help="gen, compile the driver with swiftc, run it, check")
    r.add_argument("--cases", type=int, default=200)
    r.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    if args.cmd == "gen":
        cmd_gen(args)
    elif args.cmd == "eval":
        cmd_eval(args)
    elif args.cmd == "driver":
        cmd_driver(args)
    elif args.cmd == "run":
        sys.exit(cmd_run(args))
    else:
        sys.exit(cmd_check(args))


if __name__ == "__main__":
    main()
