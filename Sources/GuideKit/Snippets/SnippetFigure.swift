/// A figure a snippet drew at build time: `Figure.save(…, name: "pr-curve")` in the snippet writes
/// `pr-curve.svg` into the folder the runner names in `GUIDE_FIGURES_DIR`; the runner collects it.
public struct SnippetFigure: Sendable, Codable, Hashable {
  /// `pr-curve` (lowercase letters, digits and `-`).
  public var name: String
  /// The SVG document, UTF-8, starting with `<svg`.
  public var svg: String

  public init(name: String, svg: String) {
    self.name = name
    self.svg = svg
  }
}
