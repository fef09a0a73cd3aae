import CDSDatabase
import CDSHTTP
import CDSWire
import Hummingbird

/// `GET /v1/feedback/categories`: the active categories, in display order, for staff (Open311 publishes the same ones
/// to everyone as its services), so that a handler's tools name a report's category as the province does.
struct FeedbackCategoriesController: StaffRoutes {
    let catalogue: ReferenceCache<FeedbackCatalogue>

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("feedback/categories", use: list)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Page<Wire.FeedbackCategory> {
        _ = try context.requireCaller()
        return Page(
            items: try await catalogue.current().categories.map { category in
                Wire.FeedbackCategory(
                    code: category.code,
                    name: category.name,
                    group: category.group,
                    handlingLevel: category.handlingLevel.rawValue,
                    slaWorkingDays: category.slaWorkingDays
                )
            }
        )
    }
}
