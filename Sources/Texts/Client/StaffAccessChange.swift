/// What changed in someone's staff access.
public enum StaffAccessChange: Sendable, Hashable {
    case added(superAdmin: Bool)
    case roleChanged(superAdmin: Bool)
    case removed
}
