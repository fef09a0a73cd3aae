import CDSCore
import Testing

@Suite struct PhoneNumberTests {
    @Test(arguments: [
        "0912345678", "+84912345678", "84912345678", "+84 912 345 678", "0912.345.678", "(+84) 912-345-678", "091 234 5678", "912345678",
    ])
    func acceptsTheWaysPeopleTypeOneNumber(_ typed: String) throws {
        let phone = try PhoneNumber(typed)
        #expect(phone.national == "0912345678")
        #expect(phone.international == "+84912345678")
    }

    @Test(arguments: [
        ("", "required"), ("0912 345 67", "invalid_format"), ("09123456789", "invalid_format"), ("0241234567", "invalid_format"),
        ("01631234567", "invalid_format"), ("0912a45678", "invalid_characters"), ("09+12345678", "invalid_characters"),
    ])
    func rejectsWithAReason(_ typed: String, _ code: String) {
        #expect {
            try PhoneNumber(typed)
        } throws: { error in
            let error = error as! ValidationError
            return error.code.description == code && error.field == "phone" && !error.message.isEmpty
        }
    }

    @Test func explainsTheRetiredElevenDigitNumbering() {
        #expect(throws: ValidationError.self) { try PhoneNumber("0168 123 4567") }
        do {
            _ = try PhoneNumber("01681234567")
        } catch {
            #expect(error.message.contains("2018"))
        }
    }
}
