import BotTestSupport
import Foundation
import HTTP
import TestSupport
import Texts
import XCTest

/// The Procfile under honcho (a foreman-style runner from PyPI), as a developer or a
/// Procfile host runs it: the release step, then every process with three workers, the
/// webhook ingress on `$PORT`, a conversation through it, and a clean stop.
final class ProcfileTests: BotTestCase {
    func testHonchoRunsEveryProcessScalesWorkersAndStopsThemCleanly() throws {
        let honcho = try TestServices.variable("HONCHO")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("honcho-\(prefix)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // honcho gives the second Procfile line (web) its base port + 100.
        let webPort = unusedLoopbackPort()
        // The admin listener (/healthz, /metrics) is configured, as on a host, by the environment.
        let adminPort = unusedLoopbackPort()
        var settings = try environment.merging(["RATE_LIMIT_MESSAGE": "0", "RATE_LIMIT_CALLBACK": "0", "SHUTDOWN_GRACE_SECONDS": "5",
                                                "WEBHOOK_SECRET": "honcho-secret-\(prefix)", "METRICS_PORT": "\(adminPort)"]) { $1 }
        settings["PATH"] = productsDirectory.path + ":/usr/bin:/bin"
        let envFile = folder.appendingPathComponent("env")
        try settings.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "\n").write(to: envFile, atomically: true, encoding: .utf8)
        let honchoArguments = ["-f", root.appendingPathComponent("Procfile").path, "-d", folder.path, "-e", envFile.path]

        // What a Procfile host does at a release, then the webhook registration (plain http
        // on loopback: WEBHOOK_URL itself must be https, so the URL is given here).
        for command in [["bookingbot", "migrate"], ["bookingbot", "webhook", "set", "--url", "http://127.0.0.1:\(webPort)/telegram"]] {
            let result = try runProgram(honcho, ["run"] + honchoArguments + command, environment: ["PATH": "/usr/bin:/bin"], currentDirectory: folder)
            XCTAssertEqual(result.status, 0, "\(command): \(result.stdout)\(result.stderr)")
        }
        // `release` ends by design, and honcho (like foreman) stops everything when one
        // process ends: it is left out here (concurrency 0), as it ran above.
        let run = try ChildProcess(honcho, ["start"] + honchoArguments + ["-p", "\(webPort - 100)", "-c", "release=0,worker=3"],
                                   environment: ["PATH": "/usr/bin:/bin"], currentDirectory: folder)
        processes.append(run)
        var stopped = false
        defer {
            // Ended early by a failure: honcho passes a SIGTERM on to its children, where
            // tearDown's SIGKILL would reach honcho alone and leave them running.
            if !stopped {
                run.signal(SIGTERM)
                Thread.sleep(forTimeInterval: 7)
            }
        }

        let status = { try runProgram(self.binary, ["status", "--json"], environment: try self.environment, currentDirectory: folder) }
        var report: [String: Any] = [:]
        let alive = ChildProcess.eventually(timeout: 20) {
            guard let result = try? status() else { return false }
            report = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
            return report["workers_alive"] as? Int == 3 && report["reminders_alive"] as? Int == 1
        }
        XCTAssertTrue(alive, "status: \(report)\n\(run.stdout)\(run.stderr)")
        XCTAssertEqual(try status().status, 0, "healthy")
        // /metrics on the admin port only; the public $PORT serves the webhook alone.
        let http = HTTPClient(options: HTTPOptions(totalTimeout: 5))
        let metrics = try http.get("http://127.0.0.1:\(adminPort)/metrics")
        XCTAssertEqual(metrics.status, 200)
        XCTAssertTrue(metrics.text.contains("bookingbot_workers_alive 3"), metrics.text)
        XCTAssertEqual(try http.get("http://127.0.0.1:\(webPort)/metrics").status, 404)

        // A conversation through Telegram's webhook calls to web.1.
        user(8301, "Nina", language: "en")
        try say("/book", from: 8301, thenBotMessages: 1)
        let (start, confirm) = try openConfirmation(8301, .en)
        try tap(confirm, of: 8301)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM bookings WHERE user_id = 8301 AND lower(during) = $1", [.timestamp(start)]), 1)
        XCTAssertEqual(sandbox.calls(method: "getUpdates").count, 0, "updates came by the webhook")

        // SIGTERM to honcho: it passes it on, and every process stops cleanly.
        let stopping = Date()
        run.signal(SIGTERM)
        let output = run.wait().stdout
        stopped = true
        XCTAssertLessThan(Date().timeIntervalSince(stopping), 9, "within the 5 s grace (and a margin for a loaded machine)")
        for process in ["web.1", "worker.1", "worker.2", "worker.3", "reminders.1", "errors.1"] {
            XCTAssertTrue(output.contains("\(process) started"), "\(process) never started:\n\(output)")
            XCTAssertTrue(output.range(of: "\(process)\\s+stopped \\(rc=0\\)", options: .regularExpression) != nil,
                          "\(process) did not exit 0:\n\(output)")
        }
    }
}
