import CDSWire

/// A report as its handlers see it: everything public, the handling, the internal notes and, for those who may
/// handle it, the citizen's contact (each such read audited). The shape is ``Wire/HandledReport``.
typealias HandledReport = Wire.HandledReport

extension Wire.HandledReport {
    /// The report with the citizen's contact and its history, read after it.
    func with(contact: Contact?, updates: [Update]?) -> Self {
        Self(
            trackingCode: trackingCode,
            district: district,
            status: status,
            serviceCode: serviceCode,
            communeCode: communeCode,
            hamletCode: hamletCode,
            handlingLevel: handlingLevel,
            handlingUnit: handlingUnit,
            description: description,
            address: address,
            mediaURLs: mediaURLs,
            assigneeID: assigneeID,
            submittedAt: submittedAt,
            dueAt: dueAt,
            answeredAt: answeredAt,
            overdue: overdue,
            partnerID: partnerID,
            contact: contact,
            updates: updates
        )
    }
}
