import Booking
import Foundation
import Postgres

/// What an update's turn reads before its flow runs.
public struct TurnContext: Sendable {
    /// The person wrote to the bot for the first time.
    public let isNewUser: Bool
    public let rules: BookingRules
    public let serviceLocation: String?
    public let contact: String?
    /// As `AdminStore.role` gives it: `super_admin` or `moderator`, nil for a client.
    public let staffRole: String?
    /// The chat's stored conversation JSON, nil for a first contact; locked until the
    /// transaction ends.
    public let conversation: String?
}

/// Reads a turn's context in one statement (one round trip instead of four): the person
/// registered as `ClientStore.register` does, the settings as `SettingsStore.inForce`
/// reads them, the role as `AdminStore.role`, the conversation locked as
/// `ConversationStore.load` — their SQL and their decoding, run together.
///
/// The parts run in the order written (sub-selects of one row, evaluated left to right; the
/// first reads the upsert's CTE, which runs then): the user's row is locked before the
/// conversation's, as when they were four statements, so one person's turns
/// (in two chats, say) still take turns. One statement has one snapshot, taken before any
/// wait for those locks: a conversation row changed by the turn waited for is read as it
/// committed (FOR UPDATE reads the newest version), while the settings and the role are as
/// of the statement's start — as they may be for anyone's turn that starts while a change
/// commits; a staff change reads the role again, locked (`ChangeRunner`). A conversation
/// row first saved by a turn of the same chat waited for would not be seen: two turns of
/// one chat at once are what the chat's lease excludes.
public struct TurnContextStore {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    /// Call it inside the update's transaction: the locks are held until its end.
    public func read(person: Int64, firstName: String, lastName: String? = nil, username: String? = nil, languageCode: String? = nil,
                     chat: Int64, owners: [Int64], defaults: BookingRules, now: Date) throws -> TurnContext {
        guard db.inTransaction else { throw PostgresError.misuse("a turn's context is read inside the update's transaction") }
        let row = try db.query(Self.sql, ClientStore.registerParameters(id: person, firstName: firstName, lastName: lastName,
                                                                         username: username, languageCode: languageCode, now: now)
                                          + [.int(chat)])[0]
        let settings: [[String]] = try row.isNull("settings") ? [] : row.json("settings")
        let stored = try settings.map { pair in
            guard pair.count == 2 else { throw PostgresError.decoding("settings: a pair of key and value expected") }
            return (key: pair[0], json: pair[1])
        }
        let inForce = SettingsStore.inForce(defaults: defaults, stored: stored)
        return TurnContext(isNewUser: try row.get("is_new"), rules: inForce.rules, serviceLocation: inForce.serviceLocation,
                           contact: inForce.contact,
                           staffRole: AdminStore.role(stored: try row.get("role"), of: person, owners: owners),
                           conversation: try row.get("conversation"))
    }

    /// `$1`–`$6`: the user's upsert (`$1` the person), `$7` the chat. The upsert returns no
    /// row for a returning user whose profile is unchanged: not new.
    static let sql = """
        WITH registered AS (
        \(ClientStore.registerSQL)
        )
        SELECT coalesce((SELECT inserted FROM registered), false) AS is_new,
               (SELECT json_agg(json_build_array(s.key, s.value)) FROM (\(SettingsStore.readSQL)) AS s) AS settings,
               (\(AdminStore.roleSQL(person: "$1"))) AS role,
               (\(ConversationStore.lockedLoadSQL(chat: "$7", user: "$1"))) AS conversation
        """
}
