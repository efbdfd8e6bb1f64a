import Texts

/// The check of a staff member's display name (`admins.display_name`), pure, shared by the
/// admins screens and the field editor so both accept exactly the same texts.
public enum AdminDisplayNameInput {
    /// `admins.display_name`'s CHECK, in code points.
    public static let length = 1...64

    /// The answer on one line, without control characters.
    public static func clean(_ text: String) -> String {
        ServiceInput.clean(text)
    }

    /// Why the (cleaned) name cannot be stored, or nil.
    public static func problem(_ name: String) -> FieldProblem? {
        guard length.contains(name.count), name.unicodeScalars.count <= length.upperBound else {
            return .length(min: length.lowerBound, max: length.upperBound)
        }
        guard name.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.generalCategory == .decimalNumber }) else {
            return .needsLetterOrDigit
        }
        return nil
    }
}
