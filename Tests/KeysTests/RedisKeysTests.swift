import Foundation
import Keys
import XCTest

final class RedisKeysTests: XCTestCase {
    /// The "Redis keys" table of docs/architecture.md: its first column, in order.
    private func documentedKeys() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        let section = try XCTUnwrap(text.components(separatedBy: "\n## Redis keys\n").dropFirst().first, "no Redis keys section")
            .components(separatedBy: "\n## ")[0]
        return section.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("| `") else { return nil }
            return line.dropFirst(3).split(separator: "`", maxSplits: 1).first.map(String.init)
        }
    }

    func testTheDocumentedKeysAreExactlyTheOnesInUse() throws {
        let documented = try documentedKeys()
        let named = RedisKeys.Name.allCases.map(\.rawValue)
        XCTAssertEqual(Set(documented).count, documented.count, "a key is documented twice: \(documented)")
        XCTAssertEqual(Set(documented).subtracting(named).sorted(), [], "documented in docs/architecture.md but not a RedisKeys.Name")
        XCTAssertEqual(Set(named).subtracting(documented).sorted(), [], "a RedisKeys.Name missing from docs/architecture.md's Redis keys table")
    }

    /// Every key carries the prefix as its hash tag, and the accessors fill the names in.
    func testAccessorsSpellTheNames() {
        let keys = RedisKeys(prefix: "bb")
        XCTAssertEqual(keys.inbox(-100_42), "{bb}:in:-10042")
        XCTAssertEqual(keys.inboxPrefix, "{bb}:in:")
        XCTAssertEqual(keys.seen(7), "{bb}:seen:7")
        XCTAssertEqual([keys.ready, keys.lease, keys.owner, keys.attempts, keys.handouts, keys.wake, keys.dead, keys.stats, keys.workers],
                       ["ready", "lease", "owner", "attempts", "handouts", "wake", "dead", "stats", "workers"].map { "{bb}:\($0)" })
        XCTAssertEqual([keys.ingressLeader, keys.ingressOffset], ["{bb}:ingress:leader", "{bb}:ingress:offset"])
        XCTAssertEqual([keys.statsLatency, keys.statsTelegram, keys.statsReminders, keys.statsSentry, keys.remindersAlive],
                       ["{bb}:stats:latency", "{bb}:stats:telegram", "{bb}:stats:reminders", "{bb}:stats:sentry", "{bb}:reminders"])
        XCTAssertEqual([keys.errors, keys.errorsSending, keys.errorFate("ab12")], ["{bb}:errors", "{bb}:errors:sending", "{bb}:errors:fate:ab12"])
        XCTAssertEqual([keys.sendWindow, keys.chatSendBudget(5), keys.floodLast(kind: "button", user: 9), keys.floodWarned(kind: "message", user: 9)],
                       ["{bb}:rl:sent", "{bb}:rl:chat:5", "{bb}:rl:button:9", "{bb}:rl:warned:message:9"])
        for name in RedisKeys.Name.allCases {
            let holes = name.rawValue.filter { $0 == "<" }.count
            let key = keys.key(name, Array(repeating: "x", count: holes))
            XCTAssertTrue(key.hasPrefix("{bb}:") && !key.contains("<"), key)
        }
    }
}
