/// Typed template contexts become the dictionaries swift-mustache reads here, and only here: a
/// struct's stored properties become keys named like them (so a key cannot be misspelt in
/// Swift), `nil` optionals are left out (a `{{#section}}` of them is false, as for a missing
/// key), arrays and nested structs are converted the same way, and a property named `common` is
/// merged into its parent (the context every page shares, ``PageContext``).
enum TemplateData {
  /// The dictionary of a typed context.
  static func dictionary(_ value: Any) -> [String: Any] {
    var out: [String: Any] = [:]
    for child in Mirror(reflecting: value).children {
      guard let label = child.label, let converted = convert(child.value) else { continue }
      if label == "common", let shared = converted as? [String: Any] {
        out.merge(shared) { own, _ in own }
      } else {
        out[label] = converted
      }
    }
    return out
  }

  /// A value as the templates see it (nil: left out).
  static func convert(_ value: Any) -> Any? {
    switch value {
    case is String, is Int, is Bool, is Double, is [String: Bool], is [String: Any]: return value
    default: break
    }
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .optional: return mirror.children.first.flatMap { convert($0.value) }
    case .collection: return mirror.children.compactMap { convert($0.value) } as [Any]
    case .struct: return dictionary(value)
    default: return value
    }
  }
}
