import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// The audit log export's screens and its job, through the router: a super admin's
/// Confirm is a change (audited) whose reply starts the job; nobody else gets that far;
/// and a job is kept only from a staff change the runner allowed, whatever a flow replies.
final class AuditExportFlowTests: ConversationTestCase {
    private func staffText(_ text: StaffText) -> String { Texts.text(text, in: .en) }

    func testASuperAdminConfirmsAndTheJobStartsWithTheAuditedChange() throws {
        let asked = store { $0.roleAtCommit = .superAdmin }
        let ask = turn(press(AuditExportFlow.Action.ask), store: asked, role: .superAdmin)
        XCTAssertEqual(screen(ask).text, staffText(.auditExportAsk))
        XCTAssertEqual(screen(ask).buttons.joined().map(action), [.auditExport(.confirm), .staff(.home)])
        XCTAssertEqual(ask.effects, [])
        XCTAssertEqual(asked.audited, [], "a screen is no change")
        XCTAssertEqual(ask.state, ConversationState(flow: "e", messageID: 900))

        let confirmed = store { $0.roleAtCommit = .superAdmin }
        let confirm = turn(press(AuditExportFlow.Action.confirm), state: ask.state, store: confirmed, role: .superAdmin)
        XCTAssertEqual(screen(confirm).text, staffText(.auditExportStarted))
        XCTAssertEqual(screen(confirm).buttons.joined().map(action), [.staff(.home)])
        XCTAssertEqual(confirm.effects, [.startJob(.auditExport(JobRequester(person: anna.id, chat: anna.id, language: .en)))])
        XCTAssertEqual(confirmed.audited, [.exportStarted(.auditExport)])
        XCTAssertEqual(confirmed.changesAsked, [], "nothing else changes")
        XCTAssertEqual(confirm.state, .idle)
        XCTAssertEqual(answers(confirm), [nil])
    }

    func testAModeratorsPressIsRefusedAndARoleRevokedMeanwhileStartsNothing() throws {
        for action in [AuditExportFlow.Action.ask, .confirm] {
            let moderator = store { $0.roleAtCommit = .moderator }
            let refused = turn(press(action), store: moderator, role: .moderator)
            XCTAssertEqual(refused.replies, [.answer(queryID: "q1", text: alert(.noAccess), alert: false)])
            XCTAssertEqual(refused.effects, [])
            XCTAssertEqual(moderator.refusals, [.attempt(flow: "e", step: action.encoded.code)])
        }
        // Demoted between the screen and Confirm: the runner refuses, and the refusal is the
        // export's own audit entry.
        let demoted = store { $0.roleAtCommit = .moderator }
        let late = turn(press(AuditExportFlow.Action.confirm), state: ConversationState(flow: "e", messageID: 900), store: demoted,
                        role: .superAdmin)
        XCTAssertEqual(late.effects, [])
        XCTAssertEqual(answers(late), [alert(.noAccess)])
        XCTAssertEqual(demoted.refusals, [.exportStarted(.auditExport)])
        XCTAssertEqual(demoted.audited, [])
    }

    func testAJobIsKeptOnlyFromAStaffChangeTheRunnerAllowed() throws {
        let staffRouter = Router(settings: settings, routes: Routes(anyone: [], superAdmin: [.command("job", JobFlow())]))
        let clientRouter = Router(settings: settings, routes: Routes(anyone: [.command("job", JobFlow())]))
        let requested = Effect.startJob(.auditExport(JobRequester(person: anna.id, chat: anna.id, language: .en)))
        func effects(_ router: Router, _ incoming: Incoming, role: Role) throws -> [Effect] {
            try router.handle(incoming, stored: nil, situation: situation(role: role), session: store { $0.roleAtCommit = role }).effects
        }
        XCTAssertEqual(try effects(staffRouter, press(JobFlow.Action.run), role: .superAdmin), [requested], "a staff change that ran")
        XCTAssertEqual(try effects(staffRouter, command("job"), role: .superAdmin), [], "a step without a change")
        XCTAssertEqual(try effects(clientRouter, press(JobFlow.Action.run), role: .client), [], "a client's change")
        XCTAssertEqual(try effects(clientRouter, command("job"), role: .client), [])
    }
}

/// A flow that asks for a job on every step, with a change on its button only.
private struct JobFlow: Flow {
    enum Action: FlowAction {
        case run

        static let flow: FlowID = "zj"
        static let shapes: [String: [ButtonField]] = ["r": []]
        var encoded: ButtonCode { ButtonCode("r") }
        init?(code: String, numbers: [Int]) {
            guard code == "r" else { return nil }
            self = .run
        }
    }

    struct Run: FlowChange {
        func audit(of outcome: Void?) -> AuditAction? { nil }
        func apply(to store: any StoreChanges, by actor: ChangeActor) throws {}
    }

    func plan(_ event: Event<Action>, state: NoState?, in context: Context) -> Plan<NoQuery, Run> {
        if case .pressed = event { return Plan(change: Run()) }
        return Plan()
    }

    func respond(_ event: Event<Action>, state: NoState?, read: Void, outcome: Void?, in context: Context) -> Reply<NoState> {
        let requester = JobRequester(person: context.person.id, chat: context.chat, language: context.say.language)
        return context.idle([], effects: [.startJob(.auditExport(requester))])
    }
}
