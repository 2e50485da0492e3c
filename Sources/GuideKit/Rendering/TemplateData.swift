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

  /// A value as the templates see it (nil: left out). Optionals are unwrapped first, so the
  /// templates never see an `Optional` (a cast to `String` would look through one and keep it).
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

/// An `Optional` seen through `Any`.
protocol OptionalValue {
  var wrappedValue: Any? { get }
}

extension Optional: OptionalValue {
  var wrappedValue: Any? { map { $0 as Any } }
}
