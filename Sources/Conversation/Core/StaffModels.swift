import Foundation

/// Someone on the business's staff (SPEC admin 11): an owner (`ADMIN_IDS`, no row in
/// `admins`) or a person added in the bot, with what the admins list shows of them.
public struct StaffMember: Sendable, Equatable {
    public var id: Int64
    /// In `ADMIN_IDS`: a super admin nobody can demote or remove from inside the bot.
    public var isOwner: Bool
    /// `.superAdmin` or `.moderator`.
    public var role: Role
    /// The business's name for them (`admins.display_name`), if given.
    public var displayName: String?
    /// Their Telegram names as last seen (nil: they never wrote to the bot).
    public var firstName: String?
    public var username: String?
    /// Who added them, and that person's Telegram first name (nil for owners).
    public var addedBy: Int64?
    public var addedByName: String?

    public init(id: Int64, isOwner: Bool, role: Role, displayName: String? = nil, firstName: String? = nil, username: String? = nil,
                addedBy: Int64? = nil, addedByName: String? = nil) {
        self.id = id
        self.isOwner = isOwner
        self.role = role
        self.displayName = displayName
        self.firstName = firstName
        self.username = username
        self.addedBy = addedBy
        self.addedByName = addedByName
    }
}

/// Why the store would not make a change of the staff, decided in the change's
/// transaction with the rows locked (the screens only hide what they cannot offer).
public enum StaffRefusal: String, Sendable, Equatable, CaseIterable {
    /// The person never started the bot: no `users` row, nobody to tell.
    case notRegistered = "not_registered"
    case alreadyStaff = "already_staff"
    /// Not (or no longer) staff added in the bot.
    case notStaff = "not_staff"
    /// `ADMIN_IDS`: never changed from inside the bot.
    case owner
    /// Nobody changes or removes themselves.
    case themselves
    /// The change would leave no super admin (owners count).
    case lastSuperAdmin = "last_super_admin"
    /// `MAX_ADMIN_ADDITIONS_PER_HOUR` additions by this admin within the last hour.
    case hourlyLimit = "hourly_limit"
    /// The role asked for is the one they have.
    case unchanged
}

/// What the store decided on a change of the staff: the member as they are now (removed:
/// as they were), or why not.
public enum StaffChangeResult: Sendable, Equatable {
    case done(StaffMember)
    case refused(StaffRefusal)

    public var refusal: StaffRefusal? {
        if case .refused(let why) = self { return why }
        return nil
    }
}
