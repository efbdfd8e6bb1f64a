import ArgumentParser
import ErrorCapture
import ErrorForwarder
import Foundation
import Keys
import Redis

struct ErrorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "errors",
        abstract: "Forward queued error events to Sentry (or any Sentry-compatible server).",
        subcommands: [ErrorsRunCommand.self, ErrorsTestCommand.self],
        defaultSubcommand: ErrorsRunCommand.self)
}

struct ErrorsRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the forwarder (the default).")

    func run() throws {
        let context = try ProcessContext.start(process: "errors", captureErrors: false)
        let sentry = context.config.sentry
        guard sentry.enabled, let dsn = sentry.dsn.flatMap(SentryDSN.init) else {
            context.logger.info("Sentry is off (no SENTRY_DSN, or SENTRY_ENABLED=false): nothing to forward; idling")
            ShutdownSignal.listen().wait()
            return
        }
        context.logger.info("Sentry initialized: \(sentry.environment) environment", metadata: ["dsn": "\(dsn.redacted)"])
        let forwarder = ErrorForwarder(settings: .init(redis: RedisEndpoint(context.config.redis), prefix: context.config.redis.prefix, dsn: dsn),
                                       logger: context.logger)
        let stopRequested = ShutdownSignal.listen()
        forwarder.start()
        stopRequested.wait()
        let clean = forwarder.stop(flush: 2)
        context.logger.info(clean ? "error forwarder stopped" : "error forwarder stopped; unsent events stay in Redis for the next start")
        context.exit()
    }
}

struct ErrorsTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Send one test event through the whole path (capture → Redis → forwarder → Sentry) and print its event_id.")

    @Option(help: "Seconds to wait for the forwarder to deliver it.") var timeout: Double = 30

    func run() throws {
        let context = try ProcessContext.start(process: "errors-test", captureErrors: false)
        let config = context.config
        guard config.sentry.enabled, config.sentry.dsn != nil else {
            FileHandle.standardError.write(Data("bookingbot errors test: Sentry is off: set SENTRY_DSN\n".utf8))
            throw ExitCode(2)
        }
        let reporter = ErrorReporter(config: config, process: "errors-test", version: BuildInfo.version, gitSHA: BuildInfo.gitSHA)
        guard let eventID = reporter.capture(message: "BookingBot test event: the error path works", level: .error) else {
            FileHandle.standardError.write(Data("bookingbot errors test: Redis did not take the event\n".utf8))
            throw ExitCode(1)
        }
        print(eventID)
        let redis = try RedisConnection(endpoint: RedisEndpoint(config.redis))
        let fateKey = RedisKeys(prefix: config.redis.prefix).errorFate(eventID)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            // "queued" is where the capture left it: not yet the forwarder's answer.
            if let fate = try redis.command("GET", fateKey).string, fate != "queued" {
                print(fate == "sent" ? "delivered to Sentry" : "not delivered: \(fate)")
                if fate != "sent" { throw ExitCode(1) }
                return
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        print("not delivered within \(Int(timeout)) s: is `bookingbot errors` running?")
        throw ExitCode(1)
    }
}
