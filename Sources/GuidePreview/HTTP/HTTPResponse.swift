import Foundation

/// A complete response: status, header fields and body (the body is left out for `HEAD`).
struct HTTPResponse: Sendable {
  var status: HTTPStatus
  var headers: [(name: String, value: String)]
  var body: Data

  init(_ status: HTTPStatus, headers: [(name: String, value: String)] = [], body: Data = Data()) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  /// A short plain-text response, such as `414 URI Too Long`.
  static func text(_ status: HTTPStatus, _ text: String? = nil) -> HTTPResponse {
    HTTPResponse(status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Data((text ?? "\(status)\n").utf8))
  }

  /// The bytes to send: status line, the header fields with `Content-Length` and `Connection`
  /// added, an empty line, and the body unless `includeBody` is false.
  func serialized(keepAlive: Bool, includeBody: Bool) -> [UInt8] {
    var head = "HTTP/1.1 \(status.code) \(status.reason)\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    head += "Content-Length: \(body.count)\r\n"
    head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
    var bytes = Array(head.utf8)
    if includeBody {
      bytes.reserveCapacity(bytes.count + body.count)
      bytes.append(contentsOf: body)
    }
    return bytes
  }
}
