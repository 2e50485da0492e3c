import Testing

@testable import GuidePreview

@Suite struct RequestHeadParserTests {
  /// Feeds `text` in pieces of `chunk` bytes, as a socket might deliver it, and returns the first
  /// result that is not `.incomplete` with the number of bytes fed by then.
  static func feed(_ text: [UInt8], chunk: Int, limits: RequestHeadParser.Limits = .init()) -> (RequestHeadParser.Result, fed: Int) {
    var parser = RequestHeadParser(limits: limits)
    var buffer: [UInt8] = []
    var index = 0
    while index < text.count {
      buffer += text[index..<min(text.count, index + chunk)]
      index = min(text.count, index + chunk)
      let result = parser.parse(buffer)
      if result != .incomplete { return (result, index) }
    }
    return (.incomplete, index)
  }

  @Test(arguments: [1, 7, 4096])
  func parsesRequestLineAndFieldsDeliveredInPieces(chunk: Int) throws {
    let request = "GET /levels/junior.html?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection:  close \r\n\r\nGET /next"
    let (result, _) = Self.feed(Array(request.utf8), chunk: chunk)
    guard case .head(let head, let length) = result else {
      Issue.record("expected a head, got \(result)")
      return
    }
    #expect(head.method == "GET")
    #expect(head.target == "/levels/junior.html?x=1")
    #expect(head.path == "/levels/junior.html")
    #expect(head.version == "HTTP/1.1")
    #expect(head.header("host") == "127.0.0.1")
    #expect(head.header("CONNECTION") == "close", "names ignore case, values lose their surrounding spaces")
    #expect(!head.keepAlive)
    #expect(length == request.utf8.count - "GET /next".utf8.count, "the bytes of the next request are not taken")
  }

  @Test func acceptsBareLineFeedsAndOneLeadingEmptyLine() {
    let (result, _) = Self.feed(Array("\r\nHEAD / HTTP/1.0\nConnection: keep-alive\n\n".utf8), chunk: 100)
    guard case .head(let head, _) = result else {
      Issue.record("expected a head, got \(result)")
      return
    }
    #expect(head.method == "HEAD" && head.version == "HTTP/1.0" && head.keepAlive)
  }

  @Test func refusesARequestLineOverTheCapBeforeItEnds() {
    // 128 KiB of target and no line end yet: refused once the cap is passed, not at the end.
    let line = Array(("GET /" + String(repeating: "a", count: 128 * 1024)).utf8)
    let (result, fed) = Self.feed(line, chunk: 1024)
    #expect(result == .failure(.uriTooLong))
    #expect(fed <= 8 * 1024 + 1024 + 2, "refused after \(fed) bytes")
    let ended = Array("GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\n".utf8)
    #expect(Self.feed(ended, chunk: ended.count).0 == .failure(.uriTooLong))
    let atCap = Array("GET /\(String(repeating: "a", count: 8 * 1024 - 14)) HTTP/1.1\r\n\r\n".utf8)
    #expect(Self.feed(atCap, chunk: 1000).0 != .failure(.uriTooLong), "a line of exactly 8 KiB is accepted")
  }

  /// 101 short fields; one field of 40 KiB, still unfinished; 33 KiB over 40 fields.
  static let oversizeFields = [
    String(repeating: "X-A: 1\r\n", count: 101),
    "X-Big: " + String(repeating: "b", count: 40 * 1024),
    String(repeating: "X-Field: " + String(repeating: "c", count: 840) + "\r\n", count: 40),
  ]

  @Test(arguments: 0..<3)
  func refusesHeaderFieldsOverTheCaps(_ index: Int) {
    let fields = Self.oversizeFields[index]
    let request = Array(("GET / HTTP/1.1\r\n" + fields).utf8)
    let (result, fed) = Self.feed(request, chunk: 512)
    #expect(result == .failure(.headerFieldsTooLarge))
    #expect(fed <= 16 + 32 * 1024 + 1024, "refused after \(fed) bytes")
  }

  @Test(arguments: [
    ("GET /\r\n\r\n", HTTPStatus.badRequest),
    ("GET  / HTTP/1.1\r\n\r\n", .badRequest),
    ("GET / HTTP/2.0\r\n\r\n", .versionNotSupported),
    ("GET / FTP/1.0\r\n\r\n", .badRequest),
    ("GET / HTTP/1.1\r\nNo colon here\r\n\r\n", .badRequest),
    ("GET / HTTP/1.1\r\nA: 1\r\n  folded\r\n\r\n", .badRequest),
    ("G(T / HTTP/1.1\r\n\r\n", .badRequest),
    ("\r\n\r\n\r\nGET / HTTP/1.1\r\n\r\n", .badRequest),
  ])
  func refusesMalformedHeads(_ request: String, _ status: HTTPStatus) {
    #expect(Self.feed(Array(request.utf8), chunk: 3).0 == .failure(status), "\(request.debugDescription)")
  }

  @Test func readsInLinearTime() {
    // A 32 KiB header field arriving a byte at a time: re-scanning the buffer at every byte, as a
    // reader without state does, visits 500 million bytes; this parser visits each byte once.
    var parser = RequestHeadParser()
    var buffer = Array("GET / HTTP/1.1\r\nX-Long: ".utf8)
    buffer.reserveCapacity(40 * 1024)
    let start = ContinuousClock.now
    var result = RequestHeadParser.Result.incomplete
    while result == .incomplete && buffer.count < 40 * 1024 {
      buffer.append(0x61)
      result = parser.parse(buffer)
    }
    #expect(result == .failure(.headerFieldsTooLarge))
    #expect(ContinuousClock.now - start < .seconds(2))
  }
}
