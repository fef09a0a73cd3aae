import Testing

@testable import CDSHTTP

/// The public reads' share of the pool: at most its permits at once, a bounded queue, a bounded wait, and a waiter
/// that gives up (cancelled, or out of patience) leaves no trace.
@Suite struct ConcurrencyShareTests {
    /// A task holding a permit until `release` is called.
    final class Holder: Sendable {
        let entered: AsyncStream<Void>
        let release: AsyncStream<Void>.Continuation
        private let enteredContinuation: AsyncStream<Void>.Continuation
        private let released: AsyncStream<Void>

        init() {
            (entered, enteredContinuation) = AsyncStream.makeStream()
            (released, release) = AsyncStream.makeStream()
        }

        func hold(_ share: ConcurrencyShare) async throws -> Bool {
            try await share.withPermit {
                enteredContinuation.yield()
                for await _ in released { break }
                return true
            } ?? false
        }
    }

    /// Runs `body` while a holder holds the share's only permit, and checks the holder ran to its end after.
    static func whileHeld(queueLimit: Int, patience: Duration, _ body: (ConcurrencyShare) async throws -> Void) async throws {
        let share = ConcurrencyShare(permits: 1, queueLimit: queueLimit, patience: patience)
        let holder = Holder()
        async let held = holder.hold(share)
        for await _ in holder.entered { break }
        try await body(share)
        holder.release.yield()
        #expect(try await held)
    }

    @Test func aSecondWaiterBeyondTheQueueIsRefusedAndTheFirstGetsThePermit() async throws {
        var waiter: Task<Int?, any Error>?
        var share: ConcurrencyShare?
        try await Self.whileHeld(queueLimit: 1, patience: .seconds(60)) { held in
            share = held
            waiter = Task { try await held.withPermit { 7 } }
            try await Task.sleep(for: .milliseconds(100))  // the waiter is queued (or about to be): the queue is full
            #expect(try await held.withPermit { 8 } == nil)
        }
        #expect(try await waiter?.value == 7)
        #expect(share?.mostHeld == 1)
        #expect(try await share?.withPermit { 9 } == 9)
    }

    @Test func aWaiterGivesUpAfterItsPatience() async throws {
        try await Self.whileHeld(queueLimit: 4, patience: .milliseconds(50)) { share in
            let started = ContinuousClock.now
            let answer = try await share.withPermit { 1 }
            #expect(answer == nil)
            #expect(ContinuousClock.now - started >= .milliseconds(50))
        }
    }

    @Test func aCancelledWaiterLeavesTheQueueAndThePermitIsNotLost() async throws {
        var share: ConcurrencyShare?
        try await Self.whileHeld(queueLimit: 1, patience: .seconds(60)) { held in
            share = held
            let waiter = Task { try await held.withPermit { 1 } }
            try await Task.sleep(for: .milliseconds(50))
            waiter.cancel()
            #expect(try await waiter.value == nil)
        }
        // The permit came back, and the queue has room again.
        #expect(try await share?.withPermit { 3 } == 3)
    }
}
