/// The worker's side of one update, inside its transaction: the reads, and the one door
/// every change goes through.
public protocol FlowSession {
    var reads: any StoreReads { get }
    /// Re-reads the actor's role (locking it until the commit), re-checks `access`, runs
    /// the change and writes its audit row; a refusal is audited too and returns nil.
    func run<Change: FlowChange>(_ change: Change, flow: FlowID, access: Access, step: String) throws -> Change.Outcome?
    /// Records a step refused by the router (audit row with `allowed = false`).
    func refused(_ attempt: AuditAction) throws
}
