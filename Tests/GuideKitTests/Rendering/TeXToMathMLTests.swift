import Testing

@testable import GuideKit

private func mathML(_ tex: String, display: Bool = false) -> String {
  switch TeXToMathML.convert(tex, display: display) {
  case .success(let html): return html
  case .failure(let error): return "ERROR at \(error.offset): \(error.message)"
  }
}

private func failure(_ tex: String) -> TeXError? {
  if case .failure(let error) = TeXToMathML.convert(tex, display: false) { return error }
  return nil
}

@Suite struct TeXToMathMLTests {
  @Test(arguments: [
    // Letters, digits, operators.
    ("x", "<math><mi>x</mi></math>"),
    ("3.14", "<math><mn>3.14</mn></math>"),
    ("a+b=c", "<math><mi>a</mi><mo>+</mo><mi>b</mi><mo>=</mo><mi>c</mi></math>"),
    ("a-b", "<math><mi>a</mi><mo>−</mo><mi>b</mi></math>"),
    ("a<b>c", "<math><mi>a</mi><mo>&lt;</mo><mi>b</mi><mo>&gt;</mo><mi>c</mi></math>"),
    ("(x)", "<math><mo stretchy=\"false\">(</mo><mi>x</mi><mo stretchy=\"false\">)</mo></math>"),
    ("n!", "<math><mi>n</mi><mo>!</mo></math>"),
    ("a/b", "<math><mi>a</mi><mo>/</mo><mi>b</mi></math>"),
    ("x, y; z: w.", "<math><mi>x</mi><mo>,</mo><mi>y</mi><mo>;</mo><mi>z</mi><mo>:</mo><mi>w</mi><mo>.</mo></math>"),
    ("f'", "<math><msup><mi>f</mi><mo>′</mo></msup></math>"),
    ("f''^2", "<math><msup><mi>f</mi><mrow><mo>′′</mo><mn>2</mn></mrow></msup></math>"),
    // Scripts and groups.
    ("x^2", "<math><msup><mi>x</mi><mn>2</mn></msup></math>"),
    ("x^23", "<math><msup><mi>x</mi><mn>2</mn></msup><mn>3</mn></math>"),
    ("x_i", "<math><msub><mi>x</mi><mi>i</mi></msub></math>"),
    ("x_{ij}^{2}", "<math><msubsup><mi>x</mi><mrow><mi>i</mi><mi>j</mi></mrow><mn>2</mn></msubsup></math>"),
    ("x^2_i", "<math><msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup></math>"),
    ("e^{-x}", "<math><msup><mi>e</mi><mrow><mo>−</mo><mi>x</mi></mrow></msup></math>"),
    ("x^\\alpha", "<math><msup><mi>x</mi><mi>α</mi></msup></math>"),
    ("{a b}", "<math><mrow><mi>a</mi><mi>b</mi></mrow></math>"),
    ("{}^2", "<math><msup><mrow></mrow><mn>2</mn></msup></math>"),
    // Fractions and roots.
    ("\\frac{a}{b}", "<math><mfrac><mi>a</mi><mi>b</mi></mfrac></math>"),
    ("\\frac12", "<math><mfrac><mn>1</mn><mn>2</mn></mfrac></math>"),
    ("\\dfrac{a}{b}", "<math><mstyle displaystyle=\"true\"><mfrac><mi>a</mi><mi>b</mi></mfrac></mstyle></math>"),
    ("\\tfrac{a}{b}", "<math><mstyle displaystyle=\"false\"><mfrac><mi>a</mi><mi>b</mi></mfrac></mstyle></math>"),
    ("\\sqrt{x}", "<math><msqrt><mi>x</mi></msqrt></math>"),
    ("\\sqrt[3]{x}", "<math><mroot><mi>x</mi><mn>3</mn></mroot></math>"),
    // Accents.
    ("\\hat{y}", "<math><mover accent=\"true\"><mi>y</mi><mo stretchy=\"false\">^</mo></mover></math>"),
    ("\\bar{x}", "<math><mover accent=\"true\"><mi>x</mi><mo stretchy=\"false\">‾</mo></mover></math>"),
    ("\\tilde{x}", "<math><mover accent=\"true\"><mi>x</mi><mo stretchy=\"false\">~</mo></mover></math>"),
    ("\\vec{v}", "<math><mover accent=\"true\"><mi>v</mi><mo stretchy=\"false\">→</mo></mover></math>"),
    ("\\dot{x}", "<math><mover accent=\"true\"><mi>x</mi><mo stretchy=\"false\">˙</mo></mover></math>"),
    ("\\overline{AB}", "<math><mover accent=\"true\"><mrow><mi>A</mi><mi>B</mi></mrow><mo>‾</mo></mover></math>"),
    ("\\underline{x}", "<math><munder accentunder=\"true\"><mi>x</mi><mo>_</mo></munder></math>"),
    // Fonts.
    ("\\text{if } x", "<math><mtext>if\u{A0}</mtext><mi>x</mi></math>"),
    ("\\text{a\\%}", "<math><mtext>a%</mtext></math>"),
    ("\\mathrm{d}x", "<math><mi mathvariant=\"normal\">d</mi><mi>x</mi></math>"),
    ("\\mathrm{softmax}", "<math><mi>softmax</mi></math>"),
    ("\\mathbf{x}", "<math><mi>𝐱</mi></math>"),
    ("\\mathbf{W1}", "<math><mrow><mi>𝐖</mi><mn>𝟏</mn></mrow></math>"),
    ("\\mathit{h}", "<math><mi>ℎ</mi></math>"),
    ("\\mathbb{R}^n", "<math><msup><mi>ℝ</mi><mi>n</mi></msup></math>"),
    ("\\mathbb{E}", "<math><mi>𝔼</mi></math>"),
    ("\\mathcal{L}", "<math><mi>ℒ</mi></math>"),
    ("\\mathcal{D}", "<math><mi>𝒟</mi></math>"),
    (
      "\\operatorname{IoU}(a)",
      "<math><mi>IoU</mi><mo>\u{2061}</mo><mo stretchy=\"false\">(</mo><mi>a</mi><mo stretchy=\"false\">)</mo></math>"
    ),
    // Greek.
    ("\\alpha\\beta", "<math><mi>α</mi><mi>β</mi></math>"),
    ("\\epsilon\\varepsilon\\phi\\varphi\\theta\\vartheta", "<math><mi>ϵ</mi><mi>ε</mi><mi>ϕ</mi><mi>φ</mi><mi>θ</mi><mi>ϑ</mi></math>"),
    ("\\Sigma", "<math><mi mathvariant=\"normal\">Σ</mi></math>"),
    // Big operators and functions.
    (
      "\\sum_{i=1}^{n} x_i",
      "<math><munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><msub><mi>x</mi><mi>i</mi></msub></math>"
    ),
    ("\\prod_i", "<math><munder><mo>∏</mo><mi>i</mi></munder></math>"),
    ("\\int_0^1", "<math><msubsup><mo>∫</mo><mn>0</mn><mn>1</mn></msubsup></math>"),
    ("\\log x", "<math><mi>log</mi><mo>\u{2061}</mo><mi>x</mi></math>"),
    ("\\log_2 n", "<math><msub><mi>log</mi><mn>2</mn></msub><mo>\u{2061}</mo><mi>n</mi></math>"),
    ("\\max_k s", "<math><munder><mo form=\"prefix\" movablelimits=\"true\">max</mo><mi>k</mi></munder><mo>\u{2061}</mo><mi>s</mi></math>"),
    // A function name as a script's argument is one element (a script has exactly two children).
    (
      "\\lambda_{\\max}",
      "<math><msub><mi>λ</mi><mrow><mo form=\"prefix\" movablelimits=\"true\">max</mo><mo>\u{2061}</mo></mrow>"
        + "</msub></math>"
    ),
    ("\\argmax", "<math><mo form=\"prefix\" movablelimits=\"true\">arg\u{2009}max</mo><mo>\u{2061}</mo></math>"),
    // Relations, operators, symbols.
    ("a \\le b \\ne c \\approx d", "<math><mi>a</mi><mo>≤</mo><mi>b</mi><mo>≠</mo><mi>c</mi><mo>≈</mo><mi>d</mi></math>"),
    ("x \\in A \\cup B", "<math><mi>x</mi><mo>∈</mo><mi>A</mi><mo>∪</mo><mi>B</mi></math>"),
    ("a \\cdot b \\times c", "<math><mi>a</mi><mo>⋅</mo><mi>b</mi><mo>×</mo><mi>c</mi></math>"),
    (
      "\\partial \\nabla \\infty",
      "<math><mi mathvariant=\"normal\">∂</mi><mi mathvariant=\"normal\">∇</mi><mi mathvariant=\"normal\">∞</mi></math>"
    ),
    ("x \\to y \\mapsto z", "<math><mi>x</mi><mo>→</mo><mi>y</mi><mo>↦</mo><mi>z</mi></math>"),
    ("\\forall x \\exists y", "<math><mo>∀</mo><mi>x</mi><mo>∃</mo><mi>y</mi></math>"),
    (
      "\\%\\_\\#\\&",
      "<math><mi mathvariant=\"normal\">%</mi><mi mathvariant=\"normal\">_</mi><mi mathvariant=\"normal\">#</mi><mi mathvariant=\"normal\">&amp;</mi></math>"
    ),
    // Delimiters.
    (
      "\\left( \\frac{a}{b} \\right)",
      "<math><mrow><mo fence=\"true\" form=\"prefix\" stretchy=\"true\">(</mo><mfrac><mi>a</mi><mi>b</mi></mfrac><mo fence=\"true\" form=\"postfix\" stretchy=\"true\">)</mo></mrow></math>"
    ),
    ("\\left. x \\right|", "<math><mrow><mi>x</mi><mo fence=\"true\" form=\"postfix\" stretchy=\"true\">|</mo></mrow></math>"),
    (
      "\\left\\{ x \\right\\}",
      "<math><mrow><mo fence=\"true\" form=\"prefix\" stretchy=\"true\">{</mo><mi>x</mi><mo fence=\"true\" form=\"postfix\" stretchy=\"true\">}</mo></mrow></math>"
    ),
    ("\\lVert x \\rVert", "<math><mo stretchy=\"false\">‖</mo><mi>x</mi><mo stretchy=\"false\">‖</mo></math>"),
    (
      "\\lfloor x \\rfloor \\langle y \\rangle",
      "<math><mo stretchy=\"false\">⌊</mo><mi>x</mi><mo stretchy=\"false\">⌋</mo><mo stretchy=\"false\">⟨</mo><mi>y</mi><mo stretchy=\"false\">⟩</mo></math>"
    ),
    // Spacing.
    (
      "a\\,b\\;c\\:d\\quad e\\qquad f\\!g",
      "<math><mi>a</mi><mspace width=\"0.1667em\"/><mi>b</mi><mspace width=\"0.2778em\"/><mi>c</mi><mspace width=\"0.2222em\"/><mi>d</mi><mspace width=\"1em\"/><mi>e</mi><mspace width=\"2em\"/><mi>f</mi><mspace width=\"-0.1667em\"/><mi>g</mi></math>"
    ),
  ])
  func convertsEachConstruct(tex: String, expected: String) {
    #expect(mathML(tex) == expected)
  }

  @Test func displayMathIsABlock() {
    #expect(mathML("x", display: true) == "<math display=\"block\"><mi>x</mi></math>")
  }

  @Test func everyListedCommandConverts() {
    for name in TeXSymbols.allCommands {
      let tex: String
      switch name {
      case "frac", "dfrac", "tfrac": tex = "\\\(name){a}{b}"
      case "sqrt", "text", "operatorname", "hat", "bar", "tilde", "vec", "dot", "overline", "underline", "mathrm", "mathbf",
        "mathit", "mathbb", "mathcal":
        tex = "\\\(name){x}"
      case "left": tex = "\\left( x \\right)"
      case "right": continue
      default: tex = "\\\(name)"
      }
      #expect(!mathML(tex).hasPrefix("ERROR"), "\\\(name)")
    }
  }

  @Test(arguments: [
    ("\\begin{cases} a \\end{cases}", 0, "unsupported TeX command '\\begin': environments are not supported"),
    ("x + \\fracc{a}{b}", 4, "unsupported TeX command '\\fracc'"),
    ("a \\\\ b", 2, "unsupported TeX command '\\\\': line breaks are not supported"),
    ("a * b", 2, "character '*' is not supported in math"),
    ("50%", 2, "character '%' is not supported in math"),
    ("a & b", 2, "character '&' is not supported in math"),
    ("{a", 0, "'{' is not closed"),
    ("a}", 1, "unmatched '}'"),
    ("x^", 2, "'^' needs an argument"),
    ("x^2^3", 3, "double superscript"),
    ("x_1_2", 3, "double subscript"),
    ("\\frac{a}", 8, "'\\frac' needs an argument"),
    ("\\left( x", 0, "\\left has no matching \\right"),
    ("x \\right)", 2, "\\right without a matching \\left"),
    ("\\left< x \\right>", 5, "'<' is not a delimiter for \\left"),
    ("\\text{a \\alpha}", 8, "unsupported TeX command '\\alpha' inside \\text"),
    ("α + \\foo", 5, "unsupported TeX command '\\foo'"),
  ])
  func reportsMistakesWithTheirOffset(tex: String, offset: Int, message: String) throws {
    let error = try #require(failure(tex))
    #expect(error.message == message)
    #expect(error.offset == offset)
  }

  @Test func suggestsTheClosestCommand() throws {
    let error = try #require(failure("\\alpah"))
    #expect(error.hint == "did you mean '\\alpha'?")
  }

  @Test func deepNestingIsAnErrorNotACrash() throws {
    let tex = String(repeating: "{", count: 5_000) + "x" + String(repeating: "}", count: 5_000)
    let error = try #require(failure(tex))
    #expect(error.message == "formula is nested more than \(TeXToMathML.maximumDepth) levels deep")
    let fractions = String(repeating: "\\frac{1}{", count: 1_000) + "x" + String(repeating: "}", count: 1_000)
    #expect(failure(fractions) != nil)
  }

  @Test func outputNeverContainsMarkupFromTheInput() {
    #expect(mathML("\\text{<script>}") == "<math><mtext>&lt;script&gt;</mtext></math>")
    #expect(mathML("\\operatorname{a<b}") == "<math><mi>a&lt;b</mi><mo>\u{2061}</mo></math>")
  }
}
