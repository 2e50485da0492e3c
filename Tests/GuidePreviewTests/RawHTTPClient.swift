import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A blocking TCP client on 127.0.0.1 for the server tests: sends exactly the bytes given (a
/// browser or URLSession would refuse to send a 128 KiB request line) and reads what comes back.
final class RawHTTPClient: @unchecked Sendable {
  let fd: Int32
  /// Bytes received after the last response `readResponse` returned.
  private var pending: [UInt8] = []

  /// How reading ended.
  enum Ending: Equatable { case closed, reset, timedOut }

  /// Connects to `host`:`port` (a loopback address); every later read or write waits at most `timeout` seconds.
  init(port: UInt16, host: String = "127.0.0.1", timeout: Double = 5) throws {
    #if canImport(Glibc)
      fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
      fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    setTimeout(timeout)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr(host)
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard result == 0 else {
      let code = errno
      close(fd)
      throw POSIXError(POSIXErrorCode(rawValue: code) ?? .ECONNREFUSED)
    }
  }

  deinit { close(fd) }

  func setTimeout(_ seconds: Double) {
    var time = timeval()
    time.tv_sec = .init(seconds.rounded(.down))
    time.tv_usec = .init((seconds - seconds.rounded(.down)) * 1e6)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
  }

  /// Sends all the bytes; false when the server closed the connection (or a write timed out) first.
  @discardableResult func send(_ bytes: [UInt8]) -> Bool {
    var sent = 0
    while sent < bytes.count {
      #if canImport(Glibc)
        let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
      #else
        let count = bytes.withUnsafeBytes { Darwin.send(fd, $0.baseAddress! + sent, bytes.count - sent, 0) }
      #endif
      if count <= 0 { return false }
      sent += count
    }
    return true
  }

  @discardableResult func send(_ text: String) -> Bool { send(Array(text.utf8)) }

  /// Reads until the server closes the connection, resets it, or nothing comes for the timeout.
  func readToEnd() -> (bytes: [UInt8], ending: Ending) {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = recv(fd, &buffer, buffer.count, 0)
      if count > 0 {
        bytes += buffer[0..<count]
      } else if count == 0 {
        return (bytes, .closed)
      } else {
        return (bytes, errno == EAGAIN || errno == EWOULDBLOCK ? .timedOut : .reset)
      }
    }
  }

  /// Reads one response whose body has a `Content-Length` (or none, for `HEAD`), leaving the connection open.
  func readResponse(head: Bool = false) -> Response? {
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      if let response = Response(pending, head: head) {
        pending.removeFirst(response.length)
        return response
      }
      let count = recv(fd, &buffer, buffer.count, 0)
      if count <= 0 { return nil }
      pending += buffer[0..<count]
    }
  }

  struct Response {
    var status: Int
    var headers: String
    var body: String
    /// Bytes of the response (head and body).
    var length: Int

    /// Parses a complete response, nil if `bytes` holds less than one.
    init?(_ bytes: [UInt8], head: Bool = false) {
      guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: [13, 10, 13, 10]) }) else { return nil }
      headers = String(decoding: bytes[..<end], as: UTF8.self)
      status = Int(headers.split(separator: " ").dropFirst().first ?? "") ?? 0
      let length =
        headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
        .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
      let start = end + 4
      if head {
        body = ""
        self.length = start
        return
      }
      guard bytes.count - start >= length else { return nil }
      body = String(decoding: bytes[start..<start + length], as: UTF8.self)
      self.length = start + length
    }
  }

  /// One `GET` on a connection of its own (`Connection: close`): status, body, and seconds taken.
  static func get(port: UInt16, _ path: String, timeout: Double = 5) throws -> (status: Int, body: String, seconds: Double) {
    let start = Date()
    let client = try RawHTTPClient(port: port, timeout: timeout)
    client.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    let response = Response(client.readToEnd().bytes)
    return (response?.status ?? 0, response?.body ?? "", Date().timeIntervalSince(start))
  }
}

/// Runs blocking work on a thread of its own, so that blocking socket calls in tests never hold
/// one of the few threads of Swift's concurrency pool.
func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
  await withCheckedContinuation { continuation in
    Thread { continuation.resume(returning: work()) }.start()
  }
}
