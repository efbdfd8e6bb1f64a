/// The booking events staff can be told of (SPEC admin 14); each staff member turns each
/// on or off for themselves.
public enum NoticeKind: String, CaseIterable, Codable, Sendable {
    case newBooking = "new_booking"
    case cancellation
    case move
}
