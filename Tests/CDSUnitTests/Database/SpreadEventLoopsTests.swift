import NIOCore
import NIOPosix
import Testing

@testable import CDSDatabase

/// The pool's connections open on NIO's loops in turn (`SpreadEventLoops`), even when the pool asks from one of those
/// loops, as it does in cds-server, where Swift concurrency runs on them.
@Suite struct SpreadEventLoopsTests {
    static let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator()).count

    @Test(.enabled(if: loops > 1, "NIO's shared group has one loop on a one-core machine"))
    func askedFromALoopTheGroupStillHandsOutEveryLoop() async throws {
        let home = MultiThreadedEventLoopGroup.singleton.next()
        let (nio, spread) = try await home.submit {
            let spread = SpreadEventLoops()
            return ((0..<Self.loops).map { _ in MultiThreadedEventLoopGroup.singleton.any() }, (0..<Self.loops).map { _ in spread.any() })
        }.get()
        // NIO's own `any()` stays on the asking loop: what put every connection of the pool on one thread.
        #expect(nio.allSatisfy { $0 === home })
        #expect(Set(spread.map(ObjectIdentifier.init)).count == Self.loops)
    }
}
