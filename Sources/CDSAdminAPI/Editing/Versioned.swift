import CDSWire

/// An object as staff read it to change it: its wire form, and its version for the `ETag` (``EntityVersion``), from
/// one row whose select list names the version `version`.
struct Versioned<Item: Decodable & Sendable>: Decodable, Sendable {
    let item: Item
    let version: Int64

    private enum Column: String, CodingKey {
        case version
    }

    init(from decoder: any Decoder) throws {
        item = try Item(from: decoder)
        version = try decoder.container(keyedBy: Column.self).decode(Int64.self, forKey: .version)
    }
}

extension Versioned: VersionedRow where Item: DistrictOwned {
    var districtCode: Int { item.districtCode }
}

/// An object kept in one district's rows.
protocol DistrictOwned {
    var districtCode: Int { get }
}

extension Wire.Activity: DistrictOwned {}
extension Wire.TrainingSession: DistrictOwned {}
