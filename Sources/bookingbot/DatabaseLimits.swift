import Config
import Postgres

extension PostgresSessionLimits {
    /// The configured bounds of a long-running process's database sessions.
    init(_ settings: DatabaseSettings) {
        self.init(statementTimeout: settings.statementTimeout, lockTimeout: settings.lockTimeout,
                  idleInTransactionTimeout: settings.idleInTransactionTimeout)
    }
}
