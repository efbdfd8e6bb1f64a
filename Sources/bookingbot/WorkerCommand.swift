import ArgumentParser
import Booking
import Composition
import Conversation
import ErrorCapture
import Foundation
import Postgres
import Redis
import Store
import Worker

struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Claim chats from the queue and run their updates in order against PostgreSQL.")

    @Option(help: "Independent loops in this process, each with its own connections.") var concurrency = 1
    @Option(help: "Seconds a claimed chat stays this worker's without a heartbeat; after a crash, others take it then.")
    var lease: Double = 30

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be 1–64") }
        guard (1...300).contains(lease) else { throw ValidationError("--lease must be 1–300 seconds") }
    }

    func run() throws {
        let context = try ProcessContext.start(process: "worker")
        let config = context.config
        let token = try context.botToken()
        RedisDurability.warnAtStart(config, logger: context.logger)
        let defaults = BookingRules(defaults: config.rules)
        var settings = WorkerProcess.Settings(
                concurrency: concurrency, name: context.instanceName,
                redis: RedisEndpoint(config.redis), prefix: config.redis.prefix, databaseURL: config.databaseURL,
                telegramURL: config.telegram.apiURL, token: token, defaults: defaults, owners: config.adminIDs,
                dialogue: context.dialogueSettings(defaults),
                lease: lease,
                messageWindow: config.rules.rateLimitMessageSeconds, buttonWindow: config.rules.rateLimitCallbackSeconds,
                errorContext: EventContext(process: "worker", version: BuildInfo.version, gitSHA: BuildInfo.gitSHA,
                                           environment: config.sentry.environment),
                errorQueueMax: config.sentry.queueMax)
        settings.sendRatePerSecond = config.telegram.sendRatePerSecond
        settings.chatSendRatePerSecond = config.telegram.chatSendRatePerSecond
        settings.databaseLimits = PostgresSessionLimits(config.database)
        settings.tracesSampleRate = config.sentry.enabled ? config.sentry.tracesSampleRate : 0
        let worker = WorkerProcess(settings: settings, logger: context.logger)
        let stopRequested = ShutdownSignal.listen()
        worker.start()
        stopRequested.wait()
        context.logger.info("stopping: finishing the updates in hand")
        let clean = worker.stop(grace: config.shutdownGraceSeconds)
        context.logger.info(clean ? "worker stopped" : "worker stopped with work in hand (its chats were given back for others to take)")
        context.exit()
    }
}
