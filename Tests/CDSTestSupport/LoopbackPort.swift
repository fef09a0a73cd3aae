import Foundation

// Ports on 127.0.0.1 for the servers the tests start: a free one to give them, and the wait until they listen.

/// A TCP port on 127.0.0.1 that nothing listens on now: bound to port 0, read back, released.
public func freeLoopbackPort() throws -> Int {
    let (socket, port) = try loopbackSocket(listening: false)
    close(socket)
    return port
}

/// Runs `body` with a port on 127.0.0.1 held by a socket that listens and never answers: the kernel completes each
/// TCP handshake, and nothing is ever read or written.
public func withSilentLoopbackListener<Result>(_ body: (Int) async throws -> Result) async throws -> Result {
    let (socket, port) = try loopbackSocket(listening: true)
    defer { close(socket) }
    return try await body(port)
}

/// A TCP socket bound to a port of the system's choosing on 127.0.0.1, and that port.
private func loopbackSocket(listening: Bool) throws -> (socket: Int32, port: Int) {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = loopbackAddress(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(socket, $0, length) == 0 && (!listening || listen(socket, 8) == 0) && getsockname(socket, $0, &length) == 0
        }
    }
    guard bound else {
        close(socket)
        throw CancellationError()
    }
    return (socket, Int(UInt16(bigEndian: address.sin_port)))
}

/// Waits until something accepts TCP connections on 127.0.0.1:`port`, for a server started as a daemon, whose
/// starter returns before it listens. Returns whether it did within `timeout`.
public func waitUntilLoopbackPortAccepts(_ port: Int, timeout: Duration = .seconds(10)) async throws -> Bool {
    try await waitUntilLoopbackPort(port, accepts: true, timeout: timeout)
}

/// Waits until nothing accepts TCP connections on 127.0.0.1:`port` any more, for a daemon told to stop. Returns
/// whether that came within `timeout`.
public func waitUntilLoopbackPortRefuses(_ port: Int, timeout: Duration = .seconds(10)) async throws -> Bool {
    try await waitUntilLoopbackPort(port, accepts: false, timeout: timeout)
}

/// Whether something accepts a TCP connection on 127.0.0.1:`port` now: one attempt.
public func loopbackPortAccepts(_ port: Int) -> Bool {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = loopbackAddress(port: port)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}

private func waitUntilLoopbackPort(_ port: Int, accepts: Bool, timeout: Duration) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if loopbackPortAccepts(port) == accepts { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return false
}

private func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return address
}
