// snippet.uses: SVG.swift Plot.swift PNG.swift Raster.swift
//
// Saving figures. A snippet that draws figures lists `Figure.swift` in its `// snippet.uses:`
// line (which brings in the whole drawing API) and calls `Figure.save(svg, name:)`. The guide's
// snippet runner sets `GUIDE_FIGURES_DIR` to an empty folder for each run and collects every
// `NAME.svg` in it; when the variable is unset (running a snippet by hand), saving does nothing.
// Saving never prints: the snippet's printed output, checked against its `.expected` file,
// stays the same with or without figures.

import Foundation

public enum Figure {
  /// Whether `name` is a valid figure name: `[a-z0-9][a-z0-9-]*`.
  public static func isValidName(_ name: String) -> Bool {
    guard let first = name.utf8.first, (first >= 0x61 && first <= 0x7A) || (first >= 0x30 && first <= 0x39) else {
      return false
    }
    return name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
  }

  /// The folder figures go to, from `GUIDE_FIGURES_DIR`, or nil when unset or empty.
  public static var directory: String? {
    guard let dir = ProcessInfo.processInfo.environment["GUIDE_FIGURES_DIR"], !dir.isEmpty else { return nil }
    return dir
  }

  /// Writes `svg` to `$GUIDE_FIGURES_DIR/NAME.svg`; does nothing when the variable is unset.
  /// A bad name or a failed write stops the snippet with a message on standard error, so a
  /// broken figure is a failed run and not a silently missing file.
  /// `measured: true` for a figure drawn from machine-dependent values (timings): its root gets
  /// `data-measured`, so the page marks it as measured, like the `{{measured}}` parts of the output.
  public static func save(_ svg: String, name: String, measured: Bool = false) {
    guard let dir = directory else { return }
    var svg = svg
    if measured, let root = svg.range(of: "<svg") { svg.replaceSubrange(root, with: "<svg data-measured=\"\"") }
    guard isValidName(name) else {
      FileHandle.standardError.write(Data("Figure.save: bad figure name '\(name)' (use [a-z0-9][a-z0-9-]*)\n".utf8))
      exit(1)
    }
    let url = URL(fileURLWithPath: dir).appendingPathComponent(name + ".svg")
    do {
      try Data(svg.utf8).write(to: url)
    } catch {
      FileHandle.standardError.write(Data("Figure.save: cannot write \(url.path): \(error)\n".utf8))
      exit(1)
    }
  }
}
