import Config
import Foundation
import TestSupport
import XCTest

/// The deployment files checked by the tools that will run them.
final class DeploymentFilesTests: XCTestCase {
    private var root: URL {
        get throws {
            URL(fileURLWithPath: try TestServices.variable("BOOKINGBOT_SERVICES")).deletingLastPathComponent().deletingLastPathComponent()
        }
    }

    /// `systemd-analyze verify` on every unit, with the binary where the units expect it
    /// replaced by the one just built (verify checks that it is executable).
    func testEverySystemdUnitVerifiesCleanly() throws {
        let units = try root.appendingPathComponent("systemd")
        let names = try FileManager.default.contentsOfDirectory(atPath: units.path).filter { $0.hasSuffix(".service") || $0.hasSuffix(".target") || $0.hasSuffix(".timer") }
        XCTAssertTrue(Set(names).isSuperset(of: ["bookingbot.target", "bookingbot-migrate.service", "bookingbot-ingress.service",
                                                  "bookingbot-worker@.service", "bookingbot-reminders.service", "bookingbot-errors.service",
                                                  "bookingbot-backup.service", "bookingbot-backup.timer"]))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = productsDirectory.appendingPathComponent("bookingbot").path
        for name in names {
            let text = try String(contentsOf: units.appendingPathComponent(name), encoding: .utf8)
            XCTAssertTrue(name.hasSuffix(".target") || name.hasSuffix(".timer") || text.contains("NoNewPrivileges=yes") && text.contains("ProtectSystem=strict"), name)
            try text.replacingOccurrences(of: "/usr/local/bin/bookingbot", with: binary)
                .write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let result = try runProgram("/usr/bin/systemd-analyze", ["verify", "--man=no"] + names.map { folder.appendingPathComponent($0).path })
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertEqual((result.stdout + result.stderr).trimmingCharacters(in: .whitespacesAndNewlines), "", "no warnings")
    }

    /// Every Procfile line runs a subcommand the binary has.
    func testTheProcfileRunsRealSubcommands() throws {
        let lines = try String(contentsOf: root.appendingPathComponent("Procfile"), encoding: .utf8).split(separator: "\n")
        let kinds = lines.compactMap { $0.split(separator: ":", maxSplits: 1).first.map(String.init) }
        XCTAssertEqual(kinds, ["release", "web", "worker", "reminders", "errors"])
        for line in lines {
            // `exec`: the runner's shell becomes the process, so signals and the exit code are its own.
            let words = line.split(separator: ":", maxSplits: 1)[1].split(separator: " ").map(String.init)
            XCTAssertEqual(Array(words.prefix(2)), ["exec", "bookingbot"], String(line))
            let help = try runProgram(productsDirectory.appendingPathComponent("bookingbot").path, [words[2], "--help"],
                                      environment: ["PATH": "/usr/bin:/bin"])
            XCTAssertEqual(help.status, 0, "\(line): \(help.stderr)")
        }
    }

    /// Prometheus scrapes the admin listener's default port, which no file contradicts: the
    /// public webhook port serves no /metrics.
    func testMonitoringScrapesTheAdminPort() throws {
        let defaults = MetricsSettings().port
        let prometheus = try String(contentsOf: root.appendingPathComponent("monitoring/prometheus.yml"), encoding: .utf8)
        XCTAssertTrue(prometheus.contains(#"- targets: ["localhost:\#(defaults)"]"#), prometheus)
        let example = try String(contentsOf: root.appendingPathComponent("env.example"), encoding: .utf8)
        XCTAssertTrue(example.contains("METRICS_PORT=\(defaults)\n") && example.contains("METRICS_BIND=127.0.0.1\n"), example)
        XCTAssertTrue(example.contains("WEBHOOK_SECRET="), example)
    }

    /// The Prometheus config and alert rules as Prometheus's own checker reads them, and the
    /// rules' unit tests (each alert firing, and not firing, on series of the real names).
    func testPrometheusConfigRulesAndTheirUnitTestsPass() throws {
        let monitoring = try root.appendingPathComponent("monitoring")
        for arguments in [["check", "config", "prometheus.yml"], ["check", "rules", "alerts.yml"], ["test", "rules", "alerts.test.yml"]] {
            let result = try runProgram("/usr/bin/promtool", arguments, environment: ["PATH": "/usr/bin:/bin"], currentDirectory: monitoring)
            XCTAssertEqual(result.status, 0, "promtool \(arguments.joined(separator: " ")): \(result.stdout)\(result.stderr)")
            XCTAssertTrue(result.stdout.contains("SUCCESS"), result.stdout)
        }
    }
}
