import ArgumentParser
import Foundation
import Logging

/// `bookingbot backup`: one `pg_dump` in custom format into a folder, then the dumps older
/// than the retention are deleted. Restoring is `pg_restore` (docs/restore.md).
///
/// The dump is written under a `.partial` name and renamed when pg_dump succeeded, so a
/// file named `bookingbot-*.dump` is always a whole dump. The password goes to pg_dump in
/// its environment, never on its command line (which `ps` shows).
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Dump the database with pg_dump (custom format) and delete dumps older than the retention.")

    @Option(help: "Folder of the dumps (default: $BACKUP_DIR, else ./backups).") var directory: String?
    @Option(help: "Days a dump is kept; the newest is always kept.") var retentionDays = 30
    @Option(help: "The pg_dump to run (its major version must be at least the server's).") var pgDump = "pg_dump"

    func validate() throws {
        guard (1...3650).contains(retentionDays) else { throw ValidationError("--retention-days must be 1–3650") }
    }

    func run() throws {
        let context = try ProcessContext.start(process: "backup")
        let logger = context.logger
        let folder = URL(fileURLWithPath: directory ?? ProcessInfo.processInfo.environment["BACKUP_DIR"] ?? "backups")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let now = Date()
        let dump = folder.appendingPathComponent(BackupFolder.name(at: now))
        let partial = dump.appendingPathExtension("partial")
        let target = try DumpTarget(databaseURL: context.config.databaseURL)
        let result = try runPGDump(arguments: ["--format=custom", "--no-password", "--file=\(partial.path)", "--dbname=\(target.url)"],
                                   password: target.password)
        guard result.status == 0 else {
            try? FileManager.default.removeItem(at: partial)
            logger.error("backup failed: pg_dump exited \(result.status)", metadata: ["stderr": "\(result.stderr)"])
            throw ExitCode(1)
        }
        try FileManager.default.moveItem(at: partial, to: dump)
        let size = (try FileManager.default.attributesOfItem(atPath: dump.path)[.size] as? Int) ?? 0
        let deleted = try BackupFolder(url: folder).prune(keepingDays: retentionDays, now: now, keep: dump.lastPathComponent)
        logger.info("backup written", metadata: ["file": "\(dump.path)", "bytes": "\(size)", "deleted_old": "\(deleted.count)"])
        print(dump.path)
    }

    private func runPGDump(arguments: [String], password: String?) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [pgDump] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = password
        environment["PGAPPNAME"] = "bookingbot-backup"
        environment["PGCONNECT_TIMEOUT"] = environment["PGCONNECT_TIMEOUT"] ?? "10"
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stderr)
    }
}

/// The database URL split for pg_dump: the URL without any password (neither in its user
/// info nor as libpq's `?password=`), and the password, decoded once.
struct DumpTarget {
    let url: String
    let password: String?

    init(databaseURL: String) throws {
        guard var components = URLComponents(string: databaseURL), components.scheme?.hasPrefix("postgres") == true else {
            throw ValidationError("DATABASE_URL is not a postgresql:// URL")
        }
        let items = components.queryItems ?? []
        // libpq reads the query after the user info: its password wins.
        password = items.last { $0.name == "password" }?.value ?? components.password
        components.password = nil
        let kept = (components.percentEncodedQueryItems ?? []).filter { $0.name != "password" }
        components.percentEncodedQueryItems = kept.isEmpty ? nil : kept
        // Never the original as a fallback: it may hold the password.
        guard let url = components.string else { throw ValidationError("DATABASE_URL is not a postgresql:// URL") }
        self.url = url
    }
}

/// The dumps in a folder: `bookingbot-<UTC time>.dump`, their time read from their name
/// (a copied file's modification time says nothing of when it was dumped).
struct BackupFolder {
    let url: URL

    static let prefix = "bookingbot-"
    static let suffix = ".dump"

    private static func formatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter
    }

    static func name(at date: Date) -> String { prefix + formatter().string(from: date) + suffix }

    static func date(of name: String) -> Date? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        return formatter().date(from: String(name.dropFirst(prefix.count).dropLast(suffix.count)))
    }

    /// Deletes dumps older than `keepingDays` (never `keep`, the one just made) and
    /// `.partial` leftovers of runs that died over a day ago; returns the names deleted.
    func prune(keepingDays: Int, now: Date, keep: String) throws -> [String] {
        let cutoff = now.addingTimeInterval(-Double(keepingDays) * 86_400)
        var deleted: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: url.path) where name != keep {
            let file = url.appendingPathComponent(name)
            let stale: Bool
            if name.hasSuffix(Self.suffix + ".partial") {
                let modified = (try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date) ?? now
                stale = modified < now.addingTimeInterval(-86_400)
            } else {
                stale = Self.date(of: name).map { $0 < cutoff } ?? false
            }
            if stale {
                try FileManager.default.removeItem(at: file)
                deleted.append(name)
            }
        }
        return deleted.sorted()
    }
}
