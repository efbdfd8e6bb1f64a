import ArgumentParser
import Foundation

/// A subcommand whose process a later issue builds: it says so and exits 2, so that a
/// Procfile or unit that starts it early fails loudly instead of idling.
protocol PendingCommand: ParsableCommand {
    static var pendingIssue: String { get }
}

extension PendingCommand {
    func run() throws {
        let name = Self.configuration.commandName ?? "command"
        FileHandle.standardError.write(Data("bookingbot \(name): not implemented yet (\(Self.pendingIssue))\n".utf8))
        throw ExitCode(2)
    }
}

struct BackupCommand: PendingCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Dump the database with pg_dump and prune old dumps.")
    static let pendingIssue = "the operations issue"
}
