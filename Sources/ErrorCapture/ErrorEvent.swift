import Foundation
import Logging
import Observability
import SortedJSON

/// How bad an event is, in Sentry's words.
public enum ErrorLevel: String, Sendable, CaseIterable {
    case warning
    case error
    case fatal

    /// The event level of a log level: `critical` is fatal, `error` an error, the rest warnings.
    public init(_ level: Logger.Level) {
        switch level {
        case .critical: self = .fatal
        case .error: self = .error
        default: self = .warning
        }
    }
}

/// One step that led up to an event (a claim, a commit, a send), in our own words.
///
/// The message is developer text, like a log message: identifiers and kinds only, never
/// what a user typed.
public struct Breadcrumb: Sendable, Equatable {
    /// Sentry's breadcrumb levels.
    public enum Level: String, Sendable {
        case debug, info, warning, error, fatal
    }

    public var timestamp: Date
    public var message: String
    public var level: Level
    public var category: String

    public init(message: String, category: String, level: Level = .info, timestamp: Date = Date()) {
        self.timestamp = timestamp
        self.message = message
        self.level = level
        self.category = category
    }
}

/// What every event of one process says about where it came from: release, environment,
/// host, and the process's own tags.
public struct EventContext: Sendable, Equatable {
    /// The process (`worker`, `ingress`, …): Sentry's `logger` and the `process` tag.
    public var process: String
    public var version: String
    public var gitSHA: String
    /// `SENTRY_ENVIRONMENT`.
    public var environment: String
    public var serverName: String
    /// Tags on every event of this process (a worker id, say); a capture's tags win.
    public var tags: [String: String]

    public init(process: String, version: String, gitSHA: String, environment: String,
                serverName: String = ProcessInfo.processInfo.hostName, tags: [String: String] = [:]) {
        self.process = process
        self.version = version
        self.gitSHA = gitSHA
        self.environment = environment
        self.serverName = serverName
        self.tags = tags
    }

    /// `bookingbot@<version>+<git sha>`.
    public var release: String { "bookingbot@\(version)+\(gitSHA)" }
}

/// A Sentry event (https://develop.sentry.dev/sdk/data-model/event-payloads/), built at
/// capture and rendered as the JSON the forwarder later wraps in an envelope.
///
/// **No user texts.** What a user wrote (messages, names, comments) never goes into an
/// event, so the API does not take free text: a message event takes a `StaticString`,
/// tags and breadcrumbs are for identifiers and kinds, and an error's description must
/// not quote user input. Every string of the JSON also passes through `SecretScrubber`.
public struct ErrorEvent: Sendable {
    enum Body: Sendable {
        case message(String)
        case exception(type: String, value: String, frames: [StackFrame])
    }

    /// 32 lowercase hex digits.
    public let eventID: String
    public let timestamp: Date
    public let level: ErrorLevel
    public let context: EventContext
    /// The context's tags merged with the capture's.
    public let tags: [String: String]
    public let breadcrumbs: [Breadcrumb]
    let body: Body

    /// An event for a thrown error: its Swift type (module-qualified), its description, and
    /// the stack of the caller (where the capture happens: Swift errors carry no stack of their own).
    @inline(never)
    public init(error: Error, level: ErrorLevel = .error, context: EventContext,
                tags: [String: String] = [:], breadcrumbs: [Breadcrumb] = []) {
        self.init(error: error, level: level, context: context, tags: tags, breadcrumbs: breadcrumbs,
                  frames: StackFrame.current(droppingCallers: 1))
    }

    init(error: Error, level: ErrorLevel, context: EventContext, tags: [String: String], breadcrumbs: [Breadcrumb],
         frames: [StackFrame]) {
        // A private type's name holds an address that changes with every build, which
        // would split Sentry's grouping: drop it.
        let type = String(reflecting: Swift.type(of: error)).replacing(/\(unknown context at \$[0-9a-f]+\)\./, with: "")
        let value = Self.truncated(String(describing: error), to: Self.maxValueLength)
        self.init(body: .exception(type: type, value: value, frames: frames),
                  level: level, context: context, tags: tags, breadcrumbs: breadcrumbs)
    }

    /// An event with a fixed message (a literal: it cannot carry user text, and Sentry
    /// groups events by it).
    public init(message: StaticString, level: ErrorLevel = .warning, context: EventContext,
                tags: [String: String] = [:], breadcrumbs: [Breadcrumb] = []) {
        self.init(body: .message(message.description), level: level, context: context, tags: tags, breadcrumbs: breadcrumbs)
    }

    /// An event for a log line of the bot's own (`logMessage` is the code's text, never a
    /// user's); its metadata become tags, each cut to Sentry's 200 characters.
    public init(logMessage: String, logger: String, level: ErrorLevel, context: EventContext, metadata: [String: String],
                breadcrumbs: [Breadcrumb] = []) {
        var tags = metadata.mapValues { String($0.prefix(200)) }
        tags["logger"] = logger
        self.init(body: .message(Self.truncated(logMessage, to: Self.maxValueLength)), level: level, context: context,
                  tags: tags, breadcrumbs: breadcrumbs)
    }

    private init(body: Body, level: ErrorLevel, context: EventContext, tags: [String: String], breadcrumbs: [Breadcrumb]) {
        self.eventID = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        self.timestamp = Date()
        self.level = level
        self.context = context
        self.tags = context.tags.merging(["process": context.process]) { own, _ in own }
            .merging(tags) { _, capture in capture }
        self.breadcrumbs = Array(breadcrumbs.suffix(Self.maxBreadcrumbs))
        self.body = body
    }

    /// The event as a JSON object, every string (keys too) scrubbed of secrets.
    public func jsonObject(scrubber: SecretScrubber = .shared) -> [String: Any] {
        var object: [String: Any] = [
            "event_id": eventID,
            "timestamp": Self.rfc3339(timestamp),
            "level": level.rawValue,
            "logger": context.process,
            "platform": "other",
            "release": context.release,
            "environment": context.environment,
            "server_name": context.serverName,
            "tags": tags.mapValues { Self.truncated($0, to: Self.maxTagLength) },
        ]
        switch body {
        case .message(let text):
            object["message"] = ["formatted": text]
        case .exception(let type, let value, let frames):
            object["exception"] = ["values": [[
                "type": type,
                "value": value,
                "stacktrace": ["frames": frames.map(\.jsonObject)],
            ] as [String: Any]]]
        }
        if !breadcrumbs.isEmpty {
            object["breadcrumbs"] = ["values": breadcrumbs.map { crumb in
                ["timestamp": Self.rfc3339(crumb.timestamp), "message": crumb.message,
                 "level": crumb.level.rawValue, "category": crumb.category]
            }]
        }
        return Self.scrubbed(object, scrubber) as? [String: Any] ?? [:]
    }

    /// The event as UTF-8 JSON, scrubbed (see `jsonObject`).
    public func jsonData(scrubber: SecretScrubber = .shared) -> Data {
        // Only strings, numbers, arrays and dictionaries: serialization cannot fail.
        (try? SortedJSON.data(jsonObject(scrubber: scrubber), escapingSlashes: false)) ?? Data("{}".utf8)
    }

    // MARK: - Plumbing

    static let maxValueLength = 8_192
    static let maxTagLength = 200
    static let maxBreadcrumbs = 100

    private static func scrubbed(_ value: Any, _ scrubber: SecretScrubber) -> Any {
        switch value {
        case let text as String:
            return scrubber.scrub(text)
        case let object as [String: Any]:
            return Dictionary(object.map { (scrubber.scrub($0.key), scrubbed($0.value, scrubber)) }) { first, _ in first }
        case let array as [Any]:
            return array.map { scrubbed($0, scrubber) }
        default:
            return value
        }
    }

    private static func truncated(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    static func rfc3339(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
