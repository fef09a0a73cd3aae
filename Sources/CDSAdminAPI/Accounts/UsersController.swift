import CDSCore
import CDSDatabase
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `/v1/users`: staff accounts. A caller sees and manages an account when it holds `users.manage` over the account's
/// home unit and over every unit the account's grants reach; it creates accounts at home where it holds
/// `users.manage`; everyone sees itself.
struct UsersController: Sendable {
    struct NewUser: JSONRequestBody {
        static let fields: Set<String> = ["name", "display_name", "home_unit_code"]
        static let nullable: Set<String> = ["display_name"]

        let name: String
        let displayName: String?
        let homeUnitCode: String
    }

    struct UserChange: JSONRequestBody {
        static let fields: Set<String> = ["display_name", "status"]

        let displayName: String?
        let status: String?
    }

    let controlPlane: ControlPlane

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("users", use: list)
        group.post("users", use: create)
        group.get("users/{id}", use: show)
        group.patch("users/{id}", use: update)
        group.post("users/{id}/invitations", use: invite)
        group.delete("users/{id}/two-step", use: resetTwoStep)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Page<Wire.User> {
        let caller = try context.requireCaller(holding: .usersManage)
        let accounts = try await controlPlane.staffAccounts().filter(caller.sees)
        return .init(items: accounts.map(Wire.User.init))
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Wire.User {
        let caller = try context.requireCaller()
        let id = try context.pathID()
        guard let account = try await controlPlane.staffAccount(id: id), caller.sees(account) else {
            throw ProblemDetails.notFound("no user has the id \(id)")
        }
        return Wire.User(account)
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<Wire.User> {
        let caller = try context.requireCaller(holding: .usersManage)
        let body = try await JSONBody.decode(NewUser.self, from: request)
        let home = try RequestInput.nationalUnitCode(body.homeUnitCode, field: "home_unit_code", known: caller.policy)
        guard caller.policy.permits(.usersManage, on: home) else {
            throw ProblemDetails.forbidden("you may create accounts only in units where you hold users.manage")
        }
        let id: UUID
        do {
            id = try await controlPlane.createStaffUser(name: body.name, displayName: body.displayName, homeUnit: home, actor: caller.actor)
        } catch let error as ControlPlaneError {
            throw ProblemDetails(controlPlaneError: error, field: "name")
        } catch let error as ValidationError {
            throw ProblemDetails(validationError: error)
        }
        guard let account = try await controlPlane.staffAccount(id: id) else {
            throw ProblemDetails.notFound("the new user vanished")
        }
        return EditedResponse(
            status: .created,
            headers: [.location: "/v1/users/\(id.uuidString.lowercased())"],
            response: Wire.User(account)
        )
    }

    /// Renames, disables or enables an account the caller manages; a disabled account's tokens are refused at once.
    /// Nobody disables their own account (another administrator does).
    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Wire.User {
        let caller = try context.requireCaller()
        let id = try context.pathID()
        let body = try await JSONBody.decode(UserChange.self, from: request)
        let status = try RequestInput.choice(body.status.map { Substring($0) }, field: "status", among: ["active", "disabled"])
        guard let account = try await controlPlane.staffAccount(id: id), caller.sees(account) else {
            throw ProblemDetails.notFound("no user has the id \(id)")
        }
        guard caller.manages(account) else { throw ProblemDetails.forbidden("you may not manage this account") }
        guard account.id != caller.principal.id || status != "disabled" else {
            throw ProblemDetails.conflict("you cannot disable your own account; ask another administrator")
        }
        let displayName = try ProblemDetails.validating {
            try body.displayName.map { try VietnameseText.required($0, field: "display_name", maxLength: 120) }
        }
        try await controlPlane.updateStaffUser(id: id, displayName: displayName, status: status, actor: caller.actor)
        guard let changed = try await controlPlane.staffAccount(id: id) else { throw ProblemDetails.notFound("no user has the id \(id)") }
        return Wire.User(changed)
    }

    /// A link with which the account's person chooses a password for the console; earlier links stop working. It is
    /// the power to act as the account, so it obeys the rule of a token issued for it: the caller manages the account
    /// and holds every permission it holds (or it is the caller's own).
    @Sendable func invite(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<Wire.Invitation> {
        let caller = try context.requireCaller()
        let id = try context.pathID()
        guard let account = try await controlPlane.staffAccount(id: id), account.id == caller.principal.id || caller.manages(account)
        else {
            throw ProblemDetails.notFound("no user has the id \(id)")
        }
        guard caller.mayActAs(account) else {
            throw ProblemDetails.forbidden("an invitation for this account would give you permissions you do not hold")
        }
        guard account.status == "active" else {
            throw ProblemDetails.conflict("the account is disabled: enable it first")
        }
        let issued = try await ProblemDetails.controlPlane(field: "id") {
            try await controlPlane.invite(account: account.id, issuedBy: caller.principal.id, actor: caller.actor)
        }
        let invitation = Wire.Invitation(
            userID: account.id,
            path: "/console/invitation/\(issued.token)",
            expiresAt: issued.expiresAt.formatted(.iso8601)
        )
        return EditedResponse(status: .created, response: invitation)
    }

    /// Removes an account's second factor when its person lost the phone: for a caller who may issue the account an
    /// invitation (who manages it and holds everything it holds), never for the caller's own account, whose second
    /// factor is turned off in the console with a code of the moment. Idempotent, as a DELETE: 204 also when the
    /// account had none.
    @Sendable func resetTwoStep(_ request: Request, context: APIRequestContext) async throws -> HTTPResponse.Status {
        let caller = try context.requireCaller()
        let id = try context.pathID()
        guard let account = try await controlPlane.staffAccount(id: id), caller.manages(account) || account.id == caller.principal.id else {
            throw ProblemDetails.notFound("no user has the id \(id)")
        }
        guard account.id != caller.principal.id else {
            throw ProblemDetails.forbidden("turn your own two-step sign-in off in the console, with a code of the moment")
        }
        guard caller.mayActAs(account) else {
            throw ProblemDetails.forbidden("resetting this account's two-step sign-in would give you permissions you do not hold")
        }
        try await controlPlane.resetTOTP(for: account.id, actor: caller.actor)
        return .noContent
    }
}
