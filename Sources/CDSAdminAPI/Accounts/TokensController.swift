import CDSCore
import CDSDatabase
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `/v1/tokens`: bearer tokens. Anyone issues, lists and revokes its own; a caller lists and revokes those of the
/// accounts it manages, and issues one for such an account only when it holds everything the account holds (a token
/// is a way to act as its account). The secret is in the issuing answer only.
struct TokensController: Sendable {
    struct NewToken: JSONRequestBody {
        static let fields: Set<String> = ["user_id", "label", "expires_in_days"]
        static let nullable: Set<String> = ["user_id", "label", "expires_in_days"]

        let userID: UUID?
        let label: String?
        let expiresInDays: Int?
    }

    let controlPlane: ControlPlane

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("tokens", use: list)
        group.post("tokens", use: create)
        group.delete("tokens/{id}", use: revoke)
    }

    /// The account `id` if the caller may handle its tokens; 404 otherwise, like an unknown account.
    private func account(_ id: UUID, for caller: Caller) async throws -> StaffAccount {
        guard let account = try await controlPlane.staffAccount(id: id),
            account.id == caller.principal.id || caller.manages(account)
        else {
            throw ProblemDetails.notFound("no user has the id \(id)")
        }
        return account
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Page<Wire.Token> {
        let caller = try context.requireCaller()
        let user = try request.uri.queryParameters["user"].map { try RequestInput.uuid($0, field: "user") } ?? caller.principal.id
        let account = try await account(user, for: caller)
        return .init(items: try await controlPlane.tokens(of: account.id).map { Wire.Token($0) })
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<Wire.Token> {
        let caller = try context.requireCaller()
        let body = try await JSONBody.decode(NewToken.self, from: request)
        let days = body.expiresInDays ?? 90
        guard (1...3650).contains(days) else {
            throw ProblemDetails.badRequest(
                "expires_in_days is out of range",
                errors: [.init(field: "expires_in_days", code: .outOfRange, message: "must be from 1 to 3650")]
            )
        }
        let label = try ProblemDetails.validating { try VietnameseText.optional(body.label, field: "label", maxLength: 100) }
        let account = try await account(body.userID ?? caller.principal.id, for: caller)
        guard caller.mayActAs(account) else {
            throw ProblemDetails.forbidden("a token for this account would give you permissions you do not hold")
        }
        let issued = try await ProblemDetails.controlPlane(field: "user_id") {
            try await controlPlane.issueToken(
                for: account.id,
                issuedWith: caller.principal.credential,
                label: label,
                expiresAt: Date(timeIntervalSinceNow: TimeInterval(days) * 86_400),
                actor: caller.actor
            )
        }
        guard let record = try await controlPlane.token(id: issued.id) else { throw ProblemDetails.notFound("the token vanished") }
        return EditedResponse(
            status: .created,
            headers: [.location: "/v1/tokens/\(issued.id.uuidString.lowercased())"],
            response: Wire.Token(record, secret: issued.token)
        )
    }

    @Sendable func revoke(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try context.pathID()
        guard let token = try await controlPlane.token(id: id), token.revokedAt == nil else {
            throw ProblemDetails.notFound("no active token has the id \(id)")
        }
        _ = try await account(token.principalID, for: caller)
        try await controlPlane.revokeToken(id: id, actor: caller.actor)
        return Response(status: .noContent)
    }
}
