import Foundation
import Testing

@testable import GuideKit

@Suite struct AssetMinifierTests {
  // MARK: - JavaScript

  static let javaScriptCases: [(source: String, minified: String)] = [
    // Comment markers inside strings are text; comments go.
    (
      "var s = \"// not a comment\"; // a comment\nvar t = '/* nor this */';",
      "var s=\"// not a comment\";var t='/* nor this */';"
    ),
    // Regular expressions with /*, // and / inside a class.
    (
      "const r = /a\\/*b/g, q = /[/]+/, u = /\\/\\//, v = /[/*]/;",
      "const r=/a\\/*b/g,q=/[/]+/,u=/\\/\\//,v=/[/*]/;"
    ),
    // Template literals: the text is kept, nested ${} are code (a '}' in a string does not end them).
    (
      "const t = `a ${ b ? `x ${ c + 1 } y` : '}' } z // kept`;",
      "const t=`a ${b?`x ${c+1} y`:'}'} z // kept`;"
    ),
    // Division after an operand; a regular expression where an expression starts.
    ("a = b / c; d = e / f", "a=b/c;d=e/f"),
    ("x = y.split(/ +/); if (a) / b /.test(c)", "x=y.split(/ +/);if(a)/ b /.test(c)"),
    ("n = f(x) / 2 / g; m = a++ / 2 / b; o = p.return / 2 / q", "n=f(x)/2/g;m=a++/2/b;o=p.return/2/q"),
    ("const o = { a: 1 } / 2, b = () => {}\n/ re /.test(s)", "const o={a:1}/2,b=()=>{}\n/ re /.test(s)"),
    // Line breaks that automatic semicolon insertion depends on are kept.
    ("function f() {\n  return\n  x\n}", "function f(){return\nx}"),
    ("a\n++b", "a\n++b"),
    ("x\n(y)", "x\n(y)"),
    ("if (a) {}\n[1, 2].forEach(f)", "if(a){}\n[1,2].forEach(f)"),
    ("let a = b\n-c\nlet t = d\n`e`", "let a=b\n-c\nlet t=d\n`e`"),
    ("return /* one\n two */ x; a/**/+/**/b", "return\nx;a+b"),
    // …and the others go.
    ("a = 1;\nb = 2\nf(a,\n  b)\nx\n  .y()", "a=1;b=2\nf(a,b)\nx.y()"),
    // A space where two tokens would merge.
    ("a + +b; a - -b; a + ++b; a-- - b; a / /b/.lastIndex", "a+ +b;a- -b;a+ ++b;a-- -b;a/ /b/.lastIndex"),
    ("return typeof x; 1 .toString(); /a/g instanceof RegExp; /a/ in o", "return typeof x;1 .toString();/a/g instanceof RegExp;/a/ in o"),
    ("x < !--y; a-- > b", "x< !--y;a-- >b"),
    // Escapes, non-ASCII text and numbers as written.
    ("s = 'it\\'s // fine' + \"“quoted”\"", "s='it\\'s // fine'+\"“quoted”\""),
    ("n = 1e-5 + .5 - 0x1F + 1_000n", "n=1e-5+.5-0x1F+1_000n"),
  ]

  @Test(arguments: javaScriptCases)
  func minifiesJavaScript(source: String, minified: String) {
    #expect(AssetMinifier.javaScript(source) == minified, "\(source.debugDescription)")
  }

  @Test(arguments: ["x = \"unterminated", "/* unterminated", "`unterminated ${a}", "x = /unterminated\ny"])
  func leavesJavaScriptItCannotTokenize(_ source: String) {
    #expect(AssetMinifier.javaScript(source) == nil)
  }

  // MARK: - CSS

  static let cssCases: [(source: String, minified: String)] = [
    ("a { color: red; }\n", "a{color:red}"),
    ("/* c */ a { b: c /* d */ }", "a{b:c}"),
    ("a::before { content: \"/* not a comment */  two  spaces\"; }", "a::before{content:\"/* not a comment */  two  spaces\"}"),
    (
      "a { background: url( data:image/svg+xml;x//y ) ; b: url(\"a b.png\") }",
      "a{background:url(data:image/svg+xml;x//y);b:url(\"a b.png\")}"
    ),
    (
      "@media (max-width: 40rem) {\n  .a > .b, .c + .d ~ .e { margin: 0 auto !important; }\n}",
      "@media (max-width:40rem){.a>.b,.c+.d~.e{margin:0 auto!important}}"
    ),
    (
      "@media screen and (min-width: 64rem) { :root[data-theme=dark] { color-scheme: dark } }",
      "@media screen and (min-width:64rem){:root[data-theme=dark]{color-scheme:dark}}"
    ),
    // A descendant pseudo-class keeps its space; calc() keeps the spaces around + and -.
    (".a :focus, .b::after { x: y }", ".a :focus,.b::after{x:y}"),
    (
      "a { width: calc(100% - 2rem); top: calc(100% + 4px); grid-area: 1 / 2; }",
      "a{width:calc(100% - 2rem);top:calc(100% + 4px);grid-area:1 / 2}"
    ),
    // The space that ends a hex escape is part of it.
    (".\\31 0 { x: y }", ".\\31 0{x:y}"),
  ]

  @Test(arguments: cssCases)
  func minifiesCSS(source: String, minified: String) {
    #expect(AssetMinifier.css(source) == minified, "\(source.debugDescription)")
  }

  @Test(arguments: ["a { b: c } /* unterminated", "a { content: \"unterminated }"])
  func leavesCSSItCannotTokenize(_ source: String) {
    #expect(AssetMinifier.css(source) == nil)
  }

  // MARK: - The template assets

  static let templateAssets: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Templates/assets")

  @Test func minifiesEveryTemplateAssetSmallerAndStably() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.templateAssets.path).filter {
      $0.hasSuffix(".js") || $0.hasSuffix(".css")
    }
    #expect(names.count >= 8)
    for name in names.sorted() {
      let text = try String(contentsOf: Self.templateAssets.appendingPathComponent(name), encoding: .utf8)
      let kind = (name as NSString).pathExtension
      let small = try #require(AssetMinifier.minify(text, fileExtension: kind), "\(name) could not be minified")
      #expect(small.utf8.count < text.utf8.count * 9 / 10, "\(name): \(text.utf8.count) → \(small.utf8.count) bytes")
      #expect(AssetMinifier.minify(small, fileExtension: kind) == small, "\(name): minifying again changes it")
    }
  }

  @Test func stagesCSSAndJavaScriptMinifiedAndLeavesTheRestToCopy() throws {
    let fm = FileManager.default
    let folder = fm.temporaryDirectory.appendingPathComponent("minifier-\(UUID().uuidString)")
    defer { try? fm.removeItem(at: folder) }
    let sources = folder.appendingPathComponent("assets")
    try fm.createDirectory(at: sources, withIntermediateDirectories: true)
    let files = [
      "a.css": "a { color: red; }", "b.js": "let x = 1 // one\n", "c.svg": "<svg/>", "d.js": "let s = 'unterminated",
    ]
    for (name, text) in files { try text.write(to: sources.appendingPathComponent(name), atomically: true, encoding: .utf8) }
    let writer = OutputWriter(output: folder.appendingPathComponent("Site"))
    let staging = try writer.begin()
    defer { writer.abort(staging) }
    var copies = files.keys.sorted().map { (path: "assets/" + $0, source: sources.appendingPathComponent($0).path) }

    let written = AssetMinifier.stageMinified(&copies, into: staging)

    #expect(written == 2)
    #expect(copies.map(\.path) == ["assets/c.svg", "assets/d.js"], "the SVG and the JavaScript it cannot read are copied")
    let staged = { (name: String) in try String(contentsOf: staging.url.appendingPathComponent(name), encoding: .utf8) }
    #expect(try staged("assets/a.css") == "a{color:red}")
    #expect(try staged("assets/b.js") == "let x=1")
  }

  /// The minified texts are kept for the next build, which minifies only a source it has not
  /// seen: an unchanged source's text comes from the file (shown here by a text the minifier would
  /// never make), a changed one is minified afresh, and a damaged file is ignored.
  @Test func minifiedTextsAreKeptForTheNextBuild() throws {
    let fm = FileManager.default
    let folder = fm.temporaryDirectory.appendingPathComponent("minified-cache-\(UUID().uuidString)")
    defer { try? fm.removeItem(at: folder) }
    let sources = folder.appendingPathComponent("assets")
    try fm.createDirectory(at: sources, withIntermediateDirectories: true)
    let cache = folder.appendingPathComponent("cache/minified-assets.bin")
    func write(_ name: String, _ text: String) throws {
      try text.write(to: sources.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    func build() throws -> [String: String] {
      let writer = OutputWriter(output: folder.appendingPathComponent("Site"))
      let staging = try writer.begin()
      defer { writer.abort(staging) }
      var copies = ["a.css", "b.js"].map { (path: "assets/" + $0, source: sources.appendingPathComponent($0).path) }
      #expect(AssetMinifier.stageMinified(&copies, into: staging, cache: cache) == 2)
      return try Dictionary(
        uniqueKeysWithValues: ["a.css", "b.js"].map {
          ($0, try String(contentsOf: staging.url.appendingPathComponent("assets/" + $0), encoding: .utf8))
        })
    }
    try write("a.css", "a { color: red; }")
    try write("b.js", "let x = 1 // one\n")
    #expect(try build() == ["a.css": "a{color:red}", "b.js": "let x=1"])
    let kept = MinifiedAssets.load(cache)
    #expect(kept.texts.count == 2)

    // The kept text of the stylesheet, replaced: an unchanged source takes it as it is.
    var marked = kept
    let cssKey = MinifiedAssets.key("a { color: red; }", fileExtension: "css")
    marked.texts[cssKey] = "a{color:blue}"
    marked.save(to: cache)
    try write("b.js", "let y = 2\n")
    #expect(try build() == ["a.css": "a{color:blue}", "b.js": "let y=2"])
    #expect(MinifiedAssets.load(cache).texts.count == 2, "only this build's texts are kept")

    // A damaged file is not read: everything is minified again.
    let bytes = try Data(contentsOf: cache)
    try bytes.dropLast(3).write(to: cache)
    #expect(MinifiedAssets.load(cache).texts.isEmpty)
    #expect(try build() == ["a.css": "a{color:red}", "b.js": "let y=2"])
  }
}
