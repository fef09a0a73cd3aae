import CDSCore
import CDSDatabase
import CDSWire
import Foundation
import Hummingbird
import NIOCore

/// The request context of the whole HTTP listener (the admin API, the partner APIs, health): Hummingbird's core
/// context, the client's address and, once a bearer token is accepted, the caller and what it may do.
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection: the client, or the proxy in front of it.
    public let remoteAddress: SocketAddress?
    /// The client, with a trusted proxy's forwarded address (``ClientAddressMiddleware``).
    public var clientAddress: ClientAddress?
    /// The authenticated caller; set by ``BearerAuthenticator`` on every `/v1` route.
    public var caller: Caller?
    /// Who the request is from, for the access log line written after it.
    public let note = RequestNote()

    /// Every answer in the API's snake_case, from the Swift names of the ``Wire`` types.
    public var responseEncoder: JSONEncoder { WireCoding.encoder }

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The caller, or a 401 when a route forgot its authenticator (so that the mistake fails closed).
    package func requireCaller() throws -> Caller {
        guard let caller else { throw ProblemDetails.unauthorized("authentication required") }
        return caller
    }

    /// The caller, who must hold `permission` on some unit (a 403 otherwise): the door of a route, before the
    /// permission is checked again on the unit the request names.
    package func requireCaller(holding permission: Permission) throws -> Caller {
        let caller = try requireCaller()
        guard caller.policy.permitsSomewhere(permission) else {
            throw ProblemDetails.forbidden("this needs the permission \(permission.rawValue)")
        }
        return caller
    }

    /// Makes `caller` the request's caller, named in its log lines and its access log line.
    package mutating func identify(_ caller: Caller) {
        self.caller = caller
        logger[metadataKey: "cds.principal"] = "\(caller.principal.auditActor)"
        logger[metadataKey: "cds.tenant"] = "\(caller.scope)"
        note.identify(principal: "\(caller.principal.auditActor)", tenant: "\(caller.scope)")
    }
}
