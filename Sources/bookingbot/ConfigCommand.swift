import ArgumentParser

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check the configuration and print it, secrets masked.")

    func run() throws {
        let context = try ProcessContext.start(process: "config")
        for line in context.config.redactedLines() { print(line) }
    }
}
