/// The TeX commands the guide's math supports, and what each becomes in MathML. This list is the
/// contract with the content writers (see the authoring page): anything else is an error.
enum TeXSymbols {
  /// Lowercase Greek: `<mi>` (italic, as in TeX).
  static let lowerGreek: [String: String] = [
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω",
  ]

  /// Uppercase Greek: upright `<mi mathvariant="normal">`, as in TeX.
  static let upperGreek: [String: String] = [
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ",
    "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
  ]

  /// Relations and binary operators: `<mo>`.
  static let operators: [String: String] = [
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈", "sim": "∼", "simeq": "≃",
    "equiv": "≡", "propto": "∝", "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆", "cup": "∪", "cap": "∩",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "Leftarrow": "⇐", "iff": "⟺", "mapsto": "↦",
    "gets": "←", "cdot": "⋅", "times": "×", "pm": "±", "mp": "∓", "div": "÷", "circ": "∘", "odot": "⊙",
    "otimes": "⊗", "oplus": "⊕", "ominus": "⊖", "bullet": "∙", "ast": "∗", "star": "⋆", "ldots": "…", "cdots": "⋯", "dots": "…",
    "forall": "∀",
    "exists": "∃", "neg": "¬", "land": "∧", "lor": "∨", "mid": "∣",
  ]

  /// Ordinary symbols: upright `<mi mathvariant="normal">`.
  static let ordinary: [String: String] = [
    "nabla": "∇", "partial": "∂", "infty": "∞", "top": "⊤", "%": "%", "_": "_", "#": "#", "&": "&",
  ]

  /// Delimiters, usable alone (not stretched) or after `\left` / `\right` (stretched).
  static let delimiters: [String: String] = [
    "{": "{", "}": "}", "|": "‖", "lVert": "‖", "rVert": "‖", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈",
    "rceil": "⌉", "langle": "⟨", "rangle": "⟩",
  ]

  /// Big operators whose limits go under and over (`\sum`, `\prod`) or beside (`\int`).
  static let bigOperators: [String: String] = ["sum": "∑", "prod": "∏", "int": "∫"]

  /// Function names set upright; those in ``limitFunctions`` take their subscript underneath.
  static let functions: [String: String] = [
    "log": "log", "ln": "ln", "exp": "exp", "arg": "arg", "sin": "sin", "cos": "cos", "tan": "tan", "arcsin": "arcsin", "arccos": "arccos",
    "arctan": "arctan",
    "lim": "lim", "det": "det", "sup": "sup", "inf": "inf", "max": "max", "min": "min",
    "argmax": "arg\u{2009}max", "argmin": "arg\u{2009}min",
  ]
  static let limitFunctions: Set<String> = ["lim", "det", "sup", "inf", "max", "min", "argmax", "argmin"]

  /// Accents: the character put over (or under) the argument, and whether it stretches.
  static let accents: [String: (mark: String, stretchy: Bool, under: Bool)] = [
    "hat": ("^", false, false), "bar": ("‾", false, false), "tilde": ("~", false, false), "vec": ("→", false, false),
    "dot": ("˙", false, false), "overline": ("‾", true, false), "underline": ("_", true, true),
  ]

  /// Spacing commands and their widths.
  static let spaces: [String: String] = [
    ",": "0.1667em", ":": "0.2222em", ";": "0.2778em", "quad": "1em", "qquad": "2em", "!": "-0.1667em",
  ]

  static let fonts: Set<String> = ["mathrm", "mathbf", "mathit", "mathbb", "mathcal"]
  static let fractions: Set<String> = ["frac", "dfrac", "tfrac"]

  /// Every supported command name (for "did you mean" hints).
  static let allCommands: [String] = {
    var names = Set(lowerGreek.keys).union(upperGreek.keys).union(operators.keys).union(ordinary.keys)
      .union(delimiters.keys).union(bigOperators.keys).union(functions.keys).union(accents.keys).union(spaces.keys)
      .union(fonts).union(fractions)
    names.formUnion(["sqrt", "text", "operatorname", "left", "right"])
    return names.filter { $0.first?.isLetter == true }.sorted()
  }()

  // MARK: - Letter styles (MathML Core draws them with the Unicode mathematical alphanumerics)

  static func styled(_ scalar: Unicode.Scalar, font: String) -> String? {
    let v = scalar.value
    let upper = v >= 65 && v <= 90
    let lower = v >= 97 && v <= 122
    let digit = v >= 48 && v <= 57
    func at(_ base: UInt32, _ offset: UInt32) -> String? { Unicode.Scalar(base + offset).map { String(Character($0)) } }
    switch font {
    case "mathbf":
      if upper { return at(0x1D400, v - 65) }
      if lower { return at(0x1D41A, v - 97) }
      if digit { return at(0x1D7CE, v - 48) }
    case "mathit":
      if v == 104 { return "ℎ" }
      if upper { return at(0x1D434, v - 65) }
      if lower { return at(0x1D44E, v - 97) }
    case "mathbb":
      let holes: [UInt32: String] = [67: "ℂ", 72: "ℍ", 78: "ℕ", 80: "ℙ", 81: "ℚ", 82: "ℝ", 90: "ℤ"]
      if let hole = holes[v] { return hole }
      if upper { return at(0x1D538, v - 65) }
      if lower { return at(0x1D552, v - 97) }
      if digit { return at(0x1D7D8, v - 48) }
    case "mathcal":
      let holes: [UInt32: String] = [
        66: "ℬ", 69: "ℰ", 70: "ℱ", 72: "ℋ", 73: "ℐ", 76: "ℒ", 77: "ℳ", 82: "ℛ", 101: "ℯ", 103: "ℊ", 111: "ℴ",
      ]
      if let hole = holes[v] { return hole }
      if upper { return at(0x1D49C, v - 65) }
      if lower { return at(0x1D4B6, v - 97) }
    default:
      break
    }
    return nil
  }
}
