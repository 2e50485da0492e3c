// libFuzzer target over front matter + Markdown + link resolution + rendering.
// Built by `make fuzz` with -sanitize=fuzzer,address and -D FUZZING; in an ordinary build it is a
// replayer: `guide-fuzz FILE...` runs the given inputs (e.g. a crash file) once each.
import Foundation
import GuideKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  Fuzzing.run(Array(UnsafeBufferPointer(start: data, count: size)))
  return 0
}

#if !FUZZING
  for path in CommandLine.arguments.dropFirst() {
    guard let data = FileManager.default.contents(atPath: path) else {
      FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
      exit(1)
    }
    Fuzzing.run(Array(data))
    print("ok: \(path)")
  }
#endif
