/// Values kept until the process exits, never freed: for a command that ends right after its
/// work, freeing a large model object by object (millions of strings and arrays) only delays the
/// exit, while the operating system reclaims the whole address space at once.
enum ProcessLifetime {
  private final class Box<Value> {
    let value: Value
    init(_ value: Value) { self.value = value }
  }

  /// Keeps `value` alive until the process exits.
  static func keep<Value>(_ value: Value) {
    _ = Unmanaged.passRetained(Box(value))
  }
}
