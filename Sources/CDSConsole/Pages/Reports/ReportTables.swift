import CDSReports

/// The admin API's reports as tables in the visitor's language: the columns the province's forms use, numbers
/// grouped as Vietnamese write them.
struct ReportTables {
    let words: Catalogue
    let language: String

    private func column(_ key: String, number: Bool = false) -> TableModel.Column {
        TableModel.Column(title: words.text(key, language), number: number)
    }

    private var yes: String { words.text("yes", language) }
    private var no: String { words.text("no", language) }

    /// The establishment table as the province's report prints it, with its total line.
    func establishment(_ rows: [EstablishmentReport.Row], total: EstablishmentReport.Row) -> TableModel {
        var table = TableModel([
            column("report_order"), column("report_district"), column("report_commune_teams", number: true),
            column("report_hamlet_teams", number: true), column("report_commune_team_members", number: true),
            column("report_hamlet_team_members", number: true), column("report_hamlets_without_team", number: true),
        ])
        for row in rows + [total] {
            let isTotal = row.order == 0
            table.append(
                [
                    isTotal ? "" : String(row.order), isTotal ? words.text("report_total", language) : row.districtName,
                    VietnameseFormat.number(row.communeTeams), VietnameseFormat.number(row.hamletTeams),
                    VietnameseFormat.number(row.communeTeamMembers), VietnameseFormat.number(row.hamletTeamMembers),
                    VietnameseFormat.number(row.hamletsWithoutTeam),
                ],
                total: isTotal
            )
        }
        return table
    }

    /// Per commune: its hamlets with and without an active team, and whether it has its commune team.
    func coverage(_ rows: [CoverageReport.Row], districtNames: [Int: String]) -> TableModel {
        var table = TableModel([
            column("report_district"), column("report_commune"), column("report_commune_team"), column("report_hamlets", number: true),
            column("report_hamlets_with_team", number: true), column("report_hamlets_without_team", number: true),
        ])
        for row in rows {
            table.append([
                districtNames[row.districtCode] ?? String(row.districtCode), row.communeName, row.communeTeam ? yes : no,
                VietnameseFormat.number(row.hamlets), VietnameseFormat.number(row.hamletsWithTeam),
                VietnameseFormat.number(row.hamletsWithoutTeam),
            ])
        }
        return table
    }

    /// Per commune: the members of its active teams, how many are trained, how many have no smartphone.
    func trainings(_ rows: [TrainingCoverageReport.Row], districtNames: [Int: String]) -> TableModel {
        var table = TableModel([
            column("report_district"), column("report_commune"), column("report_members", number: true),
            column("report_trained", number: true), column("report_trained_share", number: true),
            column("report_without_smartphone", number: true),
        ])
        for row in rows {
            table.append([
                districtNames[row.districtCode] ?? String(row.districtCode), row.communeName, VietnameseFormat.number(row.members),
                VietnameseFormat.number(row.trained), VietnameseFormat.percent(row.trained, of: row.members),
                VietnameseFormat.number(row.withoutSmartphone),
            ])
        }
        return table
    }

    /// Per month and topic: the guidance activities and the residents they reached.
    func activities(_ rows: [ActivityTotalsReport.Row]) -> TableModel {
        var table = TableModel([
            column("report_month"), column("activity_topic"), column("report_activities", number: true),
            column("report_residents_reached", number: true),
        ])
        for row in rows {
            let month = row.month.split(separator: "-")
            table.append([
                month.count == 2 ? "\(month[1])/\(month[0])" : row.month, words.text("activity_topic_\(row.topic)", language),
                VietnameseFormat.number(row.activities), VietnameseFormat.number(row.residentsReached),
            ])
        }
        return table
    }
}
