#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The request line and header fields of one HTTP/1.x request.
struct HTTPRequestHead: Equatable, Sendable {
  var method: String
  /// The request target as sent (`/path?query`), not decoded.
  var target: String
  /// `HTTP/1.0` or `HTTP/1.1`.
  var version: String
  var headers: [Field]

  struct Field: Equatable, Sendable {
    var name: String
    var value: String
  }

  /// The value of the first field with this name (names compare without regard to case).
  func header(_ name: String) -> String? {
    headers.first { $0.name.lowercased() == name.lowercased() }?.value
  }

  /// The target's path: everything before `?` or `#`.
  var path: Substring {
    target.prefix { $0 != "?" && $0 != "#" }
  }

  /// Whether the connection stays open after the response (HTTP/1.1 unless `Connection: close`,
  /// HTTP/1.0 only with `Connection: keep-alive`).
  var keepAlive: Bool {
    let tokens = (header("Connection") ?? "").lowercased().split(separator: ",").map { trimmingWhiteSpace($0) }
    if version == "HTTP/1.1" { return !tokens.contains("close") }
    return tokens.contains("keep-alive")
  }
}

/// Reads a request's head from the bytes received so far, incrementally and in linear time: each
/// call scans only the bytes added since the previous call, once, for line feeds. The request line
/// and the header block have caps, checked before their end has arrived, so a client cannot make
/// the server buffer or re-scan an unbounded line.
struct RequestHeadParser: Sendable {
  struct Limits: Sendable, Equatable {
    /// The longest request line (method, target and version, without the line end): 414 beyond it.
    var requestLine = 8 * 1024
    /// The most bytes of header fields (line ends included, the request line not): 431 beyond it.
    var headerBytes = 32 * 1024
    /// The most header field lines: 431 beyond it.
    var headerLines = 100
  }

  enum Result: Equatable, Sendable {
    /// The head has not ended yet and is within the limits: read more.
    case incomplete
    /// The head, and how many bytes of the buffer it took (any bytes after them belong to the next request).
    case head(HTTPRequestHead, length: Int)
    /// The request is refused with this status; the connection is to be closed after it.
    case failure(HTTPStatus)
  }

  let limits: Limits
  /// Bytes of the buffer already scanned for line feeds.
  private var scanned = 0
  /// Where the line being read starts.
  private var lineStart = 0
  /// Empty lines skipped before the request line (RFC 9112 §2.2 allows a stray CRLF there).
  private var leadingEmptyLines = 0
  private var requestLine: Range<Int>?
  /// Where the header block starts: just after the request line's line feed.
  private var headerStart = 0
  private var fieldLines: [Range<Int>] = []

  init(limits: Limits = Limits()) {
    self.limits = limits
  }

  /// Continues parsing `bytes`, which must start with the bytes given to the previous calls.
  mutating func parse(_ bytes: [UInt8]) -> Result {
    let count = bytes.count
    return bytes.withUnsafeBufferPointer { buffer -> Result in
      guard let base = buffer.baseAddress else { return .incomplete }
      while scanned < count {
        guard let hit = memchr(base + scanned, 0x0A, count - scanned) else {
          scanned = count
          break
        }
        let lineFeed = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        var end = lineFeed
        if end > lineStart && buffer[end - 1] == 0x0D { end -= 1 }
        let line = lineStart..<end
        scanned = lineFeed + 1
        lineStart = lineFeed + 1
        if requestLine == nil {
          if line.isEmpty {
            leadingEmptyLines += 1
            if leadingEmptyLines > 2 { return .failure(.badRequest) }
            continue
          }
          if line.count > limits.requestLine { return .failure(.uriTooLong) }
          requestLine = line
          headerStart = lineFeed + 1
        } else if line.isEmpty {
          return finish(buffer, length: lineFeed + 1)
        } else {
          fieldLines.append(line)
          if fieldLines.count > limits.headerLines || lineFeed + 1 - headerStart > limits.headerBytes {
            return .failure(.headerFieldsTooLarge)
          }
        }
      }
      // The line being read has not ended: refuse it as soon as it is over its cap.
      if requestLine == nil {
        if count - lineStart > limits.requestLine + 1 { return .failure(.uriTooLong) }
      } else if count - headerStart > limits.headerBytes {
        return .failure(.headerFieldsTooLarge)
      }
      return .incomplete
    }
  }

  private func finish(_ buffer: UnsafeBufferPointer<UInt8>, length: Int) -> Result {
    guard let requestLine else { return .failure(.badRequest) }
    let parts = buffer[requestLine].split(separator: 0x20, omittingEmptySubsequences: false)
    guard parts.count == 3,
      let method = Self.token(parts[0]),
      !parts[1].isEmpty, parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F })
    else { return .failure(.badRequest) }
    let target = String(decoding: parts[1], as: UTF8.self)
    let version = String(decoding: parts[2], as: UTF8.self)
    guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
      let isHTTP = version.hasPrefix("HTTP/") && version.count == 8
      return .failure(isHTTP ? .versionNotSupported : .badRequest)
    }
    var headers: [HTTPRequestHead.Field] = []
    headers.reserveCapacity(fieldLines.count)
    for range in fieldLines {
      let line = buffer[range]
      // A line starting with white space continues the previous field (obsolete line folding),
      // which RFC 9112 §5.2 lets a server refuse; so is a field without a colon or a name.
      guard let colon = line.firstIndex(of: 0x3A), let name = Self.token(line[line.startIndex..<colon]) else {
        return .failure(.badRequest)
      }
      let value = trimmingWhiteSpace(String(decoding: line[(colon + 1)...], as: UTF8.self))
      headers.append(.init(name: name, value: value))
    }
    return .head(HTTPRequestHead(method: method, target: target, version: version, headers: headers), length: length)
  }

  /// A method or field name: visible ASCII other than separators, not empty.
  private static func token(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String? {
    let separators: [UInt8] = Array("()<>@,;:\\\"/[]?={}".utf8)
    guard !bytes.isEmpty, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !separators.contains($0) }) else { return nil }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// The text without spaces and tabs at either end (HTTP's optional white space).
private func trimmingWhiteSpace(_ text: some StringProtocol) -> String {
  let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
  guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else {
    return ""
  }
  return String(text[first...last])
}
