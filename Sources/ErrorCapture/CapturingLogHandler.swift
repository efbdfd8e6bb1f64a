import Foundation
import Logging

/// Hands events to an `ErrorReporter` on a thread of its own, so that capturing never
/// blocks the caller (a log line in Hummingbird's event loop, a worker mid-update): the
/// events wait in a bounded buffer; past it they are dropped and counted.
public final class EventSink: @unchecked Sendable {
    public let context: EventContext
    private let reporter: ErrorReporter
    private let capacity: Int
    private let state = NSCondition()
    private var buffer: [ErrorEvent] = []
    private var overflow = 0

    public init(reporter: ErrorReporter, capacity: Int = 1000) {
        self.reporter = reporter
        self.context = reporter.context
        self.capacity = capacity
        let thread = Thread { [self] in run() }
        thread.name = "error-capture"
        thread.start()
    }

    public func submit(_ event: ErrorEvent) {
        state.withLock {
            guard buffer.count < capacity else {
                overflow += 1
                return
            }
            buffer.append(event)
            state.signal()
        }
    }

    /// Events dropped because the buffer was full or Redis did not answer.
    public var dropped: Int { state.withLock { overflow } + reporter.dropped }

    /// Waits up to `timeout` for the buffer to empty (a process about to exit).
    public func flush(timeout: TimeInterval) {
        state.withLock {
            let deadline = Date().addingTimeInterval(timeout)
            while !buffer.isEmpty && state.wait(until: deadline) {}
        }
    }

    private func run() {
        while true {
            let event: ErrorEvent = state.withLock {
                while buffer.isEmpty { state.wait() }
                return buffer.removeFirst()
            }
            reporter.push(event)
            state.withLock { state.broadcast() }
        }
    }
}

/// A log handler that also turns lines at or above `threshold` (`SENTRY_LEVEL`) into
/// Sentry events, so every process's errors reach Sentry without a call of their own.
public struct CapturingLogHandler: LogHandler {
    private var inner: any LogHandler
    private let label: String
    private let threshold: Logger.Level
    private let sink: EventSink

    public init(wrapping inner: any LogHandler, label: String, threshold: Logger.Level, sink: EventSink) {
        self.inner = inner
        self.label = label
        self.threshold = threshold
        self.sink = sink
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        inner.log(event: event)
        // Recorded after the event is built: a line is its own event, not its breadcrumb.
        defer { Breadcrumbs.record(Breadcrumb(message: event.message.description, category: label, level: .init(event.level))) }
        guard event.level >= threshold else { return }
        let all = metadata.merging(event.metadata ?? [:]) { $1 }.mapValues { "\($0)" }
        if let error = event.error {
            // A line that carries its error: an exception event (type, value, the stack here).
            let tags = all.mapValues { String($0.prefix(200)) }.merging(["logger": label]) { $1 }
            sink.submit(ErrorEvent(error: error, level: ErrorLevel(event.level), context: sink.context, tags: tags,
                                   breadcrumbs: Breadcrumbs.current))
        } else {
            sink.submit(ErrorEvent(logMessage: event.message.description, logger: label, level: ErrorLevel(event.level),
                                   context: sink.context, metadata: all, breadcrumbs: Breadcrumbs.current))
        }
    }
}
