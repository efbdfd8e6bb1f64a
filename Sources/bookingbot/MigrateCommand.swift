import ArgumentParser
import Postgres
import Store

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations (safe to run from several processes at once).")

    func run() throws {
        let context = try ProcessContext.start(process: "migrate")
        let logger = context.logger
        do {
            let connection = try PostgresConnection(url: context.config.databaseURL,
                                                    options: PostgresOptions(applicationName: "bookingbot-migrate"))
            let migrations = try Migration.bundled()
            let applied = try Migrator(connection: connection).migrate(migrations)
            if applied.isEmpty {
                logger.info("schema up to date", metadata: ["version": "\(migrations.last?.version ?? 0)"])
            } else {
                logger.info("migrations applied", metadata: ["versions": "\(applied.map(String.init).joined(separator: ","))"])
            }
        } catch {
            logger.error("migrate failed: \(error)")
            throw ExitCode(1)
        }
    }
}
