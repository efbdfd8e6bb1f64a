import Foundation
import Logging
import SortedJSON

/// The format of log lines on stdout.
public enum LogFormat: String, Sendable {
    case text
    case json
}

/// A swift-log handler that writes one line per event to stdout, as text or JSON, with
/// secrets scrubbed. Lines from many threads never interleave.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: LogFormat
    private let output: LineOutput
    private let scrubber: SecretScrubber

    public init(label: String, format: LogFormat, level: Logger.Level, output: LineOutput = .standardOutput, scrubber: SecretScrubber = .shared) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.output = output
        self.scrubber = scrubber
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        // Scrubbed before rendering, as well as after: JSON escapes `"` and `\`, so a secret
        // holding one no longer appears as itself in the line.
        let line = render(time: Date(), level: event.level, message: scrubber.scrub(event.message.description),
                          metadata: merged.mapValues { .string(scrubber.scrub(Self.flatten($0))) })
        output.write(scrubber.scrub(line))
    }

    func render(time: Date, level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        let timestamp = time.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
        switch format {
        case .text:
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.flatten($0.value))" }
            let tail = pairs.isEmpty ? "" : " " + pairs.joined(separator: " ")
            return "\(timestamp) \(level) \(label): \(Self.oneLine(message))\(tail)"
        case .json:
            var object: [String: Any] = ["ts": timestamp, "level": level.rawValue, "logger": label, "msg": message]
            for (key, value) in metadata where object[key] == nil { object[key] = Self.flatten(value) }
            let data = (try? SortedJSON.data(object, escapingSlashes: false)) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }

    private static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func flatten(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): return oneLine(text)
        case .stringConvertible(let item): return oneLine(item.description)
        case .array(let items): return "[" + items.map(flatten).joined(separator: ",") + "]"
        case .dictionary(let items): return "{" + items.sorted { $0.key < $1.key }.map { "\($0.key)=\(flatten($0.value))" }.joined(separator: ",") + "}"
        }
    }
}

/// Where log lines go: stdout for processes, a buffer for tests.
public final class LineOutput: @unchecked Sendable {
    public static let standardOutput = LineOutput()

    private let lock = NSLock()
    private var captured: [String]?

    private init() {}

    /// An output that keeps its lines in memory instead of printing them.
    public static func capturing() -> LineOutput {
        let output = LineOutput()
        output.captured = []
        return output
    }

    public var lines: [String] { lock.withLock { captured ?? [] } }

    func write(_ line: String) {
        lock.withLock {
            if captured != nil {
                captured!.append(line)
            } else {
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        }
    }
}

/// Sets up swift-log for this process; call once, first thing.
public enum LogSetup {
    /// `wrap` may add to each line's handler (the error capture for Sentry).
    public static func bootstrap(format: LogFormat, level: Logger.Level,
                                 wrap: @escaping @Sendable (String, any LogHandler) -> any LogHandler = { $1 }) {
        LoggingSystem.bootstrap { label in
            wrap(label, LineLogHandler(label: label, format: format, level: level))
        }
    }
}
