import Markdown

/// A problem found in the content, the templates or the build, with where it is and how to fix it.
public struct Diagnostic: Sendable, Hashable, Comparable, CustomStringConvertible {
  public enum Severity: String, Sendable, Hashable, Codable {
    case error
    case warning
  }

  public var severity: Severity
  /// The file's path as shown to the user (relative to the working directory when possible).
  public var path: String
  public var location: SourceLocation
  public var message: String
  /// How to fix it, one line.
  public var hint: String?
  /// Extra lines shown under the diagnostic (compiler output, a diff, the pages that embed a snippet).
  public var notes: [String]

  public init(
    _ severity: Severity, path: String, location: SourceLocation = SourceLocation(line: 1, column: 1),
    message: String, hint: String? = nil, notes: [String] = []
  ) {
    self.severity = severity
    self.path = path
    self.location = location
    self.message = message
    self.hint = hint
    self.notes = notes
  }

  public static func error(
    _ path: String, _ location: SourceLocation = SourceLocation(line: 1, column: 1), _ message: String,
    hint: String? = nil, notes: [String] = []
  ) -> Diagnostic {
    Diagnostic(.error, path: path, location: location, message: message, hint: hint, notes: notes)
  }

  public static func warning(
    _ path: String, _ location: SourceLocation = SourceLocation(line: 1, column: 1), _ message: String,
    hint: String? = nil, notes: [String] = []
  ) -> Diagnostic {
    Diagnostic(.warning, path: path, location: location, message: message, hint: hint, notes: notes)
  }

  /// `path:line:col: severity: message`
  public var description: String {
    "\(path):\(location.line):\(location.column): \(severity.rawValue): \(message)"
  }

  public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
    if lhs.path != rhs.path { return lhs.path < rhs.path }
    if lhs.location != rhs.location { return lhs.location < rhs.location }
    if lhs.severity != rhs.severity { return lhs.severity == .error }
    return lhs.message < rhs.message
  }
}

extension Array where Element == Diagnostic {
  public var hasErrors: Bool { contains { $0.severity == .error } }
  public var errorCount: Int { filter { $0.severity == .error }.count }
  public var warningCount: Int { filter { $0.severity == .warning }.count }
}
