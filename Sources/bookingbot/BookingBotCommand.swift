import ArgumentParser

/// `bookingbot <process>`: one executable, a subcommand per process (docs/design.md).
@main
struct BookingBotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bookingbot",
        abstract: "Appointment-booking Telegram bot: ingress, workers, reminders and error forwarder.",
        discussion: "Configuration comes from the environment and an optional .env file (see README).",
        subcommands: [
            IngressCommand.self, WorkerCommand.self, RemindersCommand.self, ErrorsCommand.self,
            MigrateCommand.self, StatusCommand.self, DeadCommand.self, BackupCommand.self, SandboxCommand.self,
            WebhookCommand.self, ConfigCommand.self,
        ])
}
