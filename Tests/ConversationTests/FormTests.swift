import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// The generic form: fields asked in turn, each checked with a re-ask, skippable fields,
/// Back, edits from the preview, Confirm only when complete — and its draft carried in the
/// conversation state from update to update, through the router.
final class FormTests: XCTestCase {
    struct Draft: Codable, Sendable, Equatable {
        var name = ""
        var minutes = 0
        var note: String?
    }

    static let form = Form<Draft>(fields: [
        FormField(key: "name", prompt: StaffText.menu(role: .moderator), label: StaffButton.rules) { text, draft in
            guard (3...100).contains(text.count) else { return .length(min: 3, max: 100) }
            draft.name = text
            return nil
        },
        FormField(key: "minutes", prompt: StaffText.menu(role: .superAdmin), label: StaffButton.back) { text, draft in
            guard let minutes = Int(text), (15...480).contains(minutes) else { return .number(min: 15, max: 480) }
            draft.minutes = minutes
            return nil
        },
        FormField(key: "note", prompt: StaffText.rules(StaffRulesInfo(FormTests.rules)), label: StaffButton.skip, skippable: true) { text, draft in
            draft.note = text
            return nil
        },
    ])

    static let rules = BookingRules(clock: BusinessClock(zoneIdentifier: "Europe/Moscow")!, schedule: .everyDay(DayHours(openHour: 9, closeHour: 18)!),
                                    slotStepMinutes: 60, horizonMonths: 3, minNoticeMinutes: 60, maxActiveBookingsPerClient: 3,
                                    cancellationCutoffHours: 24, rescheduleCutoffHours: 24, reminderOffsetsMinutes: [1440, 120],
                                    feedbackHoursAfter: 2)
    private var form: Form<Draft> { Self.form }

    /// The field a step asks (checked against the state it stores) and the problem shown.
    private func asking(_ step: FormStep<Draft>, file: StaticString = #filePath, line: UInt = #line) -> (key: String?, problem: FieldProblem?) {
        guard case .ask(let state, let index, let problem) = step else { return (nil, nil) }
        XCTAssertEqual(state.asking, form.fields[index].key, "the state names the field asked", file: file, line: line)
        return (form.fields[index].key, problem)
    }

    private func state(_ step: FormStep<Draft>) -> FormState<Draft> {
        switch step {
        case .ask(let state, _, _), .preview(let state): return state
        }
    }

    func testFieldsAreAskedInTurnAndABadAnswerIsAskedAgainWithWhatWasWrong() {
        var step = form.start(Draft())
        XCTAssertEqual(asking(step).key, "name")
        step = form.typed("ab", state(step))
        XCTAssertEqual(asking(step).key, "name")
        XCTAssertEqual(asking(step).problem, .length(min: 3, max: 100))
        XCTAssertEqual(state(step).draft, Draft(), "a refused answer changes nothing")
        step = form.typed("  Haircut \n", state(step))
        XCTAssertEqual(asking(step).key, "minutes")
        XCTAssertEqual(state(step).draft.name, "Haircut", "trimmed")
        step = form.typed("an hour", state(step))
        XCTAssertEqual(asking(step).problem, .number(min: 15, max: 480))
        step = form.typed("60", state(step))
        XCTAssertEqual(asking(step).key, "note")
        XCTAssertFalse(form.isComplete(state(step)))
        step = form.control(.skip, state(step))
        guard case .preview(let done) = step else { return XCTFail("\(step)") }
        XCTAssertEqual(done.draft, Draft(name: "Haircut", minutes: 60, note: nil))
        XCTAssertTrue(form.isComplete(done))
    }

    func testOnlyASkippableFieldSkipsAndBackGoesToThePreviousField() {
        var step = form.start(Draft())
        XCTAssertEqual(asking(form.control(.skip, state(step))).key, "name", "a required field cannot be skipped")
        XCTAssertEqual(asking(form.control(.back, state(step))).key, "name", "nothing before the first")
        step = form.typed("Haircut", state(step))
        step = form.control(.back, state(step))
        XCTAssertEqual(asking(step).key, "name")
        XCTAssertEqual(state(step).draft.name, "Haircut", "the answer is kept")
        XCTAssertEqual(asking(form.control(.confirm, state(step))).key, "name", "Confirm does nothing before the preview")
    }

    func testAFieldChangedFromThePreviewReturnsToThePreview() {
        let complete = FormState(draft: Draft(name: "Haircut", minutes: 60, note: "x"), asking: nil)
        var step = form.control(.edit(1), complete)
        XCTAssertEqual(asking(step).key, "minutes")
        XCTAssertEqual(asking(form.control(.back, state(step))).key, nil, "Back from an edit is the preview again")
        step = form.typed("90", state(step))
        guard case .preview(let edited) = step else { return XCTFail("\(step)") }
        XCTAssertEqual(edited.draft, Draft(name: "Haircut", minutes: 90, note: "x"))
        XCTAssertEqual(asking(form.control(.edit(99), complete)).key, nil, "a field that is not there: the preview stays")
        XCTAssertEqual(asking(form.control(.back, complete)).key, "note", "Back from the preview: the last field")
    }

    // MARK: Through the router

    /// A flow built on the form, as a staff feature would be.
    struct DraftFlow: Flow {
        enum Action: FlowAction {
            case form(FormControl)
            static let flow: FlowID = "t"
            static let shapes = FormControl.shapes
            var encoded: ButtonCode { if case .form(let control) = self { return control.encoded }; return ButtonCode("fk") }
            init?(code: String, numbers: [Int]) {
                guard let control = FormControl(code: code, numbers: numbers) else { return nil }
                self = .form(control)
            }
        }

        struct Save: FlowChange {
            var draft: Draft
            func audit(of outcome: Draft?) -> AuditAction? { nil }
            func apply(to store: any StoreChanges, by actor: ChangeActor) throws -> Draft { draft }
        }

        func awaitsText(_ state: FormState<Draft>) -> Bool { state.asking != nil }

        func plan(_ event: Event<Action>, state: FormState<Draft>?, in context: Context) -> Plan<NoQuery, Save> {
            guard case .pressed(.form(.confirm), _) = event, let state, FormTests.form.isComplete(state) else { return Plan() }
            return Plan(change: Save(draft: state.draft))
        }

        func respond(_ event: Event<Action>, state: FormState<Draft>?, read: Void, outcome: Draft?,
                     in context: Context) -> Reply<FormState<Draft>> {
            let form = FormTests.form
            let step: FormStep<Draft>
            var entry: Entry?
            switch event {
            case .opened: step = form.start(Draft())
            case .typed(let text):
                guard let state else { return context.keep([]) }
                step = form.typed(text, state)
            case .pressed(.form(let control), let pressed):
                guard let state else { return context.alertOnly(.invalidButton) }
                if outcome != nil { return context.show(.menu(role: .superAdmin), buttons: [], entry: pressed, next: .close) }
                step = form.control(control, state)
                entry = pressed
            }
            return context.show(step, of: form, preview: { _ in StaffText.menu(role: .moderator) }, control: Action.form, entry: entry)
        }
    }

    /// Reads nothing and changes nothing itself: the form flow's change returns its draft.
    private struct NoStore: FlowSession, StoreReads {
        struct Unused: Error {}
        var reads: any StoreReads { self }
        func run<Change: FlowChange>(_ change: Change, flow: FlowID, access: Access, step: String) throws -> Change.Outcome? {
            try change.apply(to: Changes(), by: ChangeActor(id: 1, role: .moderator))
        }
        func refused(_ attempt: AuditAction) throws { throw Unused() }
        func bookingsMade(by person: Int64) throws -> Int { throw Unused() }
        func bookableServices() throws -> [BookableService] { throw Unused() }
        func service(_ id: Int64) throws -> BookableService? { throw Unused() }
        func upcomingBookings(of person: Int64) throws -> [ClientBooking] { throw Unused() }
        func pastVisits(of person: Int64) throws -> Int { throw Unused() }
        func confirmedBooking(_ id: Int64, of person: Int64) throws -> ClientBooking? { throw Unused() }
        func occupancy(days: ClosedRange<LocalDate>, excluding booking: Int64?) throws -> Occupancy { throw Unused() }
        func auditPage(offset: Int, limit: Int) throws -> AuditPage { throw Unused() }
        func allServices() throws -> [StaffService] { throw Unused() }
        func serviceBookings(_ id: Int64) throws -> ServiceBookingCounts { throw Unused() }

        struct Changes: StoreChanges {
            func book(service: Int64, start: Date, client: Int64, by actor: ChangeActor) throws -> ChangeResult<ClientBooking> { throw Unused() }
            func cancel(booking: Int64, by actor: ChangeActor, reason: String?) throws -> ChangeResult<ClientBooking> { throw Unused() }
            func move(booking: Int64, to start: Date, by actor: ChangeActor) throws -> ChangeResult<BookingMove> { throw Unused() }
            func rate(booking: Int64, by client: Int64, stars: Int) throws -> RatingOutcome { throw Unused() }
            func comment(booking: Int64, by client: Int64, text: String) throws -> Bool { throw Unused() }
            func createService(_ fields: ServiceFields) throws -> ServiceResult { throw Unused() }
            func updateService(_ id: Int64, _ fields: ServiceFields) throws -> ServiceResult { throw Unused() }
            func setServiceActive(_ id: Int64, _ active: Bool) throws -> ServiceResult { throw Unused() }
            func archiveService(_ id: Int64) throws -> ServiceResult { throw Unused() }
            func restoreService(_ id: Int64) throws -> ServiceResult { throw Unused() }
            func deleteService(_ id: Int64) throws -> ServiceResult { throw Unused() }
            func moveService(_ id: Int64, _ direction: ServiceMove) throws -> ServiceResult { throw Unused() }
        }
    }

    func testTheDraftTravelsInTheConversationStateAndConfirmSubmitsIt() throws {
        let now = Date(timeIntervalSince1970: 1_796_281_200)
        let settings = ConversationSettings(languageSetting: "en", serviceLocation: "", callbackTTL: 3600, clock: Self.rules.clock)
        let router = Router(settings: settings, routes: Routes(anyone: [.command("form", DraftFlow())]))
        let person = Person(id: 1, firstName: "Olga", languageCode: "en")
        let situation = Situation(now: now, person: person, role: .moderator, rules: Self.rules)
        var stored: String?
        func send(_ incoming: Incoming) throws -> Turn {
            let turn = try router.handle(incoming, stored: stored, situation: situation, session: NoStore())
            stored = turn.state.encoded()
            return turn
        }
        func press(_ control: FormControl) throws -> Turn {
            try send(.button(queryID: "q", data: CallbackEnvelope.encode(DraftFlow.Action.form(control), issuedAt: now), messageID: 5, from: person))
        }
        func text(_ turn: Turn) -> String? {
            turn.replies.compactMap { reply -> String? in
                switch reply {
                case .message(let text, _, _), .edit(_, let text, _): return text
                default: return nil
                }
            }.first
        }
        XCTAssertEqual(text(try send(.command("form", argument: "", from: person))), Texts.text(StaffText.menu(role: .moderator), in: .en))
        let again = try send(.text("ab", from: person))
        XCTAssertEqual(text(again), FieldAgain(problem: .length(min: 3, max: 100), prompt: StaffText.menu(role: .moderator)).text(in: .en))
        _ = try send(.text("Haircut", from: person))
        _ = try send(.text("45", from: person))
        let preview = try press(.skip)
        XCTAssertEqual(text(preview), Texts.text(StaffText.menu(role: .moderator), in: .en), "the preview")
        XCTAssertEqual(try ConversationState.decode(stored!).get().flow, "t")
        let confirmed = try press(.confirm)
        XCTAssertEqual(text(confirmed), Texts.text(StaffText.menu(role: .superAdmin), in: .en), "submitted")
        XCTAssertEqual(confirmed.state, .idle)
        XCTAssertEqual(confirmed.replies.filter { if case .answer = $0 { return true } else { return false } }.count, 1)
        // A form button after the form closed no longer works, and a stray text is not taken.
        XCTAssertEqual(try press(.skip).replies, [.answer(queryID: "q", text: Texts.alert(.invalidButton, in: .en), alert: false)])
        XCTAssertEqual(text(try send(.text("Haircut", from: person))), Texts.text(.unknownInput, in: .en))
    }

    func testTheFormScreensOfferSkipBackAndAnEditButtonPerField() throws {
        let now = Date(timeIntervalSince1970: 1_796_281_200)
        let context = Context(situation: Situation(now: now, person: Person(id: 1, firstName: "Olga", languageCode: "en"), role: .moderator,
                                                   rules: Self.rules),
                              settings: ConversationSettings(languageSetting: "en", serviceLocation: "", callbackTTL: 3600, clock: Self.rules.clock))
        func labels(_ step: FormStep<Draft>) -> [String] {
            let reply = context.show(step, of: form, preview: { _ in StaffText.menu(role: .moderator) }, control: DraftFlow.Action.form, entry: nil)
            guard case .message(_, _, let buttons?) = reply.replies.first else { return [] }
            return buttons.joined().map(\.text)
        }
        let label = { (button: StaffButton) in Texts.label(button, in: .en) }
        XCTAssertEqual(labels(form.start(Draft())), [Texts.label(.cancel, in: .en)], "first field: no Back, no Skip")
        XCTAssertEqual(labels(.ask(FormState(draft: Draft(), asking: "note"), field: 2, problem: nil)),
                       [label(.back), label(.skip), Texts.label(.cancel, in: .en)])
        XCTAssertEqual(labels(.preview(FormState(draft: Draft(), asking: nil))),
                       [label(.rules), label(.back), label(.skip), label(.confirm), Texts.label(.cancel, in: .en)])
    }
}
