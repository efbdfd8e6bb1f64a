import BotTestSupport
import Conversation
import Foundation
import Postgres
import Sandbox
import Telegram
import Texts
import XCTest

/// Issue 17's acceptance 5, against the real ingress and worker processes and the Sandbox:
/// staff added by id and by a forwarded message (each told in their language); the fourth
/// addition within an hour refused, and still refused after the worker is killed and a new
/// one started; nobody changes themselves; owners stay; the last super admin can be
/// neither demoted nor removed.
final class AdminsEndToEndTests: BotTestCase {
    private let owner: Int64 = 1000
    private let vera: Int64 = 1001, max: Int64 = 1002, ivan: Int64 = 1003, lena: Int64 = 1004

    private func en(_ text: AdminsText) -> String { text.text(in: .en) }
    private func label(_ button: AdminsButton) -> String { button.label(in: .en) }
    /// Vera speaks Russian.
    private func ru(_ text: AdminsText) -> String { text.text(in: .ru) }
    private func ruLabel(_ button: AdminsButton) -> String { button.label(in: .ru) }

    /// How far the bot has got in a chat: its messages and their edits.
    private func progress(_ user: Int64) -> Int {
        let messages = sandbox.transcript(chatID: user)?.botMessages ?? []
        return messages.count + messages.map(\.editCount).reduce(0, +)
    }

    /// Waits until the bot's latest message in the chat reads `text`, after `before`.
    private func waitForText(_ text: String, _ user: Int64, after before: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        _ = try waitFor(user, file: file, line: line) { transcript in
            transcript.botMessages.count + transcript.botMessages.map(\.editCount).reduce(0, +) > before
                && transcript.botMessages.last?.text == text
        }
    }

    private func type(_ text: String, from user: Int64, expecting reply: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let before = progress(user)
        _ = try sandbox.sendText(text, from: user)
        try waitForText(reply, user, after: before, file: file, line: line)
    }

    /// Presses data no screen offered, on the chat's latest message, and returns the screen it leads to.
    private func forge(_ action: AdminsFlow.Action, by user: Int64, file: StaticString = #filePath, line: UInt = #line) throws -> String? {
        let transcript = try XCTUnwrap(sandbox.transcript(chatID: user), file: file, line: line)
        let message = try XCTUnwrap(transcript.botMessages.last, file: file, line: line)
        _ = try sandbox.pressForged(from: user, messageID: message.messageID, callbackData: CallbackEnvelope.encode(action, issuedAt: now))
        return try waitForAnswer(user, after: transcript.callbackAnswers.count, file: file, line: line).botMessages.last?.text
    }

    private func role(of user: Int64) throws -> String? {
        try database.connect().query("SELECT role FROM admins WHERE user_id = $1", [.int(user)]).first?.get("role")
    }

    private func openAdd() throws {
        try tap(label(.backToList), of: owner)
        try tap(label(.add), of: owner)
    }

    func testTheHourlyLimitSurvivesARestartNobodyChangesThemselvesAndTheLastSuperAdminStays() throws {
        try startBot(["ADMIN_IDS": "\(owner)", "BOT_LANGUAGE": "auto"])
        user(owner, "Olga", language: "en")
        for (id, name, language) in [(vera, "Вера", "ru"), (max, "Max", "en"), (ivan, "Ivan", "en"), (lena, "Lena", "en")] {
            user(id, name, language: language)
            try say("/start", from: id, thenBotMessages: 1)
        }
        try say("/admin", from: owner, thenBotMessages: 1)
        try tap(label(.menuEntry), of: owner)

        // Vera by her id, as a super admin; she is told in Russian.
        try tap(label(.add), of: owner)
        try type(String(vera), from: owner, expecting: en(.confirmAdd(id: vera, name: "Вера", username: nil)))
        try tap(label(.addAs(superAdmin: true)), of: owner)
        _ = try waitFor(vera) { $0.botMessages.last?.text == Texts.text(.staffAccessChanged(.added(superAdmin: true)), in: .ru) }
        // Max by a forwarded message of his; Ivan by id: moderators.
        try openAdd()
        let before = progress(owner)
        _ = try sandbox.forward("see you at 10", from: owner, originalSender: User(id: max, firstName: "Max", languageCode: "en"))
        try waitForText(en(.confirmAdd(id: max, name: "Max", username: nil)), owner, after: before)
        try tap(label(.addAs(superAdmin: false)), of: owner)
        try openAdd()
        try type(String(ivan), from: owner, expecting: en(.confirmAdd(id: ivan, name: "Ivan", username: nil)))
        try tap(label(.addAs(superAdmin: false)), of: owner)
        XCTAssertEqual(try [vera, max, ivan].map { try role(of: $0) }, ["super_admin", "moderator", "moderator"])

        // The fourth within the hour is refused.
        let refusal = en(.refused(.hourlyLimit, name: "Lena", limit: 3))
        try openAdd()
        try type(String(lena), from: owner, expecting: en(.confirmAdd(id: lena, name: "Lena", username: nil)))
        try tap(label(.addAs(superAdmin: false)), of: owner)
        XCTAssertEqual(lastText(owner), refusal)
        XCTAssertNil(try role(of: lena))

        // The worker is killed and a new one started: still refused (the count is the audit log's).
        workers[0].signal(SIGKILL)
        _ = workers[0].wait()
        try startWorker(try environment.merging(["ADMIN_IDS": "\(owner)", "RATE_LIMIT_MESSAGE": "0", "RATE_LIMIT_CALLBACK": "0"]) { $1 })
        try openAdd()
        try type(String(lena), from: owner, expecting: en(.confirmAdd(id: lena, name: "Lena", username: nil)))
        try tap(label(.addAs(superAdmin: false)), of: owner)
        XCTAssertEqual(lastText(owner), refusal)
        XCTAssertNil(try role(of: lena))
        let adds: [String] = try database.connect().query("SELECT details->>'outcome' AS o FROM audit_log WHERE action = 'admin.add' ORDER BY id")
            .map { try $0.get("o") }
        XCTAssertEqual(adds, ["done", "done", "done", "refused:hourly_limit", "refused:hourly_limit"])

        // Nobody changes themselves; owners stay: forged presses are refused by the store.
        XCTAssertEqual(try forge(.setRole(owner, superAdmin: false), by: owner), en(.refused(.themselves, name: "Olga", limit: 3)))
        try say("/admin", from: vera, thenBotMessages: (sandbox.transcript(chatID: vera)?.botMessages.count ?? 0) + 1)
        try tap(ruLabel(.menuEntry), of: vera)
        try tap(ruLabel(.member(AdminEntry(id: vera, isOwner: false, superAdmin: true, firstName: "Вера"))), of: vera)
        XCTAssertEqual(sandbox.transcript(chatID: vera)?.botMessages.last?.inlineButtons.map(\.text), [ruLabel(.backToList)],
                       "one's own card offers no change")
        XCTAssertEqual(try forge(.remove(vera), by: vera), ru(.refused(.themselves, name: "Вера", limit: 3)))
        XCTAssertEqual(try forge(.setRole(owner, superAdmin: false), by: vera), ru(.refused(.owner, name: "Olga", limit: 3)))
        XCTAssertEqual(try forge(.remove(owner), by: vera), ru(.refused(.owner, name: "Olga", limit: 3)))

        // Without owners Vera is the last super admin: she cannot demote or remove herself,
        // and a moderator's forged press is refused as no access.
        workers[0].signal(SIGKILL)
        _ = workers[0].wait()
        try startWorker(try environment.merging(["ADMIN_IDS": "", "RATE_LIMIT_MESSAGE": "0", "RATE_LIMIT_CALLBACK": "0"]) { $1 })
        XCTAssertEqual(try forge(.setRole(vera, superAdmin: false), by: vera), ru(.refused(.themselves, name: "Вера", limit: 3)))
        XCTAssertEqual(try forge(.remove(vera), by: vera), ru(.refused(.themselves, name: "Вера", limit: 3)))
        try say("/admin", from: max, thenBotMessages: (sandbox.transcript(chatID: max)?.botMessages.count ?? 0) + 1)
        let answered = sandbox.transcript(chatID: max)?.callbackAnswers.count ?? 0
        let message = try XCTUnwrap(sandbox.transcript(chatID: max)?.botMessages.last)
        _ = try sandbox.pressForged(from: max, messageID: message.messageID,
                                    callbackData: CallbackEnvelope.encode(AdminsFlow.Action.setRole(vera, superAdmin: false), issuedAt: now))
        let refused = try waitForAnswer(max, after: answered)
        XCTAssertEqual(refused.callbackAnswers.last?.text, Texts.alert(.noAccess, in: .en))
        XCTAssertEqual(try role(of: vera), "super_admin", "the last super admin stays")
        let audited: [String] = try database.connect().query("""
            SELECT action || ' ' || coalesce(details->>'outcome', 'allowed=' || allowed::text) AS line FROM audit_log
            WHERE action LIKE 'admin.%' OR (action = 'flow.step' AND target = 'flow:ad') ORDER BY id
            """).map { try $0.get("line") }
        XCTAssertEqual(Array(audited.suffix(7)), ["admin.role refused:themselves", "admin.remove refused:themselves", "admin.role refused:owner",
                                                  "admin.remove refused:owner", "admin.role refused:themselves",
                                                  "admin.remove refused:themselves", "flow.step allowed=false"])
        try TranscriptWriter.save(sandbox.transcript(chatID: owner), as: "17-admins-owner")
        try TranscriptWriter.save(sandbox.transcript(chatID: vera), as: "17-admins-vera")
    }
}
