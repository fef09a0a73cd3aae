import CDSDatabase

/// What a report covers: whole districts, and single communes of other districts (for a caller whose grant is on a
/// commune). Row-level security has already cut the rows to the transaction's scope.
public struct ReportExtent: Hashable, Sendable {
    public var districts: [Int]
    public var communes: [Int]

    public init(districts: [Int], communes: [Int]) {
        self.districts = districts
        self.communes = communes
    }
}
