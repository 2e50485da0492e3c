// snippet.title: Greeting and timing
// snippet.uses: Greeting.swift

// snippet.hide
import Foundation
let started = Date()
// snippet.show
// snippet.core
let names = ["Ada", "Grace"]
for name in names {
  print(greeting(name))
}
// snippet.end
let ratio = 0.9123
print("ratio: \(ratio)")
print("took: \(Date().timeIntervalSince(started) >= 0 ? "some" : "no") time")
