/// Splits a SQL script into its statements.
///
/// PostgreSQL's extended query protocol, the only one postgres-nio speaks, takes one statement at a
/// time. The split respects everything in which a `;` does not end a statement: quoted strings and
/// identifiers, `E'...'` escapes, dollar-quoted bodies (`$$ ... $$`, `$fn$ ... $fn$`) and comments.
enum SQLScript {
    static func statements(_ script: String) -> [String] {
        let scalars = Array(script.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0

        func flush() {
            let statement = String(current).trimmingWhitespace()
            if !statement.isEmpty && !statement.isOnlyComments { statements.append(statement) }
            current = String.UnicodeScalarView()
        }
        func append(upTo end: Int) {
            current.append(contentsOf: scalars[index..<min(end, scalars.count)])
            index = min(end, scalars.count)
        }

        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            switch scalar {
            case "-" where next == "-":
                append(upTo: (scalars[index...].firstIndex(of: "\n") ?? scalars.count) + 1)
            case "/" where next == "*":
                append(upTo: blockCommentEnd(scalars, from: index))
            case "'", "\"":
                let escapes = scalar == "'" && index > 0 && ["E", "e"].contains(scalars[index - 1])
                append(upTo: quotedEnd(scalars, from: index, quote: scalar, backslashEscapes: escapes))
            case "$":
                if let tagEnd = dollarTagEnd(scalars, from: index) {
                    let tag = Array(scalars[index...tagEnd])
                    append(upTo: closingTagEnd(scalars, from: tagEnd + 1, tag: tag))
                } else {
                    append(upTo: index + 1)
                }
            case ";":
                index += 1
                flush()
            default:
                append(upTo: index + 1)
            }
        }
        flush()
        return statements
    }

    private static func blockCommentEnd(_ s: [Unicode.Scalar], from start: Int) -> Int {
        var depth = 0
        var i = start
        while i + 1 < s.count {
            if s[i] == "/" && s[i + 1] == "*" {
                depth += 1
                i += 2
                continue
            }
            if s[i] == "*" && s[i + 1] == "/" {
                depth -= 1
                i += 2
                if depth == 0 { return i }
                continue
            }
            i += 1
        }
        return s.count
    }

    private static func quotedEnd(_ s: [Unicode.Scalar], from start: Int, quote: Unicode.Scalar, backslashEscapes: Bool) -> Int {
        var i = start + 1
        while i < s.count {
            if backslashEscapes && s[i] == "\\" {
                i += 2
                continue
            }
            if s[i] == quote {
                if i + 1 < s.count && s[i + 1] == quote {
                    i += 2
                    continue
                }
                return i + 1
            }
            i += 1
        }
        return s.count
    }

    /// The index of the closing `$` of a dollar-quote tag that starts at `start`, if it is one.
    private static func dollarTagEnd(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        // A `$` right after an identifier character is part of a name or a parameter, not a quote.
        if start > 0, s[start - 1].properties.isAlphabetic || ("0"..."9").contains(s[start - 1]) || s[start - 1] == "_" {
            return nil
        }
        var i = start + 1
        while i < s.count {
            if s[i] == "$" { return i }
            guard s[i].properties.isAlphabetic || s[i] == "_" || (i > start + 1 && ("0"..."9").contains(s[i])) else { return nil }
            i += 1
        }
        return nil
    }

    private static func closingTagEnd(_ s: [Unicode.Scalar], from start: Int, tag: [Unicode.Scalar]) -> Int {
        var i = start
        while i + tag.count <= s.count {
            if s[i] == "$" && Array(s[i..<i + tag.count]) == tag { return i + tag.count }
            i += 1
        }
        return s.count
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let scalars = unicodeScalars.drop(while: { $0.properties.isWhitespace }).reversed().drop(while: { $0.properties.isWhitespace })
        return String(String.UnicodeScalarView(scalars.reversed()))
    }

    fileprivate var isOnlyComments: Bool {
        split(separator: "\n").allSatisfy { line in
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            return trimmed.isEmpty || trimmed.hasPrefix("--")
        }
    }
}
