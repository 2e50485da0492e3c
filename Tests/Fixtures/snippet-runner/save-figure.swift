// snippet.title: Saves a figure with plain Foundation
// snippet.uses: Square.swift
import Foundation

let folder = ProcessInfo.processInfo.environment["GUIDE_FIGURES_DIR"] ?? "."
let svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + squareSVG(side: 12)
try! svg.write(toFile: folder + "/unit-square.svg", atomically: true, encoding: .utf8)
try! "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n".write(toFile: folder + "/a-first.svg", atomically: true, encoding: .utf8)
print("saved 2 figures")
