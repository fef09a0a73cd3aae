/// The records a push sends again exactly as the registry holds them (their digest is an active row's): never
/// staged, neither checked nor merged, only remembered here — by digest, with the position of the first copy — so
/// that the push still knows them. What a FULL push leaves out is among the rows whose digest it did not see again;
/// an external id sent twice is refused the second time, whichever copy was the unchanged one.
///
/// On a nightly re-push that is all but a few thousand of a district's records: the staging table, its indexes and
/// every set-wise check then see those few thousand.
struct ResentRecords {
    /// What the push did with a record it was sent.
    enum Outcome {
        /// A record to stage: new, changed, invalid or a tombstone.
        case stage
        /// The registry holds it as sent: passed over.
        case passedOver
        /// A second copy of a record passed over: refused.
        case duplicate
    }

    /// The digests of the source's active rows of the district when the push began.
    private let held: Set<Int64>
    /// The held digests the push sent again, each with the position of its first copy.
    private var firstCopy: [Int64: Int] = [:]
    /// Records passed over, by kind, less the copies refused afterwards.
    private(set) var counts: [StagedRecord.Kind: Int64] = [:]
    /// Copies refused as duplicates without being staged, by kind.
    private(set) var refused: [StagedRecord.Kind: Int64] = [:]

    init(held: Set<Int64>) {
        self.held = held
    }

    mutating func take(_ record: StagedRecord) -> Outcome {
        guard let digest = record.digest, held.contains(digest) else { return .stage }
        guard firstCopy[digest] == nil else {
            refused[record.kind, default: 0] += 1
            return .duplicate
        }
        firstCopy[digest] = record.position
        counts[record.kind, default: 0] += 1
        return .passedOver
    }

    /// Where the first copy of the record with `digest` stood, if it was passed over.
    func position(of digest: Int64) -> Int? {
        firstCopy[digest]
    }

    /// A record passed over is refused after all: a changed copy of it came earlier in the push.
    mutating func refuse(_ kind: StagedRecord.Kind) {
        counts[kind, default: 0] -= 1
        refused[kind, default: 0] += 1
    }

    /// The held digests the push did not send again: a row that a FULL push leaves out has one of these or none.
    var notResent: [Int64] {
        held.filter { firstCopy[$0] == nil }
    }
}
