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
      guard let label = child.label else { continue }
      // Known types convert without trying casts one after another (most of the cost).
      let converted = (child.value as? any TemplateValue).map { $0.templateValue } ?? convert(child.value)
      guard let converted else { continue }
      if label == "common", let shared = converted as? [String: Any] {
        out.merge(shared) { own, _ in own }
      } else {
        out[label] = converted
      }
    }
    return out
  }

  /// A value of a type that is not a ``TemplateValue``, as the templates see it (nil: left out).
  /// Optionals are unwrapped first, so the templates never see an `Optional`.
  static func convert(_ value: Any) -> Any? {
    if let optional = value as? any OptionalValue { return optional.wrappedValue.flatMap(convert) }
    switch value {
    case let string as String: return string
    case let int as Int: return int
    case let bool as Bool: return bool
    case let double as Double: return double
    case let flags as [String: Bool]: return flags
    case let dictionary as [String: Any]: return dictionary
    case let array as [Any]: return array.compactMap(convert)
    default: break
    }
    return Mirror(reflecting: value).displayStyle == .struct ? dictionary(value) : value
  }
}

/// A value a template context may hold, with what the template sees of it (nil: left out).
protocol TemplateValue {
  var templateValue: Any? { get }
}

/// A typed template context (a struct): the template sees its properties as keys.
protocol TemplateContext: TemplateValue {}

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

/// An `Optional` seen through `Any`.
protocol OptionalValue {
  var wrappedValue: Any? { get }
}

extension Optional: OptionalValue {
  var wrappedValue: Any? { map { $0 as Any } }
}
