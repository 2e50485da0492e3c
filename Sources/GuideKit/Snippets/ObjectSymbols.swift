import Foundation

/// The symbols an object file defines (strongly) and the ones it refers to, read from its ELF symbol
/// table. The runner uses them to learn which shared files a snippet really depends on: a snippet
/// compiled against the declarations of `CVKit` (no function bodies, so nothing is inlined across
/// the module boundary) reaches shared code only through symbols.
struct ObjectSymbols: Sendable, Hashable {
  var defined: Set<String>
  var referenced: Set<String>

  /// Reads an ELF64 little-endian relocatable object; nil for anything else (another platform's
  /// object format, a truncated file), in which case callers assume every shared file is used.
  static func read(_ url: URL) -> ObjectSymbols? {
    guard let data = try? Data(contentsOf: url, options: .mappedIfSafe) else { return nil }
    return parse([UInt8](data))
  }

  static func parse(_ bytes: [UInt8]) -> ObjectSymbols? {
    func u16(_ at: Int) -> Int? {
      guard at >= 0, at + 2 <= bytes.count else { return nil }
      return Int(bytes[at]) | Int(bytes[at + 1]) << 8
    }
    func u32(_ at: Int) -> Int? {
      guard let low = u16(at), let high = u16(at + 2) else { return nil }
      return low | high << 16
    }
    func u64(_ at: Int) -> Int? {
      guard let low = u32(at), let high = u32(at + 4), high < 1 << 30 else { return nil }
      return low | high << 32
    }
    // ELF magic, 64-bit class, little-endian data.
    guard bytes.count >= 64, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46,
      bytes[4] == 2, bytes[5] == 1,
      let sectionOffset = u64(0x28), let entrySize = u16(0x3A), let count = u16(0x3C), entrySize >= 64
    else { return nil }
    struct Section {
      var type: Int
      var offset: Int
      var size: Int
      var link: Int
      var entrySize: Int
    }
    var sections: [Section] = []
    for index in 0..<count {
      let at = sectionOffset + index * entrySize
      guard let type = u32(at + 4), let offset = u64(at + 0x18), let size = u64(at + 0x20), let link = u32(at + 0x28),
        let entry = u64(at + 0x38)
      else { return nil }
      sections.append(Section(type: type, offset: offset, size: size, link: link, entrySize: entry))
    }
    var symbols = ObjectSymbols(defined: [], referenced: [])
    let symbolTable = 2
    for table in sections where table.type == symbolTable {
      guard table.entrySize >= 24, table.link < sections.count else { return nil }
      let strings = sections[table.link]
      guard strings.offset + strings.size <= bytes.count, table.offset + table.size <= bytes.count else { return nil }
      // Entry 0 is the null symbol.
      for index in 1..<max(1, table.size / table.entrySize) {
        let at = table.offset + index * table.entrySize
        guard let nameOffset = u32(at), let sectionIndex = u16(at + 6) else { return nil }
        let binding = Int(bytes[at + 4]) >> 4
        // Global (1) and weak (2) symbols; locals cannot be referred to from another object.
        guard binding == 1 || binding == 2 else { continue }
        // A weak definition is one of many copies (a specialisation emitted wherever it is
        // used); only a strong definition says which file a symbol belongs to.
        if sectionIndex != 0 && binding == 2 { continue }
        var end = strings.offset + nameOffset
        let start = end
        while end < strings.offset + strings.size, bytes[end] != 0 { end += 1 }
        guard end > start else { continue }
        let name = String(decoding: bytes[start..<end], as: UTF8.self)
        if sectionIndex == 0 { symbols.referenced.insert(name) } else { symbols.defined.insert(name) }
      }
    }
    return symbols
  }
}

/// Which shared files an object depends on: the files defining the symbols it refers to, and,
/// transitively, the files those refer to.
struct SharedSymbolGraph: Sendable {
  /// Symbol → the shared files (object files named after their source) that define it.
  var definers: [String: Set<String>] = [:]
  /// Shared file → the shared files it refers to directly.
  var edges: [String: Set<String>] = [:]
  /// False when an object could not be read: every snippet then counts as using every file.
  var complete = true
  var files: [String] = []

  /// `objects`: shared file name (`Box.swift`) → its object file.
  init(objects: [String: URL]) {
    files = objects.keys.sorted()
    var symbols: [String: ObjectSymbols] = [:]
    for (file, url) in objects {
      guard let read = ObjectSymbols.read(url) else {
        complete = false
        return
      }
      symbols[file] = read
      for name in read.defined { definers[name, default: []].insert(file) }
    }
    for (file, read) in symbols {
      var targets: Set<String> = []
      for name in read.referenced { targets.formUnion(definers[name] ?? []) }
      targets.remove(file)
      edges[file] = targets
    }
  }

  /// The shared files reached from an object's references, sorted; every file when unknown.
  func filesUsed(by object: ObjectSymbols?) -> [String] {
    guard complete, let object else { return files }
    var seen: Set<String> = []
    var queue: [String] = []
    for name in object.referenced { queue += definers[name] ?? [] }
    while let file = queue.popLast() {
      guard seen.insert(file).inserted else { continue }
      queue += edges[file] ?? []
    }
    return seen.sorted()
  }
}
