/// The rules a console password must meet.
///
/// Length is what protects a password (NIST SP 800-63B): at least 10 characters, no composition rules, and at most
/// 72 bytes of UTF-8, the most that bcrypt reads (a longer one would be silently cut there).
public enum StaffPassword {
    public static let minimumLength = 10
    public static let maximumBytes = 72

    /// The password, checked against the rules; `accountName` is the account's own name, which it may not contain.
    public static func validated(_ password: String, accountName: String) throws(ValidationError) -> String {
        guard password.count >= minimumLength else {
            throw ValidationError(field: "password", code: .tooShort, message: "must have at least \(minimumLength) characters")
        }
        guard password.utf8.count <= maximumBytes else {
            throw ValidationError(field: "password", code: .tooLong, message: "must have at most \(maximumBytes) bytes")
        }
        guard !password.lowercased().contains(accountName.lowercased()) else {
            throw ValidationError(field: "password", code: .inconsistent, message: "must not contain the account's name")
        }
        return password
    }
}
