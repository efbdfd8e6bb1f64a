import Foundation
import XCTest

/// The layering of `Sources/` as a test: every `import` of every target is checked
/// against the target's row of the table below, and the table against the layer rules
/// (docs/architecture.md, "Layers"). A new target fails until it is placed here.
final class LayeringTests: XCTestCase {
    /// Bottom to top. A target imports lower layers; within a layer only where the table
    /// orders it (wire, domain, shared support, tools), never within the others.
    enum Layer: Int, CustomStringConvertible {
        case c, wire, leaf, domain, storeQueue, support, process, main, tool

        var description: String {
            ["C", "wire", "leaf", "domain", "store/queue", "shared process support", "process", "main", "tool"][rawValue]
        }

        var ordersWithin: Bool { [.wire, .domain, .support, .tool].contains(self) }
    }

    /// What a target may import besides the package's targets.
    static let platform: Set<String> = ["Foundation", "Dispatch", "Glibc", "Darwin", "Synchronization"]
    static let thirdParty: Set<String> = ["Logging", "Hummingbird", "NIOCore", "ServiceLifecycle", "ArgumentParser", "CSV"]

    struct Row {
        let target: String
        let layer: Layer
        /// The modules it may import (platform modules come with every layer but domain,
        /// which has Foundation only); nil: a tool that may use any library of the package.
        let imports: Set<String>?
    }

    /// One row per target, bottom to top; within a layer a target may import only those
    /// above it in the table.
    static let table: [Row] = [
        Row(target: "CHiredis", layer: .c, imports: []),
        Row(target: "CLibPQ", layer: .c, imports: []),
        Row(target: "CCurl", layer: .c, imports: []),
        Row(target: "CCurlShim", layer: .c, imports: []),
        Row(target: "CZlib", layer: .c, imports: []),

        Row(target: "WireSupport", layer: .wire, imports: []),
        Row(target: "SortedJSON", layer: .wire, imports: []),
        Row(target: "Redis", layer: .wire, imports: ["CHiredis", "WireSupport"]),
        Row(target: "Postgres", layer: .wire, imports: ["CLibPQ", "WireSupport"]),
        Row(target: "HTTP", layer: .wire, imports: ["CCurl", "CCurlShim"]),
        Row(target: "Telegram", layer: .wire, imports: ["HTTP"]),

        Row(target: "Config", layer: .leaf, imports: []),
        Row(target: "Keys", layer: .leaf, imports: []),

        Row(target: "Booking", layer: .domain, imports: ["Foundation"]),
        Row(target: "Texts", layer: .domain, imports: ["Foundation", "Booking"]),
        Row(target: "Conversation", layer: .domain, imports: ["Foundation", "Booking", "Texts"]),
        Row(target: "Staff", layer: .domain, imports: ["Foundation", "Booking", "Texts", "Conversation"]),

        Row(target: "Store", layer: .storeQueue, imports: ["Postgres", "Booking", "SortedJSON"]),
        Row(target: "Queue", layer: .storeQueue, imports: ["Keys", "Redis", "WireSupport", "Logging"]),

        Row(target: "Observability", layer: .support, imports: ["Logging", "SortedJSON"]),
        Row(target: "ErrorCapture", layer: .support, imports: ["Keys", "Redis", "Observability", "SortedJSON", "Logging"]),
        Row(target: "Stats", layer: .support, imports: ["Keys", "Queue", "Redis"]),
        Row(target: "Delivery", layer: .support,
            imports: ["Conversation", "Keys", "Store", "Postgres", "Redis", "Telegram", "Texts", "Stats", "Logging"]),
        Row(target: "Composition", layer: .support, imports: ["Config", "Booking"]),

        Row(target: "Ingress", layer: .process,
            imports: ["Keys", "Queue", "Redis", "Stats", "Telegram", "WireSupport", "Hummingbird", "NIOCore", "ServiceLifecycle", "Logging"]),
        Row(target: "Worker", layer: .process,
            imports: ["Booking", "Conversation", "Delivery", "ErrorCapture", "HTTP", "Keys", "Postgres", "Queue", "Redis", "Stats", "Store",
                      "Telegram", "Texts", "WireSupport", "SortedJSON", "Logging"]),
        Row(target: "Reminders", layer: .process,
            imports: ["Booking", "Conversation", "Delivery", "Keys", "Postgres", "Redis", "Stats", "Store", "Telegram", "Texts",
                      "WireSupport", "Logging", "CSV"]),
        Row(target: "ErrorForwarder", layer: .process,
            imports: ["CZlib", "ErrorCapture", "HTTP", "Keys", "Redis", "WireSupport", "SortedJSON", "Logging"]),

        // The only production target that may import a tool: its `sandbox` subcommand.
        Row(target: "bookingbot", layer: .main,
            imports: ["Booking", "Composition", "Config", "Conversation", "ErrorCapture", "ErrorForwarder", "HTTP", "Ingress", "Keys",
                      "Observability", "Postgres", "Queue", "Redis", "Reminders", "SortedJSON", "Stats", "Store", "Telegram", "WireSupport", "Worker",
                      "Sandbox", "DevSupport", "ArgumentParser", "Logging"]),

        // The tools sit on top: the bench and DevSupport may use any library of the package.
        // The Sandbox stays lean, as bookingbot links it.
        Row(target: "Sandbox", layer: .tool, imports: ["HTTP", "Telegram", "Hummingbird", "NIOCore", "Logging"]),
        Row(target: "DevSupport", layer: .tool, imports: nil),
        Row(target: "LoadSupport", layer: .tool, imports: ["Conversation", "Sandbox", "Telegram"]),
        Row(target: "E2EBench", layer: .tool, imports: nil),
        Row(target: "Chaos", layer: .tool, imports: nil),
    ]

    static let executables: Set<String> = ["bookingbot", "E2EBench", "Chaos"]
    /// Where SQL may be written: every other target asks Store.
    static let sqlTargets: Set<String> = ["Store", "Postgres"]

    // MARK: - The table keeps the rules

    func testTheTableKeepsTheLayerRules() {
        XCTAssertEqual(problems(in: Self.table), [])
    }

    /// The rules themselves can fail: a table that breaks each of them is caught.
    func testTheRulesCatchEachKindOfForbiddenEdge() {
        func row(_ target: String, _ imports: Set<String>) -> [Row] {
            Self.table.map { $0.target == target ? Row(target: target, layer: $0.layer, imports: imports) : $0 }
        }
        let broken: [(table: [Row], says: String)] = [
            (row("Conversation", ["Foundation", "Postgres"]), "Conversation (domain) may not import Postgres (wire)"),
            (row("Conversation", ["Foundation", "Config"]), "Conversation (domain) may not import Config (leaf)"),
            (row("Texts", ["Foundation", "Conversation"]), "Texts (domain) may not import Conversation (domain)"),
            (row("Booking", ["Dispatch"]), "Booking (domain) may not import Dispatch"),
            (row("Store", ["Postgres", "Queue"]), "Store (store/queue) may not import Queue (store/queue)"),
            (row("Queue", ["Redis", "Stats"]), "Queue (store/queue) may not import Stats (shared process support)"),
            (row("Worker", ["Reminders"]), "Worker (process) may not import Reminders (process)"),
            (row("Delivery", ["Sandbox"]), "Delivery (shared process support) may not import Sandbox (tool)"),
            (row("Sandbox", ["bookingbot"]), "Sandbox (tool) may not import bookingbot (main)"),
            (row("Keys", ["Redis"]), "Keys (leaf) may not import Redis (wire)"),
            (row("Config", ["Booking"]), "Config (leaf) may not import Booking (domain)"),
            (row("Redis", ["Nonsense"]), "Redis (wire) may not import Nonsense (not a module of the package)"),
        ]
        for (table, says) in broken {
            XCTAssertTrue(problems(in: table).contains { $0.hasPrefix(says) }, "not caught: \(says); found \(problems(in: table))")
        }
    }

    /// Why the layering forbids the edge, or that the table does not list it.
    private func reason(_ target: String, imports module: String) -> String {
        let widened = Self.table.map { $0.target == target ? Row(target: target, layer: $0.layer, imports: ($0.imports ?? []).union([module])) : $0 }
        let edge = problems(in: widened).first { $0.contains(" may not import \(module)") && $0.hasPrefix("\(target) (") }
        return edge?.components(separatedBy: "): ").dropFirst().joined(separator: "): ")
            ?? "not in \(target)'s row of the layer table (add it there if the layer rules allow it)"
    }

    private func problems(in table: [Row]) -> [String] {
        let position = Dictionary(uniqueKeysWithValues: table.enumerated().map { ($1.target, $0) })
        let rows = Dictionary(uniqueKeysWithValues: table.map { ($0.target, $0) })
        var problems: [String] = []
        for row in table {
            for module in (row.imports ?? []).sorted() {
                let edge = "\(row.target) (\(row.layer)) may not import \(module)"
                if Self.platform.contains(module) || Self.thirdParty.contains(module) {
                    if row.layer == .domain && module != "Foundation" {
                        problems.append("\(edge): domain modules import only Foundation and lower domain modules")
                    }
                    continue
                }
                guard let target = rows[module], let here = position[row.target], let there = position[module] else {
                    problems.append("\(edge) (not a module of the package)")
                    continue
                }
                let forbidden = "\(edge) (\(target.layer))"
                if Self.executables.contains(module) {
                    problems.append("\(forbidden): an executable is no library")
                } else if row.layer == .leaf || row.layer == .c {
                    problems.append("\(forbidden): a \(row.layer == .c ? "C library" : "leaf") imports no module of the package")
                } else if row.layer == .domain && target.layer != .domain {
                    problems.append("\(forbidden): domain modules import only Foundation and lower domain modules")
                } else if target.layer == .tool && !(row.layer == .tool || row.target == "bookingbot") {
                    problems.append("\(forbidden): only bookingbot (its sandbox subcommand) and the tools use the tools")
                } else if target.layer.rawValue > row.layer.rawValue && !(row.target == "bookingbot" && target.layer == .tool) {
                    problems.append("\(forbidden): a higher layer")
                } else if target.layer == row.layer && !(row.layer.ordersWithin && there < here) {
                    problems.append("\(forbidden): \(row.layer.ordersWithin ? "above it in its layer" : "the same layer")")
                }
            }
        }
        return problems
    }

    // MARK: - The code keeps the table

    /// The package root: three folders up from this file.
    private var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Each target folder of Sources/ with its Swift files' lines.
    private func sources() throws -> [(target: String, files: [(path: String, lines: [Substring])])] {
        let sources = root.appendingPathComponent("Sources")
        let targets = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { name in
            var folder: ObjCBool = false
            return FileManager.default.fileExists(atPath: sources.appendingPathComponent(name).path, isDirectory: &folder) && folder.boolValue
        }.sorted()
        return try targets.map { target in
            let folder = sources.appendingPathComponent(target)
            let paths = (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? [])
                .filter { $0.hasSuffix(".swift") }.sorted()
            return (target, try paths.map { path in
                let text = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
                return ("Sources/\(target)/\(path)", text.split(separator: "\n", omittingEmptySubsequences: false))
            })
        }
    }

    func testEveryImportIsAnEdgeTheTableAllows() throws {
        let rows = Dictionary(uniqueKeysWithValues: Self.table.map { ($0.target, $0) })
        let libraries = Set(Self.table.map(\.target)).subtracting(Self.executables)
        var checked = 0
        // `import X`, `@testable import X`, `import struct X.Y`, `@_exported import X`.
        let importLine = /^\s*(?:@\w+(?:\([^)]*\))?\s+)*import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?(\w+)/
        for (target, files) in try sources() {
            guard let row = rows[target] else {
                XCTFail("Sources/\(target)/: the target \(target) is not in the layer table (ArchitectureTests/LayeringTests.swift): place it in a layer")
                continue
            }
            let allowed = row.imports.map { $0.union(row.layer == .domain ? [] : Self.platform) }
                ?? libraries.union(Self.platform).union(Self.thirdParty)
            for (path, lines) in files {
                for (index, line) in lines.enumerated() {
                    guard let module = (try? importLine.prefixMatch(in: line))?.output.1 else { continue }
                    checked += 1
                    let imported = String(module)
                    if !allowed.contains(imported) {
                        let layer = rows[imported].map { "\($0.layer)" } ?? (Self.platform.contains(imported) ? "platform" : "not in the table")
                        let shown = row.layer == .domain ? allowed : allowed.subtracting(Self.platform)
                        XCTFail("\(path):\(index + 1): \(target) (\(row.layer)) imports \(imported) (\(layer)), a forbidden edge: "
                                + "\(reason(target, imports: imported)) (\(target) may import: \(shown.sorted().joined(separator: ", ")))")
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 100, "the scan found the sources and their imports")
    }

    func testSQLIsWrittenOnlyInStoreAndPostgres() throws {
        for (target, files) in try sources() where !Self.sqlTargets.contains(target) {
            for (path, lines) in files {
                for (index, line) in lines.enumerated() where line.contains(".query(") {
                    guard !line.drop(while: \.isWhitespace).hasPrefix("//") else { continue }
                    XCTFail("\(path):\(index + 1): \(target) calls `.query(`: SQL belongs in Store (only Store and Postgres run queries)")
                }
            }
        }
    }

    /// Foundation's `ISO8601DateFormatter` and `DateFormatter` are ICU's on Linux: the first
    /// one a process makes maps in more than a megabyte of ICU's tables, for good (the soak of
    /// issue #19 saw each process's memory step up then). `Date.ISO8601FormatStyle` is
    /// Foundation's own Swift and says the same. The backup command, a one-shot, may.
    func testTheProcessesFormatDatesWithoutICU() throws {
        for (target, files) in try sources() {
            for (path, lines) in files where path != "Sources/bookingbot/BackupCommand.swift" {
                for (index, line) in lines.enumerated() where line.contains("DateFormatter(") {
                    guard !line.drop(while: \.isWhitespace).hasPrefix("//") else { continue }
                    XCTFail("\(path):\(index + 1): \(target) makes an ICU date formatter: use Date.ISO8601FormatStyle (or Date.FormatStyle)")
                }
            }
        }
    }

    /// `JSONSerialization`'s `.sortedKeys` collates the keys with ICU on Linux (its first use
    /// maps in about 3.5 MB of ICU's tables): sorted JSON is written by `SortedJSON`.
    func testSortedJSONIsWrittenWithoutICU() throws {
        for (target, files) in try sources() {
            for (path, lines) in files {
                for (index, line) in lines.enumerated() where line.contains("JSONSerialization") && line.contains(".sortedKeys") {
                    guard !line.drop(while: \.isWhitespace).hasPrefix("//") else { continue }
                    XCTFail("\(path):\(index + 1): \(target) sorts JSON keys with JSONSerialization: use SortedJSON")
                }
            }
        }
    }
}
