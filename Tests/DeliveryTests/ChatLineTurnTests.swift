import Foundation
import Store
@testable import Delivery
import XCTest

/// Chats take turns at the send budget: a chat sent back (a 429, a spent budget) keeps
/// its place against chats that join the lines after it, so under a lasting overload —
/// every chat sent to and joining again with its next reply — none waits for good.
final class ChatLineTurnTests: XCTestCase {
    private func line(chat: Int64, row: Int64, lane: OutboxLane = .interactive, joined: TimeInterval) -> ChatLine {
        var line = ChatLine(joined: joined)
        line.add([OutboxMessage(id: row, chatID: chat, method: "sendMessage", payload: "{}", priority: lane.rawValue, attempts: 0)])
        return line
    }

    func testAChatSentBackGoesBeforeChatsThatJoinedAfterItsTry() {
        var sentBack = line(chat: 1, row: 10, joined: 100)
        sentBack.lastStarted = 105  // its call got a 429
        let joinedLater = line(chat: 2, row: 20, joined: 106)
        let joinedEarlier = line(chat: 3, row: 30, joined: 104)
        let order = [joinedLater, sentBack, joinedEarlier].sorted { $0.goesBefore($1) }.map { $0.rows[0].chatID }
        XCTAssertEqual(order, [3, 1, 2])
    }

    func testUnderALastingOverloadEveryChatIsSentWithinOneRoundOfTheOthers() {
        // One send a tick; the chat sent leaves and joins again at once with its next
        // reply, as people waiting for replies do. Chat 0 was sent back before the start.
        var lines: [Int64: ChatLine] = [:]
        for chat in Int64(0)..<10 { lines[chat] = line(chat: chat, row: chat + 1, joined: Double(chat)) }
        lines[0]?.lastStarted = 9.5
        var sentAt: [Int64: [Int]] = [:]
        var nextRow: Int64 = 100
        for tick in 10..<60 {
            let chat = lines.sorted { $0.value.goesBefore($1.value) }[0].key
            sentAt[chat, default: []].append(tick)
            nextRow += 1
            lines[chat] = line(chat: chat, row: nextRow, joined: Double(tick))
        }
        for chat in Int64(0)..<10 {
            let ticks = [9] + (sentAt[chat] ?? [])
            let gaps = zip(ticks, ticks.dropFirst()).map { $1 - $0 }
            XCTAssertLessThanOrEqual(gaps.max() ?? .max, 11, "chat \(chat) waited more than a round: sent at \(sentAt[chat] ?? [])")
        }
    }

    func testRepliesGoBeforeBackgroundSendsWhateverTheirTurn() {
        let background = line(chat: 1, row: 10, lane: .background, joined: 0)
        let reply = line(chat: 2, row: 20, joined: 50)
        XCTAssertTrue(reply.goesBefore(background))
        XCTAssertFalse(background.goesBefore(reply))
    }
}
