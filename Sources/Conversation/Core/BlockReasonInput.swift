import Texts

/// The check of a block's reason (SPEC admin 7, 10), pure, shared by the blocking screens
/// and the field editor so both accept exactly the same texts. `blocks.reason` holds at
/// most 500 code points (its CHECK); a reason is what each affected client is told, so it
/// must say something: a letter or a digit, not only emoji or dashes.
public enum BlockReasonInput {
    public static let length = 3...500

    /// The answer on one line, without control characters (a reason is quoted inside a
    /// client's message), and without the spaces around it (`ServiceInput.clean` trims only
    /// when it dropped a control character).
    public static func clean(_ text: String) -> String {
        ServiceInput.clean(text).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Why the (cleaned) reason cannot be stored, or nil.
    public static func problem(_ reason: String) -> FieldProblem? {
        guard length.contains(reason.count), reason.unicodeScalars.count <= length.upperBound else {
            return .length(min: length.lowerBound, max: length.upperBound)
        }
        guard reason.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.generalCategory == .decimalNumber }) else {
            return .needsLetterOrDigit
        }
        return nil
    }
}
