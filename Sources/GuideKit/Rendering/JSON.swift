/// Deterministic JSON for data scripts and attributes: keys sorted, strings quoted as the search
/// index quotes them (ASCII only, so U+2028/2029 cannot break a script). It goes into its own `.js`
/// file or through the templates' HTML escaping, never raw into a page.
/// Hand-written because Foundation's JSONSerialization was a fifth of the build time at 1,000 pages.
enum JSON {
  static func encode(_ value: Any) -> String {
    var out = ""
    write(value, into: &out)
    return out
  }

  static func write(_ value: Any, into out: inout String) {
    switch value {
    case let string as String: writeString(string, into: &out)
    case let bool as Bool: out += bool ? "true" : "false"
    case let int as Int: out += String(int)
    case let double as Double: out += double.isFinite ? String(double) : "null"
    case let strings as [String]:
      out += "["
      for (i, s) in strings.enumerated() {
        if i > 0 { out += "," }
        writeString(s, into: &out)
      }
      out += "]"
    case let array as [Any]:
      out += "["
      for (i, item) in array.enumerated() {
        if i > 0 { out += "," }
        write(item, into: &out)
      }
      out += "]"
    case let object as [String: Any]:
      out += "{"
      for (i, key) in object.keys.sorted().enumerated() {
        if i > 0 { out += "," }
        writeString(key, into: &out)
        out += ":"
        write(object[key]!, into: &out)
      }
      out += "}"
    default:
      out += "null"
    }
  }

  static func writeString(_ string: String, into out: inout String) {
    out += JSWriter.quoted(string)
  }
}
