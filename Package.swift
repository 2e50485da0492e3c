// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "StudyGuide",
  platforms: [.macOS(.v15)],  // String(validating:as:) needs macOS 15
  products: [
    .executable(name: "guide", targets: ["guide"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
  ],
  targets: [
    // C: the system cmark library (apt libcmark-dev, brew cmark).
    .systemLibrary(
      name: "CCmark",
      pkgConfig: "libcmark",
      providers: [.apt(["libcmark-dev"]), .brew(["cmark"])]
    ),
    // The only Swift code that imports CCmark: cmark's tree as immutable Swift values.
    .target(name: "Markdown", dependencies: ["CCmark"]),
    // C: starting snippets and the compiler in a process group of their own, under a supervisor
    // that kills the group when the program ends, times out or `guide` dies (see CSpawn.h).
    .target(name: "CSpawn"),
    // C: SHA-256's compression on the processor's SHA instructions, where it has them (the
    // render and cache keys; see GuideKit/Support/SHA256.swift).
    .target(name: "CSHA256"),
    // The core: content model, site model, snippets, rendering, search index, output, diagnostics.
    .target(
      name: "GuideKit",
      dependencies: [
        "Markdown",
        "CSpawn",
        "CSHA256",
        .product(name: "Yams", package: "Yams"),
        .product(name: "Mustache", package: "swift-mustache"),
      ]
    ),
    // The preview server (`guide serve`): its own small HTTP/1.1 server on loopback (POSIX
    // sockets, one poll loop), and rebuilds on change off the thread that serves.
    .target(name: "GuidePreview", dependencies: ["GuideKit"]),
    // The thin command line.
    .executableTarget(
      name: "guide",
      dependencies: [
        "GuideKit",
        "GuidePreview",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // The libFuzzer target (`make fuzz`); an input replayer in ordinary builds.
    .executableTarget(name: "guide-fuzz", dependencies: ["GuideKit"]),
    // The shared snippet code, compiled as a module only so that it can be unit-tested.
    .target(name: "CVKit", path: "Guide/snippets/Shared"),
    .testTarget(name: "MarkdownTests", dependencies: ["Markdown"]),
    .testTarget(name: "GuideKitTests", dependencies: ["GuideKit"]),
    .testTarget(name: "CVKitTests", dependencies: ["CVKit"]),
    .testTarget(name: "EndToEndTests", dependencies: ["GuideKit"]),
    .testTarget(name: "GuidePreviewTests", dependencies: ["GuidePreview"]),
  ]
)
