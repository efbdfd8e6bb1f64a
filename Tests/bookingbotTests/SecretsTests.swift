@testable import bookingbot
import Config
import Foundation
import Observability
import TestSupport
import XCTest

/// F16: a database password in libpq's `?password=` form is handled like one in the user
/// info: masked when printed, scrubbed from logs, and never on a command line. (The built
/// binary run as an operator would, in `CommandLineTests`' empty folder.)
extension CommandLineTests {
    func testDumpTargetTakesEveryPasswordOutOfTheURLAndDecodesItOnce() throws {
        let query = try DumpTarget(databaseURL: "postgresql://bb@db:5432/app?sslmode=require&password=q%2541-secret")
        XCTAssertEqual(query.url, "postgresql://bb@db:5432/app?sslmode=require")
        XCTAssertEqual(query.password, "q%41-secret", "decoded once: %25 is a percent sign")
        let userinfo = try DumpTarget(databaseURL: "postgresql://bb:u%2541%40x@db/app")
        XCTAssertEqual(userinfo.url, "postgresql://bb@db/app")
        XCTAssertEqual(userinfo.password, "u%41@x")
        let both = try DumpTarget(databaseURL: "postgresql://bb:first@db/app?password=second")
        XCTAssertEqual(both.url, "postgresql://bb@db/app")
        XCTAssertEqual(both.password, "second", "libpq reads the query after the user info")
        XCTAssertNil(try DumpTarget(databaseURL: "postgresql://bb@db/app").password)
    }

    /// What `ps` would show of pg_dump, from a stand-in that records its arguments and the
    /// password it was handed in its environment.
    func testBackupPassesThePasswordInTheEnvironmentNeverOnTheCommandLine() throws {
        let fake = folder.appendingPathComponent("fake-pg_dump")
        try """
            #!/bin/sh
            printf '%s\\n' "$@" > "$FAKE_OUT/args"
            printf '%s' "$PGPASSWORD" > "$FAKE_OUT/password"
            echo "fake pg_dump refuses" >&2
            exit 3
            """.write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        for (url, password) in [("postgresql://bb@127.0.0.1:1/app?password=cmdline-s%2541cret", "cmdline-s%41cret"),
                                ("postgresql://bb:cmdline-s%2541cret@127.0.0.1:1/app", "cmdline-s%41cret")] {
            let result = try runProgram(binary, ["backup", "--pg-dump", fake.path, "--directory", folder.appendingPathComponent("dumps").path],
                                        environment: ["PATH": "/usr/bin:/bin", "DATABASE_URL": url, "FAKE_OUT": folder.path],
                                        currentDirectory: folder)
            XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
            let arguments = try String(contentsOf: folder.appendingPathComponent("args"), encoding: .utf8)
            XCTAssertFalse(arguments.contains("cmdline-s"), arguments)
            XCTAssertTrue(arguments.contains("--dbname=postgresql://bb@127.0.0.1:1/app\n"), arguments)
            XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("password"), encoding: .utf8), password)
            XCTAssertFalse((result.stdout + result.stderr).contains("cmdline-s"), result.stdout + result.stderr)
        }
    }

    /// The same against the real PostgreSQL: the query-form password reaches the server.
    func testBackupWithAQueryFormPasswordDumps() throws {
        let database = try TestServices.freshDatabase()
        defer { database.drop() }
        var components = try XCTUnwrap(URLComponents(string: database.url))
        let password = try XCTUnwrap(components.password)
        components.password = nil
        components.queryItems = [URLQueryItem(name: "password", value: password)]
        let result = try runProgram(binary, ["backup", "--directory", folder.appendingPathComponent("dumps").path],
                                    environment: ["PATH": "/usr/bin:/bin", "DATABASE_URL": components.string!], currentDirectory: folder)
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains(".dump"), result.stdout)
        XCTAssertFalse(result.stdout.contains(password), result.stdout)
    }

    func testConfigMasksAQueryFormPassword() throws {
        let result = try runProgram(binary, ["config"], environment: [
            "PATH": "/usr/bin:/bin", "DATABASE_URL": "postgresql://bb@db:5432/app?password=printed-secret-5&sslmode=disable",
        ], currentDirectory: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stdout.contains("printed-secret-5"), result.stdout)
        XCTAssertTrue(result.stdout.contains("DATABASE_URL=postgresql://bb@db:5432/app?password=***&sslmode=disable"), result.stdout)
    }

    func testTheScrubberIsGivenAQueryFormPassword() throws {
        let config = try AppConfig.load(from: EnvironmentReader(["DATABASE_URL": "postgresql://bb@db/app?password=scrubbed%2Dsecret-6"]))
        let scrubber = SecretScrubber()
        scrubber.register(config.secrets)
        XCTAssertEqual(scrubber.scrub("auth failed for scrubbed-secret-6"), "auth failed for ***")
        XCTAssertEqual(scrubber.scrub("password=scrubbed%2Dsecret-6"), "password=***")
    }
}
