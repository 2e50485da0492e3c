import Foundation
import Testing

@testable import GuideKit

#if canImport(Glibc)
  import Glibc
#endif

/// `guide build` killed with SIGKILL while it compiles snippets leaves no compiler process, and
/// its temporary folders are removed by the next build.
@Suite struct KilledBuildTests {
  /// Live (not zombie) processes: pid → (process group, command line and working folder).
  static func processes() -> [Int32: (pgid: Int32, cmdline: String)] {
    var out: [Int32: (Int32, String)] = [:]
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
      guard let pid = Int32(entry),
        let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.range(of: ")", options: .backwards)
      else { continue }
      let fields = stat[close.upperBound...].split(separator: " ")
      guard fields.count > 3, fields[0] != "Z", let pgid = Int32(fields[2]) else { continue }
      let raw = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
      // The working folder too: the shared code's compilers name their sources relative to it.
      let cwd = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")) ?? ""
      out[pid] = (pgid, String(decoding: raw.map { $0 == 0 ? 32 : $0 }, as: UTF8.self) + " cwd=" + cwd)
    }
    return out
  }

  @Test func aKilledBuildLeavesNoCompilerAndNoTemporaryFolder() throws {
    #if os(Linux)
      let binary = try #require(E2E.binary, "no guide binary")
      let root = try E2E.temporaryDirectory("killed")
      defer { E2E.remove(root) }
      try E2E.copyFixture("basic", to: root.appendingPathComponent("basic"))
      let process = Process()
      process.executableURL = binary
      process.arguments = E2E.buildArguments(cache: root.appendingPathComponent("cache"))
      process.currentDirectoryURL = root.appendingPathComponent("basic")
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      let pid = process.processIdentifier
      let markers = ["guide-module-\(pid)-", "guide-snippet-\(pid)-"]

      // Wait for a compiler of this build, then kill the build.
      var groups: Set<Int32> = []
      let deadline = Date().addingTimeInterval(300)
      while groups.isEmpty && Date() < deadline && process.isRunning {
        for (_, info) in Self.processes()
        where info.cmdline.contains("swift") && markers.contains(where: { info.cmdline.contains($0) }) {
          groups.insert(info.pgid)
        }
        if groups.isEmpty { usleep(20_000) }
      }
      try #require(!groups.isEmpty, "no compiler of the build was seen")
      #expect(!groups.contains(getpgrp()), "the compiler runs in a process group of its own")
      kill(pid, SIGKILL)
      process.waitUntilExit()

      // Every process of those groups, and every process naming the build's folders, goes.
      var survivors: [Int32: (pgid: Int32, cmdline: String)] = [:]
      let end = Date().addingTimeInterval(10)
      repeat {
        survivors = Self.processes().filter { _, info in
          groups.contains(info.pgid) || markers.contains(where: { info.cmdline.contains($0) })
        }
        if !survivors.isEmpty { usleep(50_000) }
      } while !survivors.isEmpty && Date() < end
      #expect(survivors.isEmpty, "\(survivors)")

      // The folders the killed build left are removed next time.
      let temporary = FileManager.default.temporaryDirectory
      func leftovers() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []).filter { entry in
          markers.contains { entry.hasPrefix($0) }
        }
      }
      // A SIGKILL leaves the build's folders behind, unless another build (tests run in
      // parallel) has already removed them: every build removes the folders of dead builds.
      TemporaryFolders.removeStale()
      #expect(leftovers().isEmpty, "\(leftovers())")
    #endif
  }
}
