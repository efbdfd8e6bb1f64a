import ArgumentParser
import Foundation
import HTTP
import Telegram

/// `bookingbot webhook set|delete|info`: registers the webhook with Telegram. Ingress
/// never does this by itself, so that starting a second ingress cannot move the webhook.
struct WebhookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Register, remove or show the Telegram webhook (uses WEBHOOK_URL and WEBHOOK_SECRET).",
        subcommands: [Set.self, Delete.self, Info.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Point Telegram at WEBHOOK_URL (or --url) with WEBHOOK_SECRET.")
        @Option(help: "Overrides WEBHOOK_URL.") var url: String?
        @Flag(help: "Drop the updates Telegram holds for the bot.") var dropPending = false

        func run() throws {
            let (context, client) = try WebhookCommand.client()
            guard let target = url ?? context.config.telegram.webhookURL else {
                throw WebhookCommand.configError("WEBHOOK_URL: is required (or pass --url)")
            }
            try WebhookCommand.telegram {
                try client.setWebhook(url: target, secretToken: context.config.telegram.webhookSecret, dropPendingUpdates: dropPending)
            }
            print("webhook set: \(target)\(context.config.telegram.webhookSecret == nil ? " (no secret token: set WEBHOOK_SECRET, or `ingress --webhook` will not start)" : "")")
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the webhook (back to polling).")
        @Flag(help: "Drop the updates Telegram holds for the bot.") var dropPending = false

        func run() throws {
            let (_, client) = try WebhookCommand.client()
            try WebhookCommand.telegram { try client.deleteWebhook(dropPendingUpdates: dropPending) }
            print("webhook deleted")
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show what Telegram knows of the webhook.")

        func run() throws {
            let (_, client) = try WebhookCommand.client()
            let info = try WebhookCommand.telegram { try client.getWebhookInfo() }
            print("url: \(info.url.isEmpty ? "(none: polling)" : info.url)")
            print("pending updates: \(info.pendingUpdateCount)")
            if let error = info.lastErrorMessage { print("last error: \(error)") }
        }
    }

    static func client() throws -> (ProcessContext, TelegramClient) {
        let context = try ProcessContext.start(process: "webhook")
        guard let token = context.config.telegram.botToken else { throw configError("BOT_TOKEN: is required") }
        return (context, TelegramClient(baseURL: context.config.telegram.apiURL, token: token))
    }

    static func configError(_ text: String) -> ExitCode {
        FileHandle.standardError.write(Data("bookingbot webhook: config error: \(text)\n".utf8))
        return ExitCode(2)
    }

    /// Runs a Bot API call; a failure prints Telegram's description (never the token) and exits 1.
    static func telegram<T>(_ call: () throws -> T) throws -> T {
        do {
            return try call()
        } catch {
            FileHandle.standardError.write(Data("bookingbot webhook: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
