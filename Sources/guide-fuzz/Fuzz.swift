// libFuzzer target over front matter + Markdown + link resolution + rendering.
// Built by `make fuzz` with -sanitize=fuzzer,address and -D FUZZING (libFuzzer supplies main);
// in an ordinary build it is a replayer: `guide-fuzz FILE...` runs the given inputs (e.g. a crash
// file) once each.
import Foundation
import GuideKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  Fuzzing.run(Array(UnsafeBufferPointer(start: data, count: size)))
  return 0
}

#if FUZZING
  // SwiftPM links executables with their entry point renamed to `<target>_main`; hand it to
  // libFuzzer's driver, which parses the fuzzer flags and runs the loop.
  @_silgen_name("LLVMFuzzerRunDriver")
  func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
  ) -> CInt

  @_cdecl("guide_fuzz_main")
  func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
  }
#else
  @main
  struct Replayer {
    static func main() {
      for path in CommandLine.arguments.dropFirst() {
        guard let data = FileManager.default.contents(atPath: path) else {
          FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
          exit(1)
        }
        Fuzzing.run(Array(data))
        print("ok: \(path)")
      }
    }
  }
#endif
