import Testing

@testable import CDSAdminAPI

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

    @Test func aSecondWaiterBeyondTheQueueIsRefusedAndTheFirstGetsThePermit() async throws {
        let share = ConcurrencyShare(permits: 1, queueLimit: 1, patience: .seconds(60))
        let holder = Holder()
        async let held = holder.hold(share)
        for await _ in holder.entered { break }
        let waiter = Task { try await share.withPermit { 7 } }
        try await Task.sleep(for: .milliseconds(100))  // the waiter is queued (or about to be): the queue is full
        #expect(try await share.withPermit { 8 } == nil)
        holder.release.yield()
        #expect(try await held)
        #expect(try await waiter.value == 7)
        #expect(share.mostHeld == 1)
        #expect(try await share.withPermit { 9 } == 9)
    }

    @Test func aWaiterGivesUpAfterItsPatience() async throws {
        let share = ConcurrencyShare(permits: 1, queueLimit: 4, patience: .milliseconds(50))
        let holder = Holder()
        async let held = holder.hold(share)
        for await _ in holder.entered { break }
        let started = ContinuousClock.now
        #expect(try await share.withPermit { 1 } == nil)
        #expect(ContinuousClock.now - started >= .milliseconds(50))
        holder.release.yield()
        #expect(try await held)
        #expect(try await share.withPermit { 2 } == 2)
    }

    @Test func aCancelledWaiterLeavesTheQueueAndThePermitIsNotLost() async throws {
        let share = ConcurrencyShare(permits: 1, queueLimit: 1, patience: .seconds(60))
        let holder = Holder()
        async let held = holder.hold(share)
        for await _ in holder.entered { break }
        let waiter = Task { try await share.withPermit { 1 } }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        #expect(try await waiter.value == nil)
        holder.release.yield()
        #expect(try await held)
        // The permit came back, and the queue has room again.
        #expect(try await share.withPermit { 3 } == 3)
    }
}
