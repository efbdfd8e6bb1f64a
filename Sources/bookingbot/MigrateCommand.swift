import ArgumentParser
import Foundation
import Postgres
import Store

struct MigrateCommand: ParsableCommand {
    /// Whether the Bot API is the Sandbox: a loopback address.
    static func isSandbox(_ apiURL: String) -> Bool {
        guard let host = URLComponents(string: apiURL)?.host else { return false }
        return ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
    }

    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations (safe to run from several processes at once).")

    @Flag(help: "Add two demo services when there are none (the offline Sandbox demo only).") var demoServices = false

    func run() throws {
        let context = try ProcessContext.start(process: "migrate")
        let logger = context.logger
        // Made-up services must never reach real clients: a real business adds its own in
        // the bot (/admin → Services), so the demo is refused unless Telegram is the
        // Sandbox on this machine.
        if demoServices, !Self.isSandbox(context.config.telegram.apiURL) {
            logger.error("--demo-services is for the offline Sandbox only; add services in the bot: /admin → Services")
            throw ExitCode(2)
        }
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
