/// A national administrative unit with a GSO code: province, district or commune.
///
/// Hamlets have no national code; they are ``Hamlet``s of their district.
public struct AdministrativeUnit: Hashable, Codable, Sendable {
    public var code: Int
    public var name: String
    public var level: UnitLevel
    public var divisionType: DivisionType
    public var parentCode: Int?
    public var displayOrder: Int

    /// - Throws: ``ValidationError`` when the unit is not a national unit, its name is empty, or its
    ///   parent does not fit its level.
    public init(
        code: Int,
        name: String,
        level: UnitLevel,
        divisionType: DivisionType,
        parentCode: Int?,
        displayOrder: Int
    ) throws(ValidationError) {
        guard code > 0, code < 1_000_000 else {
            throw ValidationError(field: "code", code: .outOfRange, message: "must be a positive GSO code")
        }
        guard level != .hamlet else {
            throw ValidationError(field: "level", code: .unknownValue, message: "hamlets have no GSO code; add them as hamlets")
        }
        guard (parentCode == nil) == (level == .province) else {
            throw ValidationError(
                field: "parent_code",
                code: .inconsistent,
                message: level == .province ? "a province has no parent" : "a \(level.rawValue) needs a parent"
            )
        }
        self.code = code
        self.name = try VietnameseText.required(name, field: "name")
        self.level = level
        self.divisionType = divisionType
        self.parentCode = parentCode
        self.displayOrder = displayOrder
    }
}
