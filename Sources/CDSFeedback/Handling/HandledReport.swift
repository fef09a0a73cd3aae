import CDSWire

/// A report as its handlers see it: everything public, the handling, the internal notes and, for those who may
/// handle it, the citizen's contact (each such read audited). The shape is ``Wire/HandledReport``.
typealias HandledReport = Wire.HandledReport
