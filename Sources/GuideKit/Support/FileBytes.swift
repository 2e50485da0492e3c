import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The bytes of a cache file, read-only and shared by threads: mapped into memory, so opening a
/// file of tens of megabytes copies nothing and only the parts a build touches are read from the
/// page cache. Values decoded from it later (a restored page's search text) keep it alive.
///
/// Mapping is safe because the cache files mapped are never truncated in place: a build appends
/// to them or replaces them by renaming a new file over them, which leaves a mapped copy intact.
/// Where mapping fails the file is read into memory instead.
final class FileBytes: @unchecked Sendable {
  // @unchecked: the memory is never written after `init`.
  let buffer: UnsafeRawBufferPointer
  private let mapped: Bool

  /// A copy of `bytes` (tests, and files that could not be mapped).
  init(_ bytes: [UInt8]) {
    let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 1)
    bytes.withUnsafeBytes { memory.copyMemory(from: $0) }
    buffer = UnsafeRawBufferPointer(rebasing: memory[0..<bytes.count])
    mapped = false
  }

  private init(mapping: UnsafeRawPointer, count: Int) {
    buffer = UnsafeRawBufferPointer(start: mapping, count: count)
    mapped = true
  }

  /// The file at `path` (empty when it cannot be read).
  static func load(_ path: String) -> FileBytes {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return FileBytes([]) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return FileBytes([]) }
    let count = Int(info.st_size)
    guard count > 0 else { return FileBytes([]) }
    let start: UnsafeMutableRawPointer? = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
    if let start, start != UnsafeMutableRawPointer(bitPattern: -1) {
      return FileBytes(mapping: UnsafeRawPointer(start), count: count)
    }
    return FileBytes(((try? Data(contentsOf: URL(fileURLWithPath: path))).map { [UInt8]($0) }) ?? [])
  }

  var count: Int { buffer.count }

  /// Writes a cache file kept by appending: `appendix` is added to the end in one `write` (when
  /// the file still has `expectedLength` bytes, if given); without an appendix, or when appending
  /// fails, the file is replaced by `whole()` (written beside it and renamed over it, so a mapped
  /// copy stays intact). A write cut short leaves a record the next build cannot read, and that
  /// build writes the file whole.
  static func save(appending appendix: [UInt8]?, to url: URL, expectedLength: Int? = nil, whole: () -> [UInt8]) {
    if let appendix, append(appendix, to: url.path, expectedLength: expectedLength) { return }
    try? Data(whole()).write(to: url, options: .atomic)
  }

  private static func append(_ bytes: [UInt8], to path: String, expectedLength: Int?) -> Bool {
    let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    if let expectedLength {
      var status = stat()
      guard fstat(fd, &status) == 0, Int(status.st_size) == expectedLength else { return false }
    }
    if bytes.isEmpty { return true }
    return bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == bytes.count
  }

  deinit {
    if mapped {
      munmap(UnsafeMutableRawPointer(mutating: buffer.baseAddress), buffer.count)
    } else {
      UnsafeMutableRawPointer(mutating: buffer.baseAddress)?.deallocate()
    }
  }

  /// Reads LEB128 numbers and length-prefixed UTF-8 strings (the encoding of the cache files)
  /// from a position on; nil past the end or for a malformed number.
  struct Reader {
    /// Held so that the bytes live as long as the reader.
    private let file: FileBytes
    private let bytes: UnsafeRawBufferPointer
    var position: Int

    init(_ file: FileBytes, position: Int) {
      self.file = file
      bytes = file.buffer
      self.position = position
    }

    @inline(__always) mutating func number() -> Int? {
      // Most numbers (lengths, lines, columns) take one byte.
      if position < bytes.count, bytes[position] < 0x80 {
        position += 1
        return Int(bytes[position - 1])
      }
      var value = 0
      var shift = 0
      while position < bytes.count, shift < 63 {
        let byte = bytes[position]
        position += 1
        value |= Int(byte & 0x7F) << shift
        if byte < 0x80 { return value }
        shift += 7
      }
      return nil
    }

    mutating func string() -> String? {
      guard let length = number(), length <= bytes.count - position else { return nil }
      defer { position += length }
      guard length > 0, let base = bytes.baseAddress else { return "" }
      return String(decoding: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self) + position, count: length), as: UTF8.self)
    }

    /// A count (at most `limit`), then that many numbers; nil when they are not there.
    mutating func numbers(atMost limit: Int) -> [Int]? {
      guard let count = number(), count <= limit else { return nil }
      var out: [Int] = []
      out.reserveCapacity(count)
      for _ in 0..<count {
        guard let n = number() else { return nil }
        out.append(n)
      }
      return out
    }

    /// Bytes left after the position.
    var remaining: Int { bytes.count - position }

    /// Steps over a string without making it; false when it runs past the end.
    mutating func skipString() -> Bool {
      guard let length = number(), length <= bytes.count - position else { return false }
      position += length
      return true
    }
  }
}
