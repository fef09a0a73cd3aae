import CDSWire
import Foundation

/// Checks a JSON value against a schema of an OpenAPI 3.1 document: the keywords the admin API's document uses
/// (`$ref`, `type`, `enum`, `const`, `properties`, `required`, `additionalProperties`, `items`, the length, size and
/// range bounds, `pattern`, the `uuid`, `date` and `date-time` formats, `allOf`, `anyOf`, `oneOf`). No well-kept
/// Swift library for this is at hand; Python's jsonschema checks the same document against the fuzzer's answers.
struct JSONSchemaCheck {
    /// The whole document, for `$ref`s.
    let document: JSONValue

    /// Where `value` breaks `schema`, each as `pointer: reason`; empty when it conforms.
    func problems(_ value: JSONValue, _ schema: JSONValue, at pointer: String = "") -> [String] {
        if let reference = schema["$ref"]?.string {
            guard let target = resolve(reference) else { return ["\(pointer): unresolvable $ref \(reference)"] }
            return problems(value, target, at: pointer)
        }
        var found: [String] = []
        let types = Set(schema["type"]?.strings ?? [])
        if !types.isEmpty, types.isDisjoint(with: value.typeNames) {
            return ["\(pointer): \(describe(value)) is not of type \(types.sorted().joined(separator: " or "))"]
        }
        if case .array(let allowed) = schema["enum"], !allowed.contains(value) {
            found.append("\(pointer): \(describe(value)) is not one of the enum's values")
        }
        if let constant = schema["const"], constant != value {
            found.append("\(pointer): \(describe(value)) is not the constant")
        }
        for part in arrayOf(schema["allOf"]) { found += problems(value, part, at: pointer) }
        if case .array(let choices) = schema["anyOf"], !choices.contains(where: { problems(value, $0, at: pointer).isEmpty }) {
            found.append("\(pointer): \(describe(value)) matches none of anyOf")
        }
        if case .array(let choices) = schema["oneOf"] {
            let matching = choices.filter { problems(value, $0, at: pointer).isEmpty }.count
            if matching != 1 { found.append("\(pointer): \(describe(value)) matches \(matching) of oneOf, not one") }
        }
        switch value {
        case .string(let text): found += stringProblems(text, schema, at: pointer)
        case .integer, .number: found += numberProblems(value.number ?? 0, schema, at: pointer)
        case .array(let items): found += arrayProblems(items, schema, at: pointer)
        case .object(let members): found += objectProblems(members, schema, at: pointer)
        case .null, .bool: break
        }
        return found
    }

    /// `#/components/schemas/Team` → that schema.
    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for token in reference.dropFirst(2).split(separator: "/") {
            node = node?[token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
        }
        return node
    }

    private func stringProblems(_ text: String, _ schema: JSONValue, at pointer: String) -> [String] {
        var found: [String] = []
        let length = Double(text.unicodeScalars.count)
        if let minimum = schema["minLength"]?.number, length < minimum { found.append("\(pointer): shorter than \(Int(minimum))") }
        if let maximum = schema["maxLength"]?.number, length > maximum { found.append("\(pointer): longer than \(Int(maximum))") }
        if let pattern = schema["pattern"]?.string {
            let expression = try? NSRegularExpression(pattern: pattern)
            let range = NSRange(text.startIndex..., in: text)
            if expression?.firstMatch(in: text, range: range) == nil { found.append("\(pointer): '\(text)' does not match \(pattern)") }
        }
        let formatted: Bool
        switch schema["format"]?.string {
        case "uuid": formatted = UUID(uuidString: text) != nil
        case "date": formatted = text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil
        case "date-time": formatted = (try? Date(text, strategy: .iso8601)) != nil || Self.fractionalDate(text) != nil
        default: formatted = true
        }
        if !formatted { found.append("\(pointer): '\(text)' is not a \(schema["format"]?.string ?? "")") }
        return found
    }

    private static func fractionalDate(_ text: String) -> Date? {
        try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    private func numberProblems(_ number: Double, _ schema: JSONValue, at pointer: String) -> [String] {
        var found: [String] = []
        if let minimum = schema["minimum"]?.number, number < minimum { found.append("\(pointer): \(number) is below \(minimum)") }
        if let maximum = schema["maximum"]?.number, number > maximum { found.append("\(pointer): \(number) is above \(maximum)") }
        if let bound = schema["exclusiveMinimum"]?.number, number <= bound { found.append("\(pointer): \(number) is not above \(bound)") }
        if let bound = schema["exclusiveMaximum"]?.number, number >= bound { found.append("\(pointer): \(number) is not below \(bound)") }
        return found
    }

    private func arrayProblems(_ items: [JSONValue], _ schema: JSONValue, at pointer: String) -> [String] {
        var found: [String] = []
        let count = Double(items.count)
        if let minimum = schema["minItems"]?.number, count < minimum { found.append("\(pointer): fewer than \(Int(minimum)) items") }
        if let maximum = schema["maxItems"]?.number, count > maximum { found.append("\(pointer): more than \(Int(maximum)) items") }
        if let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() { found += problems(item, itemSchema, at: "\(pointer)/\(index)") }
        }
        return found
    }

    private func objectProblems(_ members: [String: JSONValue], _ schema: JSONValue, at pointer: String) -> [String] {
        var found: [String] = []
        for key in schema["required"]?.strings ?? [] where members[key] == nil {
            found.append("\(pointer): the required key '\(key)' is missing")
        }
        let declared = schema["properties"]
        for (key, member) in members.sorted(by: { $0.key < $1.key }) {
            if let propertySchema = declared?[key] {
                found += problems(member, propertySchema, at: "\(pointer)/\(key)")
            } else if case .bool(false) = schema["additionalProperties"] {
                found.append("\(pointer): the key '\(key)' is not in the schema")
            } else if let extra = schema["additionalProperties"], case .object = extra {
                found += problems(member, extra, at: "\(pointer)/\(key)")
            }
        }
        return found
    }

    private func arrayOf(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items) = value { items } else { [] }
    }

    private func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): String(flag)
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .string(let text): "'\(text.prefix(60))'"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
