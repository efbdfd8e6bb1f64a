import Conversation
import Foundation
import Postgres
import Store

/// The one door every change of a flow goes through, inside the update's transaction:
/// the actor's role is read again (and held until the commit, so a role revoked meanwhile
/// cannot slip under the change), the flow's access is checked, the change runs, and the
/// audit row is written — for a staff action allowed or refused, for anyone's refused
/// step. Stores do data only; policy and audit live here.
struct ChangeRunner: FlowSession {
    let db: PostgresConnection
    let store: FlowStore
    let person: Int64
    /// `ADMIN_IDS`: super admins whatever is stored.
    let owners: [Int64]
    let now: Date

    var reads: any StoreReads { store }

    func run<Change: FlowChange>(_ change: Change, flow: FlowID, access: Access, step: String) throws -> Change.Outcome? {
        let role = try Self.role(of: person, owners: owners, in: db, lock: true)
        guard access.allows(role) else {
            try record(change.audit(of: nil) ?? .attempt(flow: flow, step: step), allowed: false)
            return nil
        }
        let outcome = try change.apply(to: store, by: Actor(id: person, role: role))
        if let entry = change.audit(of: outcome) {
            try record(entry, allowed: true)
        } else if access.isStaff {
            try record(.attempt(flow: flow, step: step), allowed: true)
        }
        return outcome
    }

    func refused(_ attempt: AuditAction) throws {
        try record(attempt, allowed: false)
    }

    /// The person's role: owners are super admins, staff added in the bot have their
    /// stored role, everyone else is a client.
    static func role(of person: Int64, owners: [Int64], in db: PostgresConnection, lock: Bool = false) throws -> Role {
        try AdminStore(connection: db).role(of: person, owners: owners, lock: lock).flatMap(Role.init(storedName:)) ?? .client
    }

    private func record(_ action: AuditAction, allowed: Bool) throws {
        let details = action.details.mapValues { value -> Any in
            switch value {
            case .int(let number): return number
            case .text(let text): return text
            case .time(let time): return ISO8601DateFormatter().string(from: time)
            }
        }
        try AuditLog(connection: db).record(actor: person, action: action.name, target: action.target, details: details,
                                            allowed: allowed, at: now)
    }
}
