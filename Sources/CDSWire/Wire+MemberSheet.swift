extension Wire.Member {
    /// The columns of the members sheet: what `cds-admin members export` and the console's export write, and what
    /// `members import` reads back (with `id` and `left_on` left empty).
    public static let sheetColumns = [
        "id", "team_id", "full_name", "gender", "birth_year", "ethnicity", "phone", "role", "affiliation", "has_smartphone",
        "trained", "joined_on", "left_on",
    ]

    /// The member as a line of the sheet, in ``sheetColumns``' order; personal cells empty where the reader may not
    /// see them.
    public var sheetCells: [String] {
        [
            id.uuidString.lowercased(), teamID.uuidString.lowercased(), fullName, gender ?? "", personal?.birthYear.map(String.init) ?? "",
            personal?.ethnicity ?? "", personal?.phone ?? "", role, affiliation, String(hasSmartphone), String(trained), joinedOn ?? "",
            leftOn ?? "",
        ]
    }
}
