/// Typed template contexts become the dictionaries swift-mustache reads here, and only here: a
/// struct's stored properties become keys named like them (so a key cannot be misspelt in
/// Swift), `nil` optionals are left out (a `{{#section}}` of them is false, as for a missing
/// key), arrays and nested structs are converted the same way, and a property named `common` is
/// merged into its parent (the context every page shares, ``PageContext``).
///
/// Each context lists its properties in ``TemplateContext/fields(_:)``, by hand rather than by
/// reflection: `Mirror` took a ninth of a cold build's CPU (3.2 of 28 s at 10,000 pages). A test
/// checks every context the fixtures make against its reflected properties, so a property left
/// out of `fields` is caught.
enum TemplateData {
  /// The dictionary of a typed context.
  static func dictionary(_ context: some TemplateContext) -> [String: Any] {
    var fields = TemplateFields()
    context.fields(&fields)
    return fields.values
  }
}

/// What a template sees of one context: each property under its name, `nil` ones left out.
struct TemplateFields {
  private(set) var values: [String: Any] = [:]
  /// Every name offered, `nil` or not, when a test asks for them (``TemplateFields/names(of:)``).
  private(set) var names: [String]?

  init() {}

  mutating func callAsFunction(_ name: String, _ value: some TemplateValue) {
    names?.append(name)
    if let converted = value.templateValue { values[name] = converted }
  }

  /// The context every page shares: its keys, under the page's own (which win).
  mutating func merge(_ common: some TemplateContext) {
    names?.append("common")
    var shared = TemplateFields()
    common.fields(&shared)
    values.merge(shared.values) { own, _ in own }
  }

  /// The property names a context offers to `fields`, in order.
  static func names(of context: some TemplateContext) -> [String] {
    var fields = TemplateFields()
    fields.names = []
    context.fields(&fields)
    return fields.names ?? []
  }
}

/// A value a template context may hold, with what the template sees of it (nil: left out).
protocol TemplateValue {
  var templateValue: Any? { get }
}

/// A typed template context (a struct): the template sees its properties as keys.
protocol TemplateContext: TemplateValue {
  /// Every stored property, under its own name (`common` merged).
  func fields(_ f: inout TemplateFields)
}

extension TemplateContext {
  var templateValue: Any? { TemplateData.dictionary(self) }
}

extension String: TemplateValue {
  var templateValue: Any? { self }
}

extension Int: TemplateValue {
  var templateValue: Any? { self }
}

extension Bool: TemplateValue {
  var templateValue: Any? { self }
}

extension Double: TemplateValue {
  var templateValue: Any? { self }
}

extension Dictionary: TemplateValue where Key == String, Value == Bool {
  var templateValue: Any? { self }
}

extension Optional: TemplateValue where Wrapped: TemplateValue {
  var templateValue: Any? { flatMap { $0.templateValue } }
}

extension Array: TemplateValue where Element: TemplateValue {
  var templateValue: Any? { compactMap { $0.templateValue } as [Any] }
}
