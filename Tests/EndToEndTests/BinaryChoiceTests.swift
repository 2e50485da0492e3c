import Foundation
import Testing

/// Defect 9 of issue 17: the end-to-end tests run the binary built with them, never a possibly
/// stale `.build/release/guide`.
@Suite struct BinaryChoiceTests {
  @Test func theBinaryUnderTestIsNotAStaleReleaseBuild() throws {
    guard (ProcessInfo.processInfo.environment["GUIDE_BINARY"] ?? "").isEmpty else { return }
    let binary = try #require(E2E.binary)
    #expect(!binary.path.contains("/release/"), "\(binary.path)")
    // Built with the tests: at least as new as every source file of the generator.
    let built = try #require(try FileManager.default.attributesOfItem(atPath: binary.path)[.modificationDate] as? Date)
    for target in ["guide", "GuideKit", "GuidePreview", "Markdown"] {
      let sources = E2E.packageRoot.appendingPathComponent("Sources/\(target)")
      let enumerator = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: [.contentModificationDateKey]))
      for case let url as URL in enumerator where url.pathExtension == "swift" {
        let modified = try url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate ?? .distantPast
        #expect(modified <= built, "\(url.lastPathComponent) is newer than \(binary.path)")
      }
    }
  }
}
