import Foundation

/// A value made on a thread of its own while the caller goes on with other work; ``value``
/// waits for it. For independent reads of cache files, side by side on a machine's two cores.
/// (A thread of its own, not a dispatch queue's: a queue's worker that waits for another would
/// hold the pool, which grows only after a delay.)
final class Background<Value: Sendable>: @unchecked Sendable {
  // @unchecked: `result` is written once, before `done` is signalled, and read only after it.
  private let done = DispatchSemaphore(value: 0)
  private var result: Value?
  private var taken = false

  init(_ make: @escaping @Sendable () -> Value) {
    let thread = Thread {
      self.result = make()
      self.done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
  }

  /// The value, once it is made (the first call waits; later calls have it).
  var value: Value {
    if !taken {
      done.wait()
      taken = true
    }
    return result!
  }
}
