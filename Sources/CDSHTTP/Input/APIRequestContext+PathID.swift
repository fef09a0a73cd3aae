import Foundation
import Hummingbird

extension APIRequestContext {
    /// The id in the route's path parameter `name` (`/v1/teams/{id}`), or a 400 that names it.
    package func pathID(_ name: String = "id") throws -> UUID {
        try RequestInput.uuid(parameters.get(name).map { Substring($0) }, field: name)
    }
}
