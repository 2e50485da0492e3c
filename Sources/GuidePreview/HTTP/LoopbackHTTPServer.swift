import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A small HTTP/1.1 server on 127.0.0.1 that does what `guide serve` needs and no more: `GET` and
/// `HEAD` without a body, keep-alive, and a response computed by a synchronous handler.
///
/// One thread of its own runs a `poll(2)` loop over non-blocking sockets, so neither the Swift
/// concurrency pool nor a running build can hold up a request, and a slow client costs a file
/// descriptor, not a thread. Every connection has a deadline: a request's head must arrive whole
/// within `headTimeout` of its first byte (a client trickling bytes is dropped then, not kept for
/// ever), an idle kept-alive connection is closed after `idleTimeout`, a response must be taken
/// within `writeTimeout`. The request line and the header block have caps (414 and 431, checked as
/// the bytes arrive, in linear time: see ``RequestHeadParser``). When `maxConnections` are open, a
/// new connection closes the one that has waited longest for its request, so many slow clients
/// cannot lock out a browser.
final class LoopbackHTTPServer: @unchecked Sendable {
  struct Limits: Sendable, Equatable {
    var head = RequestHeadParser.Limits()
    /// Seconds from a request's first byte to the end of its head.
    var headTimeout: Double = 10
    /// Seconds a connection may stay open with no request under way.
    var idleTimeout: Double = 15
    /// Seconds to send a response.
    var writeTimeout: Double = 30
    /// After a refusal (414, 431, …) the server stops sending, then reads and discards what the
    /// client still sends, for at most this many seconds and `lingerBytes`, so that the client
    /// reads the refusal rather than a connection reset.
    var lingerTimeout: Double = 2
    var lingerBytes = 1 << 20
    var maxConnections = 256
  }

  typealias Handler = @Sendable (HTTPRequestHead) -> HTTPResponse

  let limits: Limits
  private let handler: Handler
  private let log: (@Sendable (String) -> Void)?
  private let listener: Int32
  private let wakeRead: Int32
  private let wakeWrite: Int32
  /// The port bound (the one asked for, or the one the system chose for port 0).
  let port: UInt16

  private struct Shared {
    var started = false
    var stopping = false
    var finished = false
    var waiters: [CheckedContinuation<Void, Never>] = []
  }
  private let shared = Mutex(Shared())

  // Touched only by the loop's thread.
  private var connections: [Connection] = []
  private var nextConnectionID = 0

  /// Binds and listens on 127.0.0.1 (port 0: any free port); `start()` then serves.
  init(port: UInt16, limits: Limits = Limits(), log: (@Sendable (String) -> Void)? = nil, handler: @escaping Handler) throws {
    self.limits = limits
    self.handler = handler
    self.log = log
    let fd = socket(AF_INET, Socket.stream, 0)
    guard fd >= 0 else { throw ServeError.socket("socket", errno) }
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    #if canImport(Darwin)
      address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
    #endif
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian  // 127.0.0.1, never a wider address
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(fd, 128) == 0 else {
      let code = errno
      close(fd)
      throw ServeError.listen(port: port, errno: code)
    }
    var actual = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &actual) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    self.port = UInt16(bigEndian: actual.sin_port)
    var pipeEnds: [Int32] = [0, 0]
    guard pipe(&pipeEnds) == 0 else {
      close(fd)
      throw ServeError.socket("pipe", errno)
    }
    for end in [fd] + pipeEnds { Socket.prepare(end) }
    listener = fd
    wakeRead = pipeEnds[0]
    wakeWrite = pipeEnds[1]
  }

  /// Starts the loop on a thread of its own.
  func start() {
    let stopping = shared.withLock { state -> Bool in
      if !state.stopping { state.started = true }
      return state.stopping
    }
    guard !stopping else { return }
    let thread = Thread { [self] in self.loop() }
    thread.name = "guide-serve-http"
    thread.start()
  }

  /// Asks the loop to close every connection and the listening socket, and to end.
  func stop() {
    enum Action { case wake, finish, nothing }
    let action = shared.withLock { state -> Action in
      if state.stopping { return .nothing }
      state.stopping = true
      return state.started ? .wake : .finish
    }
    switch action {
    case .wake:
      var byte: UInt8 = 1
      _ = write(wakeWrite, &byte, 1)
    case .finish:
      finish()  // never started: no loop is there to close the sockets
    case .nothing:
      break
    }
  }

  /// Returns when the loop has ended (after `stop()`).
  func waitUntilStopped() async {
    await withCheckedContinuation { continuation in
      let done = shared.withLock { state -> Bool in
        if state.finished { return true }
        state.waiters.append(continuation)
        return false
      }
      if done { continuation.resume() }
    }
  }

  // MARK: - The loop

  private final class Connection {
    enum Phase { case reading, writing, lingering }
    /// -1 once closed (the connection leaves the list at the end of the loop's turn).
    var fd: Int32
    let id: Int
    var phase = Phase.reading
    var input: [UInt8] = []
    var parser: RequestHeadParser
    var output: [UInt8] = []
    var written = 0
    var keepAlive = false
    /// Kept alive after a response, with no further request begun.
    var idle = false
    var deadline: UInt64
    /// When the connection began to wait for its current request (the oldest is closed first when full).
    var waitingSince: UInt64
    var lingered = 0

    init(fd: Int32, id: Int, limits: Limits, now: UInt64) {
      self.fd = fd
      self.id = id
      parser = RequestHeadParser(limits: limits.head)
      deadline = now &+ Self.nanoseconds(limits.headTimeout)
      waitingSince = now
    }

    static func nanoseconds(_ seconds: Double) -> UInt64 { UInt64(max(0, seconds) * 1e9) }
  }

  private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

  private func loop() {
    var scratch = [UInt8](repeating: 0, count: 64 * 1024)
    while !shared.withLock({ $0.stopping }) {
      var fds = [pollfd(fd: wakeRead, events: Socket.readable, revents: 0), pollfd(fd: listener, events: Socket.readable, revents: 0)]
      for connection in connections {
        fds.append(pollfd(fd: connection.fd, events: connection.phase == .writing ? Socket.writable : Socket.readable, revents: 0))
      }
      let now = Self.now()
      var timeout: Int32 = 1000
      if let next = connections.map(\.deadline).min() {
        timeout = next <= now ? 0 : Int32(min(1000, (next - now) / 1_000_000 + 1))
      }
      if poll(&fds, nfds_t(fds.count), timeout) < 0 {
        if errno == EINTR { continue }
        log?("guide serve: poll failed (errno \(errno)); the server stops")
        break
      }
      if fds[0].revents != 0 { _ = read(wakeRead, &scratch, scratch.count) }
      // The connections polled are the first fds.count - 2 of the list; accepting appends after them.
      let polled = connections
      for (index, connection) in polled.enumerated() where fds[index + 2].revents != 0 {
        service(connection, events: fds[index + 2].revents, scratch: &scratch)
      }
      if fds[1].revents != 0 { acceptAll() }
      expire(now: Self.now())
      connections.removeAll { $0.fd < 0 }
    }
    finish()
  }

  private func finish() {
    for connection in connections where connection.fd >= 0 { close(connection.fd) }
    connections.removeAll()
    close(listener)
    close(wakeRead)
    close(wakeWrite)
    let waiters = shared.withLock { state -> [CheckedContinuation<Void, Never>] in
      state.finished = true
      defer { state.waiters.removeAll() }
      return state.waiters
    }
    for waiter in waiters { waiter.resume() }
  }

  private func acceptAll() {
    for _ in 0..<64 {
      let fd = accept(listener, nil, nil)
      if fd < 0 {
        // Out of file descriptors: the waiting connection stays in the backlog and the listener
        // stays readable, so free one (the longest waiting) rather than spin.
        if errno == EMFILE || errno == ENFILE,
          let oldest = connections.filter({ $0.fd >= 0 && $0.phase != .writing }).min(by: { $0.waitingSince < $1.waitingSince })
        {
          drop(oldest)
        }
        return  // EAGAIN: nobody else is waiting; other errors: try again at the next poll
      }
      Socket.prepare(fd)
      let open = connections.filter { $0.fd >= 0 }
      if open.count >= limits.maxConnections {
        // Full: close the connection that has waited longest for a request (never one being answered).
        if let oldest = open.filter({ $0.phase != .writing }).min(by: { $0.waitingSince < $1.waitingSince }) {
          log?("guide serve: too many connections; closing #\(oldest.id), the longest waiting")
          drop(oldest)
        } else {
          close(fd)
          continue
        }
      }
      nextConnectionID += 1
      connections.append(Connection(fd: fd, id: nextConnectionID, limits: limits, now: Self.now()))
    }
  }

  private func service(_ connection: Connection, events: Int16, scratch: inout [UInt8]) {
    guard connection.fd >= 0 else { return }
    if events & Socket.failed != 0 && connection.phase == .writing {
      drop(connection)
      return
    }
    switch connection.phase {
    case .writing:
      flush(connection)
      answerRequests(connection)
    case .reading:
      // Read what has arrived, up to a few buffers a turn so one client cannot starve the others.
      for _ in 0..<4 {
        let count = recv(connection.fd, &scratch, scratch.count, 0)
        if count > 0 {
          if connection.idle {
            // The first byte of a further request on a kept-alive connection: its head's clock starts.
            connection.deadline = Self.now() &+ Connection.nanoseconds(limits.headTimeout)
            connection.idle = false
          }
          connection.input.append(contentsOf: scratch[0..<count])
          if count < scratch.count { break }
        } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
          drop(connection)  // the client closed (or broke) the connection
          return
        } else {
          break
        }
      }
      answerRequests(connection)
    case .lingering:
      while true {
        let count = recv(connection.fd, &scratch, scratch.count, 0)
        if count > 0 {
          connection.lingered += count
          if connection.lingered > limits.lingerBytes { break }
        } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
          return
        } else {
          break
        }
      }
      drop(connection)
    }
  }

  /// Answers the requests received, one after another (pipelining), as long as each response is
  /// sent at once; stops at an incomplete request or a response the socket has not taken whole.
  private func answerRequests(_ connection: Connection) {
    while connection.fd >= 0 && connection.phase == .reading && !connection.input.isEmpty {
      guard answerRequest(connection) else { return }
      flush(connection)
    }
  }

  /// Parses the request received and prepares its response; false when its head is incomplete.
  private func answerRequest(_ connection: Connection) -> Bool {
    switch connection.parser.parse(connection.input) {
    case .incomplete:
      return false
    case .failure(let status):
      log?("guide serve: #\(connection.id) refused: \(status)")
      respond(connection, .text(status), keepAlive: false, includeBody: true)
      return true
    case .head(let head, let length):
      connection.input.removeFirst(length)
      connection.parser = RequestHeadParser(limits: limits.head)
      let response: HTTPResponse
      var keepAlive = head.keepAlive
      if head.header("Transfer-Encoding") != nil {
        response = .text(.notImplemented, "501 request bodies are not supported\n")
        keepAlive = false
      } else if let length = head.header("Content-Length"), length != "0" {
        response = .text(UInt64(length) == nil ? .badRequest : .contentTooLarge, "request bodies are not supported\n")
        keepAlive = false
      } else if head.method != "GET" && head.method != "HEAD" {
        var refusal = HTTPResponse.text(.methodNotAllowed)
        refusal.headers.append(("Allow", "GET, HEAD"))
        response = refusal
      } else if !head.target.hasPrefix("/") {
        response = .text(.badRequest, "400 the request target must be a path starting with /\n")
      } else {
        response = handler(head)
      }
      log?("guide serve: \(head.method) \(head.target.prefix(200)) → \(response.status.code)")
      respond(connection, response, keepAlive: keepAlive, includeBody: head.method != "HEAD")
      return true
    }
  }

  private func respond(_ connection: Connection, _ response: HTTPResponse, keepAlive: Bool, includeBody: Bool) {
    connection.output = response.serialized(keepAlive: keepAlive, includeBody: includeBody)
    connection.written = 0
    connection.keepAlive = keepAlive
    connection.phase = .writing
    connection.deadline = Self.now() &+ Connection.nanoseconds(limits.writeTimeout)
  }

  /// Sends what the socket takes; when the response is out, waits for the next request or lingers.
  private func flush(_ connection: Connection) {
    guard connection.fd >= 0 && connection.phase == .writing else { return }
    while connection.written < connection.output.count {
      let count = connection.output.withUnsafeBytes { bytes in
        send(connection.fd, bytes.baseAddress! + connection.written, bytes.count - connection.written, Socket.noSignal)
      }
      if count > 0 {
        connection.written += count
      } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        return  // the socket is full: poll says when it takes more
      } else {
        drop(connection)
        return
      }
    }
    connection.output = []
    let now = Self.now()
    if connection.keepAlive {
      connection.phase = .reading
      connection.waitingSince = now
      connection.idle = connection.input.isEmpty
      // Idle: the connection may wait for a next request; else a pipelined request has begun already.
      connection.deadline = now &+ Connection.nanoseconds(connection.idle ? limits.idleTimeout : limits.headTimeout)
    } else {
      shutdown(connection.fd, Socket.shutdownWrite)
      connection.input = []
      connection.phase = .lingering
      connection.waitingSince = now
      connection.deadline = now &+ Connection.nanoseconds(limits.lingerTimeout)
    }
  }

  private func expire(now: UInt64) {
    for connection in connections where connection.fd >= 0 && connection.deadline <= now {
      if connection.phase == .reading && !connection.idle && !connection.input.isEmpty {
        // Part of a request came, the rest did not in time (a slow or stalled client).
        log?("guide serve: #\(connection.id) dropped: its request did not arrive within \(limits.headTimeout) s")
        let refusal = HTTPResponse.text(.requestTimeout).serialized(keepAlive: false, includeBody: true)
        _ = refusal.withUnsafeBytes { send(connection.fd, $0.baseAddress!, $0.count, Socket.noSignal) }
      }
      drop(connection)
    }
  }

  private func drop(_ connection: Connection) {
    guard connection.fd >= 0 else { return }
    close(connection.fd)
    connection.fd = -1
    connection.input = []
    connection.output = []
  }
}

/// Why the preview server could not start.
enum ServeError: Error, CustomStringConvertible {
  case socket(String, Int32)
  case listen(port: UInt16, errno: Int32)

  var description: String {
    switch self {
    case .socket(let call, let code):
      return "guide serve: \(call) failed: \(String(cString: strerror(code)))"
    case .listen(let port, let code):
      let hint = code == EADDRINUSE ? " (is another server using it? choose another with --port)" : ""
      return "guide serve: cannot listen on 127.0.0.1:\(port): \(String(cString: strerror(code)))\(hint)"
    }
  }
}

/// The socket constants and calls that differ between Linux and Darwin.
private enum Socket {
  #if canImport(Glibc)
    static let stream = Int32(SOCK_STREAM.rawValue)
    static let noSignal = Int32(MSG_NOSIGNAL)
    static let shutdownWrite = Int32(SHUT_WR)
  #else
    static let stream = SOCK_STREAM
    static let noSignal: Int32 = 0
    static let shutdownWrite = SHUT_WR
  #endif
  static let readable = Int16(POLLIN)
  static let writable = Int16(POLLOUT)
  static let failed = Int16(POLLERR | POLLHUP | POLLNVAL)

  /// Non-blocking, closed on `exec` (snippets are run as child processes), and on Darwin no
  /// SIGPIPE on a write to a closed connection (Linux passes MSG_NOSIGNAL to each `send`).
  static func prepare(_ fd: Int32) {
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    #if canImport(Darwin)
      var yes: Int32 = 1
      setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &yes, socklen_t(MemoryLayout<Int32>.size))
    #endif
  }
}
