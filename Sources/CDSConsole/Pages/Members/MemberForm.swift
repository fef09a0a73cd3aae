import CDSWire
import Foundation

/// The member form's fields (named as the API names them) to and from the API's JSON.
enum MemberForm {
    /// The fields a form shows, besides the checkboxes; in the order the conflict page compares them.
    static let textFields = ["team_id", "full_name", "gender", "birth_year", "ethnicity", "phone", "role", "affiliation", "joined_on"]
    static let flags = ["has_smartphone", "trained"]
    /// Fields that an empty value clears in a change (the API's nullable ones).
    static let clearable: Set<String> = ["gender", "birth_year", "ethnicity", "phone", "joined_on"]

    /// A member as the form shows it.
    static func fields(of member: Wire.Member) -> [String: String] {
        var fields = [
            "team_id": member.teamID.uuidString.lowercased(), "full_name": member.fullName, "gender": member.gender ?? "",
            "role": member.role, "affiliation": member.affiliation, "joined_on": VietnameseFormat.date(member.joinedOn),
            "birth_year": member.personal?.birthYear.map(String.init) ?? "", "ethnicity": member.personal?.ethnicity ?? "",
            "phone": member.personal?.phone ?? "",
        ]
        for flag in flags where flag == "has_smartphone" ? member.hasSmartphone : member.trained { fields[flag] = "on" }
        return fields
    }

    /// The JSON the API takes from a posted form: an empty field is left out of a new member and, with `clearing`,
    /// cleared in a change where the API allows it; an unticked box is `false`. A birth year that is not a number is
    /// sent as it was typed, for the API to refuse with its own message.
    static func body(_ fields: [String: String], clearing: Bool) -> [String: Any] {
        var body: [String: Any] = [:]
        for name in textFields {
            let value = (fields[name] ?? "").trimmingCharacters(in: .whitespaces)
            if value.isEmpty {
                if clearing, clearable.contains(name) { body[name] = NSNull() }
                continue
            }
            switch name {
            case "birth_year": body[name] = Int(value) ?? value as Any
            case "joined_on": body[name] = VietnameseFormat.isoDate(value) ?? value
            default: body[name] = value
            }
        }
        for flag in flags { body[flag] = fields[flag] == "on" }
        return body
    }

    /// The form's values as label and value lines, for the conflict page.
    static func comparison(_ fields: [String: String], words: Catalogue, language: String) -> [[String: String]] {
        (textFields.filter { $0 != "team_id" } + flags).map { name in
            let value = fields[name] ?? ""
            let shown: String =
                switch name {
                case "has_smartphone", "trained": words.text(value == "on" ? "yes" : "no", language)
                case "gender", "role", "affiliation": value.isEmpty ? "" : words.text("member_\(name)_\(value)", language)
                default: value
                }
            return ["label": words.text("field_\(name)", language), "value": shown]
        }
    }

}
