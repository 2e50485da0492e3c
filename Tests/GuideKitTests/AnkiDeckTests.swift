import Testing

@testable import GuideKit

@Suite struct AnkiDeckTests {
  /// Anki's text import reads CSV-style quoted fields: a minimal reader of that format.
  static func parse(_ text: String) -> (header: [String: String], rows: [[String]]) {
    var header: [String: String] = [:]
    var rows: [[String]] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
      if line.hasPrefix("#") {
        let parts = line.dropFirst().split(separator: ":", maxSplits: 1)
        header[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        continue
      }
      var fields: [String] = []
      var field = ""
      var quoted = false
      var chars = Array(line)
      var i = 0
      while i < chars.count {
        let c = chars[i]
        if quoted {
          if c == "\"" {
            if i + 1 < chars.count && chars[i + 1] == "\"" {
              field.append("\"")
              i += 1
            } else {
              quoted = false
            }
          } else {
            field.append(c)
          }
        } else if c == "\"" {
          quoted = true
        } else if c == "\t" {
          fields.append(field)
          field = ""
        } else {
          field.append(c)
        }
        i += 1
      }
      fields.append(field)
      rows.append(fields)
      chars.removeAll()
    }
    return (header, rows)
  }

  @Test func writesAnkisHeaderAndOneQuotedLinePerNote() {
    let notes = [
      AnkiDeck.Note(
        guid: "cv-guide/junior/iou", front: "What is \"IoU\"?", back: "<p>Overlap\tover\nunion</p>",
        tags: ["cv-guide", "level::junior", "image processing"]),
      AnkiDeck.Note(guid: "cv-guide/mid/nms", front: "NMS?", back: "<ul>\n<li>greedy</li>\n</ul>", tags: ["detection"]),
    ]
    let text = AnkiDeck.text(deck: "Guide::Junior", notes: notes)
    let (header, rows) = Self.parse(text)
    #expect(header["separator"] == "tab")
    #expect(header["html"] == "true")
    #expect(header["deck"] == "Guide::Junior")
    #expect(header["tags column"] == "3")
    #expect(header["guid column"] == "4")
    #expect(rows.count == 2, "one line per note, whatever the fields hold")
    #expect(rows[0] == ["What is \"IoU\"?", "<p>Overlap over union</p>", "cv-guide level::junior imageprocessing", "cv-guide/junior/iou"])
    #expect(rows[1][1] == "<ul> <li>greedy</li> </ul>")
  }

  @Test func unlinkedKeepsTheTextOfLinks() {
    let html = "<p>See <a href=\"../mid/nms.html#x\">NMS</a> and <a href=\"a.html\">IoU</a>.</p>"
    #expect(AnkiDeck.unlinked(html) == "<p>See NMS and IoU.</p>")
  }

  @Test(arguments: [
    ("<abbr title=\"x\">IoU</abbr> <a>kept</a>", "<abbr title=\"x\">IoU</abbr> <a>kept"),
    ("ends in a link: <a href=\"x.html\">x</a>", "ends in a link: x"),
    ("an unclosed <a href=\"x.html", "an unclosed href=\"x.html"),
    ("<a href=\"é.html\">Größe ≥ 2</a>, <code>&lt;a b&gt;</code>", "Größe ≥ 2, <code>&lt;a b&gt;</code>"),
    ("<", "<"), ("</a", "</a"), ("<a ", ""), ("", ""),
  ])
  func unlinkedDropsOnlyLinkTags(html: String, text: String) {
    #expect(AnkiDeck.unlinked(html) == text)
  }
}
