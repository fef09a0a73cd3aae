import CDSCore
import CDSDatabase
import Foundation
import PostgresNIO

/// The province's shared reference data for feedback: the active categories, in display order, the working
/// calendar due times are counted on, and the communes in force with their districts, where reports are routed.
/// Small tables, no tenant scope; requests take it from a ``ReferenceCache``.
public struct FeedbackCatalogue: Sendable {
    public let categories: [FeedbackCategory]
    public let calendar: WorkingCalendar
    /// The district of each commune in force, by the commune's code.
    public let communeDistricts: [Int: Int]

    public func category(_ code: String) -> FeedbackCategory? {
        categories.first { $0.code == code }
    }

    public static func load(from database: Database) async throws -> FeedbackCatalogue {
        try await database.withConnection { connection in
            var categories: [FeedbackCategory] = []
            let rows = try await connection.query(
                """
                SELECT code, name, description, group_name, keywords, attributes::text, sla_working_days, handling_level
                FROM cds.feedback_categories WHERE active ORDER BY display_order, code
                """,
                logger: database.logger
            )
            for try await (code, name, description, group, keywords, attributes, days, level) in rows.decode(
                (String, String, String, String, [String], String, Int, String).self
            ) {
                categories.append(
                    FeedbackCategory(
                        code: code,
                        name: name,
                        description: description,
                        group: group,
                        keywords: keywords,
                        attributes: try JSONDecoder().decode([FeedbackCategory.Attribute].self, from: Data(attributes.utf8)),
                        slaWorkingDays: days,
                        handlingLevel: FeedbackCategory.HandlingLevel(rawValue: level) ?? .district
                    )
                )
            }
            var holidays: Set<LocalDay> = []
            for try await day in try await connection.query("SELECT day::text FROM cds.public_holidays", logger: database.logger)
                .decode(String.self)
            {
                if let day = LocalDay(day) { holidays.insert(day) }
            }
            var communeDistricts: [Int: Int] = [:]
            for try await (commune, district) in try await connection.query(
                "SELECT code, district_code FROM cds.units WHERE level = 'commune' AND (valid_to IS NULL OR valid_to > current_date)",
                logger: database.logger
            ).decode((Int, Int).self) {
                communeDistricts[commune] = district
            }
            return FeedbackCatalogue(
                categories: categories,
                calendar: WorkingCalendar(holidays: holidays),
                communeDistricts: communeDistricts
            )
        }
    }
}
