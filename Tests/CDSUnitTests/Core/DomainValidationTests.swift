import CDSCore
import Testing

@Suite struct DomainValidationTests {
    @Test func aTeamsLevelAndHamletMustAgree() throws {
        #expect(throws: ValidationError.self) { try Team(level: .hamlet, communeCode: 3646, hamletCode: nil, name: "Tổ A") }
        #expect(throws: ValidationError.self) { try Team(level: .commune, communeCode: 3646, hamletCode: "3646-001", name: "Tổ A") }
        #expect(throws: ValidationError.self) { try Team(level: .hamlet, communeCode: 3646, hamletCode: "bản 1", name: "Tổ A") }
        let team = try Team(level: .hamlet, communeCode: 3646, hamletCode: "3646-001", name: " Tổ  Bản Cá ")
        #expect(team.name == "Tổ Bản Cá")
    }

    @Test func hamletCodesArePaddedAndCheckable() {
        #expect(Hamlet.code(commune: 3646, number: 7) == "3646-007")
        #expect(Hamlet.code(commune: 3646, number: 1234) == "3646-1234")
        #expect(Hamlet.isValidCode("3646-007"))
        #expect(!Hamlet.isValidCode("3646"))
        #expect(!Hamlet.isValidCode("3646-7"))
        #expect(!Hamlet.isValidCode("x-007"))
    }

    @Test func membersAreNormalisedOrRejected() throws {
        let member = try Member(
            fullName: "lò  văn ươn",
            gender: .male,
            birthYear: 1990,
            ethnicity: " Thái ",
            phone: "+84 981 234 567",
            role: .leader,
            affiliation: .hamletHead,
            hasSmartphone: true,
            referenceYear: 2023
        )
        #expect(member.fullName.value == "lò văn ươn")
        #expect(member.ethnicity == "Thái")
        #expect(member.phone?.national == "0981234567")

        #expect(throws: ValidationError.self) {
            try Member(
                fullName: "Lò Văn Ươn",
                gender: nil,
                birthYear: 2015,
                ethnicity: nil,
                phone: nil,
                role: .member,
                affiliation: .other,
                hasSmartphone: false,
                referenceYear: 2023
            )
        }
        #expect(throws: ValidationError.self) {
            try Member(
                fullName: "Lò Văn Ươn",
                gender: nil,
                birthYear: nil,
                ethnicity: nil,
                phone: "12345",
                role: .member,
                affiliation: .other,
                hasSmartphone: false
            )
        }
    }

    @Test func nationalUnitsNeedAParentThatFitsTheirLevel() throws {
        let tinh = try #require(DivisionType(rawValue: "tinh"))
        #expect(throws: ValidationError.self) {
            try AdministrativeUnit(code: 116, name: "Thành phố Sơn La", level: .district, divisionType: tinh, parentCode: nil, displayOrder: 1)
        }
        #expect(throws: ValidationError.self) {
            try AdministrativeUnit(code: 14, name: "Sơn La", level: .hamlet, divisionType: tinh, parentCode: 1, displayOrder: 1)
        }
        #expect(DivisionType(rawValue: "Thành phố") == nil)
    }

    @Test func guidanceActivitiesCountResidents() {
        #expect(throws: ValidationError.self) { try GuidanceActivity(heldOn: .now, topic: .eCommerce, residentsReached: -1) }
    }
}
