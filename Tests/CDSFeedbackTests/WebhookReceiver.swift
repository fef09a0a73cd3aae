import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A partner's webhook endpoint on loopback: records what it receives, answers `status`.
actor WebhookReceiver {
    struct Received {
        /// The request's `Host`.
        let authority: String?
        let headers: HTTPFields
        let body: Data
    }

    private(set) var received: [Received] = []

    func record(_ request: Received) { received.append(request) }

    /// Runs the endpoint on `port` (POST /hook) while `body` runs.
    func listen<Result: Sendable>(on port: Int, _ body: () async throws -> Result) async throws -> Result {
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            await self.record(Received(authority: request.head.authority, headers: request.headers, body: Data(buffer: body)))
            return .ok
        }
        let (ready, signal) = AsyncStream<Void>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { _ in signal.yield() },
            logger: Logger(label: "webhook-receiver")
        )
        let group = ServiceGroup(services: [app], logger: Logger(label: "webhook-receiver"))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for await _ in ready { break }
            do {
                let result = try await body()
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
