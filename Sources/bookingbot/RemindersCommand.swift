import ArgumentParser
import Booking
import Composition
import Conversation
import Foundation
import Postgres
import Redis
import Reminders

struct RemindersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reminders",
        abstract: "Send due reminders and review requests; send replies left unsent; mark finished visits completed.")

    @Option(help: "Seconds to rest between rounds that found nothing to do.") var tick: Double = 1
    @Option(help: "Broadcast recipients recorded (with their outbox rows) per transaction, one batch a round.")
    var broadcastBatch: Int = 200

    func validate() throws {
        guard (0.05...60).contains(tick) else { throw ValidationError("--tick must be 0.05–60 seconds") }
        guard (1...10_000).contains(broadcastBatch) else { throw ValidationError("--broadcast-batch must be 1–10000") }
    }

    func run() throws {
        let context = try ProcessContext.start(process: "reminders")
        let config = context.config
        let token = try context.botToken()
        let defaults = BookingRules(defaults: config.rules)
        var settings = RemindersProcess.Settings(
            name: context.instanceName,
            redis: RedisEndpoint(config.redis), prefix: config.redis.prefix, databaseURL: config.databaseURL,
            telegramURL: config.telegram.apiURL, token: token, defaults: defaults,
            dialogue: context.dialogueSettings(defaults),
            sendRatePerSecond: config.telegram.sendRatePerSecond)
        settings.tick = tick
        settings.broadcastBatch = broadcastBatch
        settings.chatSendRatePerSecond = config.telegram.chatSendRatePerSecond
        settings.databaseLimits = PostgresSessionLimits(config.database)
        settings.outboxRetention = Double(config.database.outboxRetentionDays) * 86_400
        let process = RemindersProcess(settings: settings, logger: context.logger)
        let stopRequested = ShutdownSignal.listen()
        process.start()
        stopRequested.wait()
        context.logger.info("stopping: finishing the round in hand")
        let clean = process.stop(grace: config.shutdownGraceSeconds)
        context.logger.info(clean ? "reminders stopped" : "reminders stopped with a round in hand (its transaction rolls back)")
        context.exit()
    }
}
