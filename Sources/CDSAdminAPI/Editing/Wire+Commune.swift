import CDSWire

// The commune whose permissions govern an object. The wire form spells its code as text, read from the integer
// column; a code that is not a number cannot occur, and 0 is no commune, so it would grant nothing.

extension Wire.Activity {
    /// Its team's commune.
    var commune: Int { Int(communeCode) ?? 0 }
}

extension Wire.TrainingSession {
    /// The unit that organised the session, on which permissions are checked: its commune, or the district for a
    /// session of the district.
    var organisingUnit: Int { communeCode.flatMap { Int($0) } ?? districtCode }
}
