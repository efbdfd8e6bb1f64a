import Foundation
import TestSupport
import XCTest

/// The chaos run, CI-sized (issue #19): two minutes of 100 clients while every fault kind
/// happens at least once (processes killed, terminated and frozen, Redis and PostgreSQL
/// restarted, a worker's clock stepped, Telegram's 5xx and 429 bursts), then every
/// invariant checked by `Chaos` itself (Sources/Chaos): its exit status is the verdict.
/// It restarts the test servers: XCTest runs one test at a time, and no other test holds
/// a connection across this one.
final class ChaosRunTests: XCTestCase {
    func testTwoMinutesOfEveryFaultLoseAndDoubleNothing() throws {
        let products = productsDirectory
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("chaos-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: logs) }
        var environment = ["PATH": "/usr/bin:/bin"]
        for name in ["DATABASE_URL", "REDIS_URL", "BOOKINGBOT_STATE"] { environment[name] = try TestServices.variable(name) }
        let chaos = try ChildProcess(products.appendingPathComponent("Chaos").path, [
            "--binary", products.appendingPathComponent("bookingbot").path, "--root", root.path, "--logs", logs,
            "--minutes", "2", "--clients", "100", "--workers", "2", "--fault-every", "4", "--seed", "1917",
        ], environment: environment)
        // Its own watchdog ends it by 2 + 400/60 minutes; past 10, SIGTERM lets it stop its
        // processes and drop its database before anything is killed.
        let deadline = Date().addingTimeInterval(600)
        while chaos.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 1) }
        if chaos.isRunning { chaos.signal(SIGTERM) }
        let run = chaos.wait(orKillAt: Date().addingTimeInterval(30))
        XCTAssertEqual(run.status, 0, "an invariant broke, or the run could not be made:\n\(run.stdout)\n\(run.stderr.suffix(3000))")
        let faults = try XCTUnwrap(run.stdout.split(separator: "\n").first { $0.hasPrefix("Faults injected") }, run.stdout)
        for kind in ["SIGKILL worker", "SIGTERM worker", "SIGSTOP worker past its lease", "SIGKILL ingress", "SIGTERM ingress",
                     "SIGKILL reminders", "SIGTERM reminders", "SIGKILL errors", "SIGTERM errors", "Telegram 5xx burst",
                     "Telegram 429 burst", "Redis restart", "PostgreSQL restart", "clock step of one worker"] {
            XCTAssertTrue(faults.contains(kind), "\(kind) never happened: \(faults)")
        }
        XCTAssertTrue(run.stdout.contains("then by webhook from minute"), "the updates never moved to the webhook:\n\(run.stdout)")
        print(run.stdout)
    }
}
