import Foundation
import Testing

@testable import GuidePreview

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The HTTP front of `guide serve` on real sockets (127.0.0.1, a port the system picks), with a
/// handler that answers every path with a short text and timeouts shortened for the tests.
@Suite struct LoopbackHTTPServerTests {
  static let shortLimits: LoopbackHTTPServer.Limits = {
    var limits = LoopbackHTTPServer.Limits()
    limits.headTimeout = 0.5
    limits.idleTimeout = 1
    limits.lingerTimeout = 0.5
    return limits
  }()

  /// Runs `body` against a started server and stops the server afterwards.
  static func withServer(
    limits: LoopbackHTTPServer.Limits = shortLimits, _ body: (UInt16) async throws -> Void
  ) async throws {
    let server = try LoopbackHTTPServer(port: 0, limits: limits) { request in
      .text(.ok, "hello \(request.path)\n")
    }
    server.start()
    defer { server.stop() }
    try await body(server.port)
  }

  static let longLine = "GET /" + String(repeating: "a", count: 128 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

  @Test(.timeLimit(.minutes(1)))
  func refusesA128KiBRequestLineWith414WhileAnsweringOthers() async throws {
    try await Self.withServer { port in
      async let long1 = onThread { () -> (Int, RawHTTPClient.Ending, Double) in
        let start = Date()
        guard let client = try? RawHTTPClient(port: port) else { return (0, .reset, 0) }
        client.send(Self.longLine)
        let (bytes, ending) = client.readToEnd()
        return (RawHTTPClient.Response(bytes)?.status ?? 0, ending, Date().timeIntervalSince(start))
      }
      async let long2 = onThread { () -> Int in
        guard let client = try? RawHTTPClient(port: port) else { return 0 }
        client.send(Self.longLine)
        return RawHTTPClient.Response(client.readToEnd().bytes)?.status ?? 0
      }
      async let normal = onThread { try? RawHTTPClient.get(port: port, "/index.html") }
      let (status, ending, seconds) = await long1
      #expect(status == 414)
      #expect(ending == .closed, "the connection is closed after the refusal")
      #expect(seconds < 1, "refused in \(seconds) s")
      #expect(await long2 == 414)
      let page = try #require(await normal)
      #expect(page.status == 200 && page.body == "hello /index.html\n")
      #expect(page.seconds < 1, "a normal GET beside them took \(page.seconds) s")
    }
  }

  /// Header blocks over the caps: 101 short fields; one field of 40 KiB; 33 KiB in 40 fields.
  static let oversizeHeaders = [
    String(repeating: "X-A: 1\r\n", count: 101) + "\r\n",
    "X-Big: " + String(repeating: "b", count: 40 * 1024) + "\r\n\r\n",
    String(repeating: "X-Field: " + String(repeating: "c", count: 840) + "\r\n", count: 40) + "\r\n",
  ]

  @Test(.timeLimit(.minutes(1)), arguments: 0..<3)
  func refusesOversizeHeadersWith431(_ index: Int) async throws {
    let fields = Self.oversizeHeaders[index]
    try await Self.withServer { port in
      let (status, ending) = await onThread { () -> (Int, RawHTTPClient.Ending) in
        guard let client = try? RawHTTPClient(port: port) else { return (0, .reset) }
        client.send("GET / HTTP/1.1\r\n" + fields)
        let (bytes, ending) = client.readToEnd()
        return (RawHTTPClient.Response(bytes)?.status ?? 0, ending)
      }
      #expect(status == 431)
      #expect(ending == .closed)
    }
  }

  @Test(.timeLimit(.minutes(1)))
  func dropsATricklingClientAfterTheHeadTimeout() async throws {
    try await Self.withServer { port in
      // One byte of a header field every 50 ms, for at most 5 s, until the server closes.
      let (response, seconds) = await onThread { () -> (String, Double) in
        guard let client = try? RawHTTPClient(port: port, timeout: 0.05) else { return ("", 0) }
        let start = Date()
        client.send("GET / HTTP/1.1\r\nX-Slow: ")
        var received: [UInt8] = []
        while Date().timeIntervalSince(start) < 5 {
          if !client.send("a") { break }
          let (bytes, ending) = client.readToEnd()
          received += bytes
          if ending != .timedOut { break }
        }
        return (String(decoding: received, as: UTF8.self), Date().timeIntervalSince(start))
      }
      #expect(response.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), "\(response)")
      #expect(seconds >= 0.4 && seconds < 2, "dropped after \(seconds) s (head timeout 0.5 s)")
    }
  }

  @Test(.timeLimit(.minutes(1)))
  func closesASilentConnectionAfterTheHeadTimeout() async throws {
    try await Self.withServer { port in
      let seconds = await onThread { () -> Double in
        guard let client = try? RawHTTPClient(port: port, timeout: 5) else { return 0 }
        let start = Date()
        _ = client.readToEnd()  // nothing sent: the server closes after the head timeout
        return Date().timeIntervalSince(start)
      }
      #expect(seconds >= 0.4 && seconds < 2, "closed after \(seconds) s")
    }
  }

  @Test(.timeLimit(.minutes(1)))
  func manySlowClientsDoNotStopPageLoads() async throws {
    var limits = Self.shortLimits
    limits.headTimeout = 30  // the slow clients stay until pushed out
    limits.maxConnections = 16
    try await Self.withServer(limits: limits) { port in
      // 48 clients, three times the connection cap, each with half a request sent.
      var slow: [RawHTTPClient] = []
      for _ in 0..<48 {
        let client = try RawHTTPClient(port: port)
        client.send("GET / HTTP/1.1\r\nX-Slow: ")
        slow.append(client)
      }
      for _ in 0..<3 {
        let page = try #require(await onThread { try? RawHTTPClient.get(port: port, "/page.html", timeout: 2) })
        #expect(page.status == 200)
        #expect(page.seconds < 1, "a GET beside 48 slow clients took \(page.seconds) s")
      }
      withExtendedLifetime(slow) {}
    }
  }

  @Test(.timeLimit(.minutes(1)))
  func keepsConnectionsAliveAndAnswersPipelinedRequests() async throws {
    try await Self.withServer { port in
      let responses = await onThread { () -> [RawHTTPClient.Response] in
        guard let client = try? RawHTTPClient(port: port) else { return [] }
        client.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n")
        var out: [RawHTTPClient.Response] = []
        // Each response is read whole before the next: Content-Length frames them.
        if let first = client.readResponse() { out.append(first) }
        let rest = client.readResponse()
        if let rest { out.append(rest) }
        client.send("HEAD /three HTTP/1.1\r\nHost: x\r\n\r\n")
        if let third = client.readResponse(head: true) { out.append(third) }
        return out
      }
      try #require(responses.count == 3)
      #expect(responses[0].status == 200 && responses[0].body == "hello /one\n")
      #expect(responses[0].headers.contains("Connection: keep-alive"))
      #expect(responses[1].body == "hello /two\n")
      #expect(responses[2].status == 200 && responses[2].headers.contains("Content-Length: 13"))
    }
  }

  @Test(
    .timeLimit(.minutes(1)),
    arguments: [
      ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 405),
      ("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", 413),
      ("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501),
      ("GET http://example.org/ HTTP/1.1\r\n\r\n", 400),
      ("GET / HTTP/3.0\r\n\r\n", 505),
    ])
  func refusesWhatThePreviewDoesNotServe(_ request: String, _ status: Int) async throws {
    try await Self.withServer { port in
      let response = await onThread { () -> RawHTTPClient.Response? in
        guard let client = try? RawHTTPClient(port: port) else { return nil }
        client.send(request)
        return RawHTTPClient.Response(client.readToEnd().bytes)
      }
      #expect(response?.status == status)
      if status == 405 { #expect(response?.headers.contains("Allow: GET, HEAD") == true) }
    }
  }

  @Test func listensOn127001Only() async throws {
    try await Self.withServer { port in
      // Linux routes all of 127.0.0.0/8 to the loopback; a socket bound to 127.0.0.1 alone
      // (not to every address) refuses a connection to 127.0.0.2.
      #if os(Linux)
        #expect(throws: (any Error).self) { try RawHTTPClient(port: port, host: "127.0.0.2") }
      #endif
      let page = await onThread { try? RawHTTPClient.get(port: port, "/") }
      #expect(page?.status == 200)
    }
  }

  @Test func refusesAPortInUseWithAHint() throws {
    let first = try LoopbackHTTPServer(port: 0) { _ in .text(.ok) }
    #expect {
      _ = try LoopbackHTTPServer(port: first.port) { _ in .text(.ok) }
    } throws: { error in
      "\(error)".contains("cannot listen on 127.0.0.1:\(first.port)") && "\(error)".contains("--port")
    }
    first.stop()
  }
}
