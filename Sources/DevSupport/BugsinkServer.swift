import Foundation
import HTTP

/// A real Bugsink (from PyPI, started by `scripts/bugsink`) as Sentry: for the tests and
/// the chaos run, which read back what it stored.
public final class BugsinkServer: @unchecked Sendable {
    public let url: String
    public let dsn: String
    private let token: String
    private let project: String
    private let state: String
    private let script: String

    /// Starts one with its data in `state` (a folder `scripts/bugsink stop` deletes).
    public init(script: String, state: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.script = script
        self.state = state
        let result = try runProgram(script, ["start"], environment: environment.merging(["BUGSINK_STATE": state]) { $1 })
        guard result.status == 0 else { throw BugsinkError("scripts/bugsink start failed: \(result.stderr)") }
        var lines: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { lines[parts[0]] = parts[1] }
        }
        guard let url = lines["BUGSINK_URL"], let dsn = lines["BUGSINK_DSN"], let token = lines["BUGSINK_TOKEN"],
              let project = lines["BUGSINK_PROJECT"] else { throw BugsinkError("scripts/bugsink printed \(result.stdout)") }
        (self.url, self.dsn, self.token, self.project) = (url, dsn, token, project)
    }

    /// `down` (stop, keeping the data and port) or `up` (start again).
    public func run(_ action: String) throws {
        let result = try runProgram(script, [action, state])
        guard result.status == 0 else { throw BugsinkError("scripts/bugsink \(action) failed: \(result.stderr)") }
    }

    public func stop() { _ = try? runProgram(script, ["stop", state]) }

    /// The stored event with this id, as Bugsink keeps it; nil when it has none.
    public func event(_ eventID: String) throws -> [String: Any]? {
        let response = try HTTPClient().get("\(url)/api/canonical/0/events/lookup/?project=\(project)&event_id=\(eventID)",
                                            headers: [("Authorization", "Bearer \(token)")])
        guard response.status == 200 else {
            if response.status == 404 { return nil }
            throw BugsinkError("Bugsink answered \(response.status) to an event lookup")
        }
        return (try JSONSerialization.jsonObject(with: response.body) as? [String: Any])?["data"] as? [String: Any]
    }

    /// Events stored, summed over the project's issues (every page of them).
    public func storedEventCount() throws -> Int {
        var next: String? = "\(url)/api/canonical/0/issues/?project=\(project)"
        var count = 0
        while let page = next {
            let response = try HTTPClient().get(page, headers: [("Authorization", "Bearer \(token)")])
            guard response.status == 200, let body = try JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
                throw BugsinkError("Bugsink answered \(response.status) to the issues list")
            }
            let issues = body["results"] as? [[String: Any]] ?? []
            count += issues.reduce(0) { $0 + ($1["digested_event_count"] as? Int ?? 0) }
            next = body["next"] as? String
        }
        return count
    }
}

public struct BugsinkError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension BugsinkServer {
    /// Events posted again with an id it already held (which it answers 200 and drops).
    public func repeatedPosts() -> Int {
        let log = (try? String(contentsOfFile: "\(state)/server.log", encoding: .utf8)) ?? ""
        return log.components(separatedBy: "Event already exists").count - 1
    }
}
