import CDSWire

extension Wire.Member {
    /// The same object as its `Encodable` conformance writes (a test compares them), for the list's pages.
    func writeJSON(to writer: inout JSONObjectWriter) {
        writer.beginObject()
        writer.field("id", id)
        writer.field("district_code", districtCode)
        writer.field("team_id", teamID)
        writer.field("commune_code", communeCode)
        writer.field("hamlet_code", hamletCode)
        writer.field("full_name", fullName)
        writer.field("gender", gender)
        writer.field("role", role)
        writer.field("affiliation", affiliation)
        writer.field("has_smartphone", hasSmartphone)
        writer.field("trained", trained)
        writer.field("joined_on", joinedOn)
        writer.field("left_on", leftOn)
        if let personal {
            writer.beginObject("personal")
            writer.field("phone", personal.phone)
            writer.field("birth_year", personal.birthYear)
            writer.field("ethnicity", personal.ethnicity)
            writer.endObject()
        } else {
            writer.null("personal")
        }
        writer.endObject()
    }
}
