// snippet.title: Draws a square
import Foundation

// Saves plot.svg where the runner collects figures (plain Foundation; the guide's snippets use the
// drawing API in Shared/).
if let folder = ProcessInfo.processInfo.environment["GUIDE_FIGURES_DIR"] {
  let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"5\" height=\"5\"/></svg>\n"
  try svg.write(toFile: folder + "/plot.svg", atomically: true, encoding: .utf8)
}
print("drawn")
