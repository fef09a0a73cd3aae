import NIOCore
import PostgresNIO

/// A calendar date in ISO form (`2024-06-30`), bound as PostgreSQL's `date` itself rather than as text cast in the
/// statement. The cast from text is a stable function (it reads `DateStyle`), and Citus refuses a stable function in
/// the `CASE` or `COALESCE` of an `UPDATE`; a parameter of type `date` is parsed once, when it is bound.
public struct CalendarDate: PostgresNonThrowingEncodable, Sendable {
    /// The date, already checked by the caller: the surfaces accept only `YYYY-MM-DD`.
    public let text: String

    public init(_ text: String) { self.text = text }

    public static var psqlType: PostgresDataType { .date }
    public static var psqlFormat: PostgresFormat { .text }

    public func encode<Encoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<Encoder>) {
        buffer.writeString(text)
    }
}

extension PostgresQuery.StringInterpolation {
    /// An ISO date, or NULL, bound as a `date` (``CalendarDate``). The parameter is written `$n::date`, so that a NULL,
    /// which goes without a type, is a date too (`$n IS NULL` alone has no type to infer); for a date the cast is none.
    public mutating func appendInterpolation(date text: String?) {
        appendInterpolation(text.map(CalendarDate.init))
        appendLiteral("::date")
    }
}
