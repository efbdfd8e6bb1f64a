/// The worker's side of one update, inside its transaction: the reads, and the one door
/// every change goes through.
public protocol FlowSession {
    var reads: any StoreReads { get }
    /// Runs the change: for a staff flow after re-reading the actor's role (locking it
    /// until the commit) and re-checking `access`, a client flow's as the client; writes
    /// its audit row. A refusal is audited too and returns nil.
    func run<Change: FlowChange>(_ change: Change, flow: FlowID, access: Access, step: String) throws -> Change.Outcome?
    /// Records a step refused by the router (audit row with `allowed = false`).
    func refused(_ attempt: AuditAction) throws
}
