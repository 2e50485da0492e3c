/// Flashcard decks for Anki, written by the build next to the site (`anki/<level>.txt`, `anki/all.txt`).
///
/// The format is Anki's plain-text import with a header (Anki 2.1.55 and later read it as it is:
/// File › Import): tab-separated fields, HTML allowed, one note per line. Every field is quoted as
/// in CSV (a `"` doubled), so tabs and line breaks inside a field cannot split it; the question id is
/// the note's GUID, so importing a newer deck updates the cards instead of duplicating them.
///
///     #separator:tab
///     #html:true
///     #notetype:Basic
///     #deck:Computer Vision Interview Study Guide::Junior
///     #columns:Front	Back	Tags	GUID
///     #tags column:3
///     #guid column:4
///     "What is IoU?"	"<p>…</p>"	"cv-guide level::junior detection"	"cv-guide/junior/iou"
public enum AnkiDeck {
  /// One card: the question on the front; the 60-second answer and key points on the back.
  public struct Note: Sendable, Equatable {
    public var guid: String
    public var front: String
    public var back: String
    public var tags: [String]

    public init(guid: String, front: String, back: String, tags: [String]) {
      self.guid = guid
      self.front = front
      self.back = back
      self.tags = tags
    }
  }

  /// The whole file for `deck` (Anki's `::` separates a parent deck from a sub-deck).
  public static func text(deck: String, notes: [Note]) -> String {
    header(deck: deck) + notes.map(line).joined()
  }

  /// The header lines of the file for `deck`.
  static func header(deck: String) -> String {
    "#separator:tab\n#html:true\n#notetype:Basic\n#deck:\(oneLine(deck))\n"
      + "#columns:Front\tBack\tTags\tGUID\n#tags column:3\n#guid column:4\n"
  }

  /// One note's line, with its line break: the same in every deck that holds the note, so the
  /// build can copy it from the previous output when its question is unchanged.
  static func line(_ note: Note) -> String {
    let tags = note.tags.map(tag).filter { !$0.isEmpty }.joined(separator: " ")
    return [note.front, note.back, tags, note.guid].map(field).joined(separator: "\t") + "\n"
  }

  /// A field: on one line (HTML does not need the line breaks), quoted, `"` doubled.
  static func field(_ text: String) -> String {
    var out: [UInt8] = [0x22]
    out.reserveCapacity(text.utf8.count + 8)
    oneLine(text, into: &out) { byte, out in
      out.append(byte)
      if byte == 0x22 { out.append(0x22) }
    }
    out.append(0x22)
    return String(decoding: out, as: UTF8.self)
  }

  static func oneLine(_ text: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    oneLine(text, into: &out) { byte, out in out.append(byte) }
    return String(decoding: out, as: UTF8.self)
  }

  /// Line breaks and tabs (a run of them) become one space, other control characters go; byte by
  /// byte, as they are all ASCII (the bytes of other characters pass through `add` intact).
  private static func oneLine(_ text: String, into out: inout [UInt8], add: (UInt8, inout [UInt8]) -> Void) {
    var lastWasSpace = false
    for byte in text.utf8 {
      let space = byte == 0x0A || byte == 0x0D || byte == 0x09
      if space {
        if !lastWasSpace { out.append(0x20) }
      } else if byte >= 0x20 {
        add(byte, &out)
      }
      lastWasSpace = space
    }
  }

  /// An Anki tag: no spaces (they separate tags), `::` kept for hierarchy.
  static func tag(_ text: String) -> String {
    String(text.unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "\"" }.map(Character.init))
  }

  /// The HTML with links turned into their text: a link on a card would point into the site, which
  /// Anki does not have.
  public static func unlinked(_ html: String) -> String {
    // Byte by byte: `<a ` and `>` are ASCII, so they never match inside a multi-byte character.
    let bytes = Array(html.utf8)
    let n = bytes.count
    var kept: [UInt8] = []
    kept.reserveCapacity(n)
    var i = 0
    while i < n {
      guard bytes[i] == UInt8(ascii: "<"), i + 2 < n else {
        kept.append(bytes[i])
        i += 1
        continue
      }
      if bytes[i + 1] == UInt8(ascii: "a"), bytes[i + 2] == UInt8(ascii: " ") {
        // An opening tag: dropped up to its `>` (or only `<a ` when it has none).
        var end = i + 3
        while end < n, bytes[end] != UInt8(ascii: ">") { end += 1 }
        i = end < n ? end + 1 : i + 3
      } else if i + 3 < n, bytes[i + 1] == UInt8(ascii: "/"), bytes[i + 2] == UInt8(ascii: "a"),
        bytes[i + 3] == UInt8(ascii: ">")
      {
        i += 4
      } else {
        kept.append(bytes[i])
        i += 1
      }
    }
    return String(decoding: kept, as: UTF8.self)
  }

}
