import Foundation
import Synchronization

/// Order-preserving parallel map over a bounded number of threads. Threads take the next item
/// as they become free, so a few long items listed first (the aggregates of a build) run beside
/// the many short ones instead of queueing behind them on one thread.
enum ParallelMap {
  static func map<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, _ transform: @Sendable (T) -> R) -> [R] {
    if jobs <= 1 || items.count < 2 { return items.map(transform) }
    let results = Results<R>(count: items.count)
    DispatchQueue.concurrentPerform(iterations: min(jobs, items.count)) { _ in
      while let i = results.next() { results.set(i, transform(items[i])) }
    }
    return results.values()
  }

  /// ``map(_:jobs:_:)`` without the nil results.
  static func compactMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, _ transform: @Sendable (T) -> R?) -> [R] {
    if jobs <= 1 || items.count < 2 { return items.compactMap(transform) }
    let results = Results<R>(count: items.count)
    DispatchQueue.concurrentPerform(iterations: min(jobs, items.count)) { _ in
      while let i = results.next() {
        if let value = transform(items[i]) { results.set(i, value) }
      }
    }
    return results.values(skippingNil: true)
  }

  /// The results so far and the next item to take, behind one lock.
  final class Results<R: Sendable>: Sendable {
    private struct State {
      var storage: [R?]
      var nextIndex = 0
    }
    private let state: Mutex<State>

    init(count: Int) { state = Mutex(State(storage: Array(repeating: nil, count: count))) }

    /// The next item to work on, or nil when all are taken.
    func next() -> Int? {
      state.withLock { state in
        guard state.nextIndex < state.storage.count else { return nil }
        state.nextIndex += 1
        return state.nextIndex - 1
      }
    }

    func set(_ index: Int, _ value: R) {
      state.withLock { $0.storage[index] = value }
    }

    /// The results, moved out of the storage rather than copied (a result may be a large value,
    /// such as a page: a copy retains each of its fields). Every item must have been set unless
    /// `skippingNil`.
    func values(skippingNil: Bool = false) -> [R] {
      var storage = state.withLock { state in
        defer { state.storage = [] }
        return state.storage
      }
      return storage.withUnsafeMutableBufferPointer { slots in
        let present = skippingNil ? slots.count { $0 != nil } : slots.count
        return [R](unsafeUninitializedCapacity: present) { out, count in
          count = 0
          for i in slots.indices {
            guard let value = (slots.baseAddress! + i).move() else {
              precondition(skippingNil, "ParallelMap: an item has no result")
              (slots.baseAddress! + i).initialize(to: nil)
              continue
            }
            (slots.baseAddress! + i).initialize(to: nil)
            (out.baseAddress! + count).initialize(to: value)
            count += 1
          }
        }
      }
    }
  }
}
