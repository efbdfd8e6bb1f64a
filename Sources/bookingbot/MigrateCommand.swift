import ArgumentParser
import Postgres
import Store

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations (safe to run from several processes at once).")

    @Flag(help: "Add two demo services when there are none (the offline Sandbox demo).") var demoServices = false

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
            if demoServices, try ServiceStore(connection: connection).bookable().isEmpty {
                let store = ServiceStore(connection: connection)
                _ = try store.create(name: "Haircut", durationMinutes: 60, description: "Wash, cut and style", priceText: "1500 ₽",
                                     priceAmount: 1500, displayOrder: 1)
                _ = try store.create(name: "Beard trim", durationMinutes: 30, priceText: "700 ₽", priceAmount: 700, displayOrder: 2)
                logger.info("demo services added")
            }
        } catch {
            logger.error("migrate failed: \(error)")
            throw ExitCode(1)
        }
    }
}
