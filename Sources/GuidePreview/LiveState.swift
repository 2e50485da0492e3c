import Foundation
import Synchronization

/// What the open pages poll: the number of builds finished and the last build's errors. Builds
/// publish here and the HTTP server reads it, each under a lock held for a copy, so neither waits
/// for the other's work.
final class LiveState: Sendable {
  struct Snapshot: Sendable, Equatable {
    /// Builds finished so far (0 until the first one ends); the page reloads when it changes.
    var version = 0
    /// The last build's errors, formatted; empty when it succeeded.
    var errors = ""
  }

  private let current = Mutex(Snapshot())

  func snapshot() -> Snapshot { current.withLock { $0 } }

  /// Records a finished build.
  func publish(errors: String) {
    current.withLock {
      $0.version += 1
      $0.errors = errors
    }
  }

  /// `{"errors":…,"version":…}`, the answer to `/__guide/status`.
  func statusJSON() -> Data {
    let now = snapshot()
    let object: [String: Any] = ["version": now.version, "errors": now.errors]
    return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
  }
}
