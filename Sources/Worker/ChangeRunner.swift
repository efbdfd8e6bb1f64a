import Conversation
import Foundation
import Postgres
import Store

/// The one door every change of a flow goes through, inside the update's transaction:
/// for a staff flow the actor's role is read again (and held until the commit, so a role
/// revoked meanwhile cannot slip under the change) and the access checked; the change runs, and the
/// audit row is written — for a staff action allowed or refused, for anyone's refused
/// step. Stores do data only; policy and audit live here.
struct ChangeRunner: FlowSession {
    let db: PostgresConnection
    let reads: any StoreReads
    /// Reached only from `run`, after the access check: the flows' reads cannot change.
    private let changes: FlowChanges
    let person: Int64
    /// `ADMIN_IDS`: super admins whatever is stored.
    let owners: [Int64]
    let now: Date
    /// A refusal repeated within this time counts in the first one's row (`repeats`)
    /// instead of adding rows: forged presses cannot grow the audit log without bound.
    static let refusalWindow: TimeInterval = 3600

    init(db: PostgresConnection, reads: FlowReads, person: Int64, owners: [Int64], now: Date) {
        self.db = db
        self.reads = reads
        self.changes = FlowChanges(reads: reads)
        self.person = person
        self.owners = owners
        self.now = now
    }

    func run<Change: FlowChange>(_ change: Change, flow: FlowID, access: Access, step: String) throws -> Change.Outcome? {
        // A client flow acts as the client on their own bookings, whoever uses it (staff
        // included): the business's powers come only through staff flows, which are
        // audited. So only a staff flow's change needs the role (the hot path, booking,
        // reads nothing more).
        var actor = ChangeActor(id: person, role: .client)
        if access.isStaff {
            actor.role = try Self.role(of: person, owners: owners, in: db, lock: true)
            guard access.allows(actor.role) else {
                try refused(change.audit(of: nil) ?? .attempt(flow: flow, step: step))
                return nil
            }
        }
        let outcome = try change.apply(to: changes, by: actor)
        if let entry = change.audit(of: outcome) {
            try record(entry)
        } else if access.isStaff {
            try record(.attempt(flow: flow, step: step))
        }
        return outcome
    }

    func refused(_ attempt: AuditAction) throws {
        try AuditLog(connection: db).recordRefusal(actor: person, action: attempt.name, target: attempt.target,
                                                   details: Self.details(attempt), at: now, window: Self.refusalWindow)
    }

    /// The person's role: owners are super admins, staff added in the bot have their
    /// stored role, everyone else is a client.
    static func role(of person: Int64, owners: [Int64], in db: PostgresConnection, lock: Bool = false) throws -> Role {
        role(named: try AdminStore(connection: db).role(of: person, owners: owners, lock: lock))
    }

    /// The role of a person whose staff role is `stored` (as `AdminStore.role` gives it).
    static func role(named stored: String?) -> Role {
        stored.flatMap(Role.init(storedName:)) ?? .client
    }

    private func record(_ action: AuditAction) throws {
        try AuditLog(connection: db).record(actor: person, action: action.name, target: action.target, details: Self.details(action),
                                            allowed: true, at: now)
    }

    private static func details(_ action: AuditAction) -> [String: Any] {
        action.details.mapValues { value -> Any in
            switch value {
            case .int(let number): return number
            case .text(let text): return text
            case .time(let time): return time.formatted(.iso8601)
            }
        }
    }
}
