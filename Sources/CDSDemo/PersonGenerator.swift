import CDSCore
import CDSDatabase
import CDSReports

/// Plausible members for a Sơn La team: names with full diacritics that follow the naming of each
/// ethnic group, birth years, Vietnamese mobile numbers, affiliations, some without a smartphone.
struct PersonGenerator {
    struct Person {
        var fullName: String
        var gender: Member.Gender
        var birthYear: Int
        var ethnicity: String
        var phone: String?
        var affiliation: Member.Affiliation
        var hasSmartphone: Bool
        var trained: Bool
    }

    private struct Ethnicity {
        let name: String
        let weight: Int
        let surnames: [String]
        let maleMiddle: [String]
        let femaleMiddle: [String]
        let maleGiven: [String]
        let femaleGiven: [String]
    }

    private static let commonMaleGiven = [
        "Anh", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Huy", "Khánh", "Long", "Minh", "Nam", "Quang", "Sơn", "Thắng", "Thành", "Toàn",
        "Trung", "Tuấn", "Việt",
    ]
    private static let commonFemaleGiven = [
        "Anh", "Dung", "Hà", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngọc", "Nhung", "Phương", "Thảo", "Thu", "Trang", "Vân", "Xuân", "Yến",
    ]

    // Shares follow the province's population by ethnic group (Thái about half, then Kinh, Mông, Mường).
    private static let ethnicities: [Ethnicity] = [
        Ethnicity(
            name: "Thái",
            weight: 53,
            surnames: ["Lò", "Cầm", "Quàng", "Lường", "Tòng", "Hoàng", "Vì", "Lù", "Điêu", "Bạc", "Khoàng"],
            maleMiddle: ["Văn"],
            femaleMiddle: ["Thị"],
            maleGiven: ["Ươn", "Ẳm", "Pọm", "Hặc", "Chăm", "Ún", "Xiêng", "Hoan", "Tính", "Panh"] + commonMaleGiven,
            femaleGiven: ["Ín", "Ơn", "Pọm", "Lả", "Chiên", "Xiêng", "Ỏn", "Pạnh", "Kim", "Thoa"] + commonFemaleGiven
        ),
        Ethnicity(
            name: "Kinh",
            weight: 17,
            surnames: ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Đinh"],
            maleMiddle: ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh"],
            femaleMiddle: ["Thị", "Thu", "Ngọc", "Thanh", "Minh"],
            maleGiven: commonMaleGiven,
            femaleGiven: commonFemaleGiven
        ),
        Ethnicity(
            name: "Mông",
            weight: 16,
            surnames: ["Giàng", "Sồng", "Mùa", "Thào", "Vàng", "Lầu", "Hờ", "Sùng", "Lý", "Cứ"],
            maleMiddle: ["A"],
            femaleMiddle: ["Thị"],
            maleGiven: ["Dế", "Lử", "Chớ", "Pó", "Súa", "Tủa", "Dình", "Chứ", "Sính", "Của"],
            femaleGiven: ["Mỷ", "Dua", "Sáy", "Pà", "Mai", "Dợ", "Chở", "Xua", "Ly", "Sua"]
        ),
        Ethnicity(
            name: "Mường",
            weight: 8,
            surnames: ["Đinh", "Hà", "Bùi", "Xa", "Quách"],
            maleMiddle: ["Văn", "Công"],
            femaleMiddle: ["Thị"],
            maleGiven: commonMaleGiven,
            femaleGiven: commonFemaleGiven
        ),
        Ethnicity(
            name: "Dao",
            weight: 2,
            surnames: ["Bàn", "Triệu", "Đặng", "Lý"],
            maleMiddle: ["Văn", "Tiến"],
            femaleMiddle: ["Thị"],
            maleGiven: commonMaleGiven,
            femaleGiven: commonFemaleGiven
        ),
        Ethnicity(
            name: "Khơ Mú",
            weight: 2,
            surnames: ["Lò", "Quàng", "Vì", "Lường"],
            maleMiddle: ["Văn"],
            femaleMiddle: ["Thị"],
            maleGiven: commonMaleGiven,
            femaleGiven: commonFemaleGiven
        ),
        Ethnicity(
            name: "Xinh Mun",
            weight: 1,
            surnames: ["Lò", "Vì", "Lường"],
            maleMiddle: ["Văn"],
            femaleMiddle: ["Thị"],
            maleGiven: commonMaleGiven,
            femaleGiven: commonFemaleGiven
        ),
        Ethnicity(
            name: "Kháng",
            weight: 1,
            surnames: ["Lò", "Quàng", "Lường"],
            maleMiddle: ["Văn"],
            femaleMiddle: ["Thị"],
            maleGiven: commonMaleGiven,
            femaleGiven: commonFemaleGiven
        ),
    ]

    private static let mobilePrefixes = [
        "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098", "081", "082", "083", "084", "085", "088", "091", "094",
        "070", "076", "077", "078", "079", "089", "090", "093",
    ]

    private static let otherAffiliations: [(Member.Affiliation, Int)] = [
        (.youthUnion, 25), (.womenUnion, 15), (.police, 8), (.teacher, 12), (.telecomStaff, 5), (.veteransAssociation, 5),
        (.farmersAssociation, 6), (.healthWorker, 4), (.partyCell, 6), (.resident, 14),
    ]

    var random: SeededGenerator

    /// A person; a team leader is usually the hamlet head (hamlet teams) or a commune official (commune teams).
    mutating func person(isLeader: Bool, communeLevel: Bool, referenceYear: Int) -> Person {
        let ethnicity = random.weighted(Self.ethnicities.map { ($0, $0.weight) })
        let gender: Member.Gender = random.chance(58) ? .male : .female
        let name = [
            ethnicity.surnames.randomElement(using: &random)!,
            (gender == .male ? ethnicity.maleMiddle : ethnicity.femaleMiddle).randomElement(using: &random)!,
            (gender == .male ? ethnicity.maleGiven : ethnicity.femaleGiven).randomElement(using: &random)!,
        ].joined(separator: " ")
        let affiliation: Member.Affiliation =
            isLeader ? (communeLevel ? .communeOfficial : .hamletHead) : random.weighted(Self.otherAffiliations)
        let hasSmartphone = isLeader || random.chance(86)
        let phone: String? =
            hasSmartphone || random.chance(60)
            ? Self.mobilePrefixes.randomElement(using: &random)! + String(format7: Int.random(in: 0..<10_000_000, using: &random))
            : nil
        return Person(
            fullName: name,
            gender: gender,
            birthYear: Int.random(in: (referenceYear - 62)...(referenceYear - 18), using: &random),
            ethnicity: ethnicity.name,
            phone: phone,
            affiliation: affiliation,
            hasSmartphone: hasSmartphone,
            trained: random.chance(isLeader ? 90 : 50)
        )
    }
}

extension String {
    fileprivate init(format7 number: Int) {
        let digits = String(number)
        self = String(repeating: "0", count: 7 - digits.count) + digits
    }
}
