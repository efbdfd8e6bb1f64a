import Foundation
import Texts

/// Creating and editing a service (SPEC admin 5) on the `Form` engine: name, description,
/// duration, price text and amount, each checked with a clear re-ask; an edit opens at the
/// preview with the stored service. Nothing is written until Confirm, which checks the
/// whole draft again and writes it in one change (the store settles a name taken
/// meanwhile); `/cancel` leaves nothing behind.
public struct ServiceFormFlow: Flow {
    public enum Action: FlowAction {
        case new
        case edit(Int64)
        case form(FormControl)

        public static let flow: FlowID = "sf"
        public static let shapes: [String: [ButtonField]] = FormControl.shapes.merging(["n": [], "e": [.id]]) { form, _ in form }
        public var encoded: ButtonCode {
            switch self {
            case .new: return ButtonCode("n")
            case .edit(let id): return ButtonCode("e", [Int(id)])
            case .form(let control): return control.encoded
            }
        }
        public init?(code: String, numbers: [Int]) {
            switch (code, numbers.count) {
            case ("n", 0): self = .new
            case ("e", 1): self = .edit(Int64(numbers[0]))
            default:
                guard let control = FormControl(code: code, numbers: numbers) else { return nil }
                self = .form(control)
            }
        }
    }

    /// The service being made, as typed so far.
    public struct Draft: Codable, Sendable, Equatable {
        /// The service edited; nil for a new one.
        public var service: Int64?
        public var name = ""
        public var description = ""
        public var durationMinutes = 0
        public var priceText = ""
        public var priceCents: Int64?

        public init(service: Int64? = nil) {
            self.service = service
        }

        init(_ stored: StaffService) {
            service = stored.id
            name = stored.fields.name
            description = stored.fields.description
            durationMinutes = stored.fields.durationMinutes
            priceText = stored.fields.priceText
            priceCents = stored.fields.priceCents
        }

        /// The draft's fields if every one passes its check again (a stored draft is not
        /// trusted at Confirm); the name's uniqueness is the store's to settle.
        public var validated: ServiceFields? {
            guard ServiceInput.nameProblem(name, taken: []) == nil, name == ServiceInput.clean(name),
                  description == ServiceInput.clean(description, keepingLines: true), priceText == ServiceInput.clean(priceText),
                  ServiceInput.textProblem(description, max: ServiceInput.descriptionMax) == nil,
                  ServiceInput.minutesProblem(durationMinutes) == nil,
                  ServiceInput.textProblem(priceText, max: ServiceInput.priceTextMax) == nil,
                  priceCents.map({ (0...ServiceInput.maxCents).contains($0) }) ?? true else { return nil }
            return ServiceFields(name: name, description: description, durationMinutes: durationMinutes, priceText: priceText,
                                 priceCents: priceCents)
        }
    }

    public typealias State = FormState<Draft>

    /// Every service: the one edited, and the names in use for the name's check.
    public struct Query: FlowQuery {
        public func read(from store: any StoreReads) throws -> [StaffService] { try store.allServices() }
    }

    /// Confirm: the draft created or written over the stored service.
    public struct Save: FlowChange {
        var draft: Draft

        public func audit(of outcome: ServiceResult?) -> AuditAction? {
            let refused = outcome?.refusal
            guard let service = draft.service else {
                var created: Int64?
                if case .done(let service, _)? = outcome { created = service.id }
                return .serviceCreated(service: created, name: draft.name, refused: refused)
            }
            var changes: [ServiceFieldChange] = []
            if case .done(let after, let before?)? = outcome { changes = ServiceFieldChange.between(before, after.fields) }
            return .serviceUpdated(service: service, changes: changes, refused: refused)
        }

        public func apply(to store: any StoreChanges, by actor: ChangeActor) throws -> ServiceResult {
            guard let fields = draft.validated else { return .refused(.invalid) }
            guard let service = draft.service else { return try store.createService(fields) }
            return try store.updateService(service, fields)
        }
    }

    static let nameField = 0

    /// The form, with the names in use its name check refuses (read by the step's query:
    /// a field's check is pure) and the amount's question showing the draft's amount.
    static func form(taken: Set<String>, draft: Draft) -> Form<Draft> {
        Form(fields: [
            FormField(key: "name", prompt: ServicesText.askName, label: ServicesButton.fieldName) { text, draft in
                let text = ServiceInput.clean(text)
                if let problem = ServiceInput.nameProblem(text, taken: taken) { return problem }
                draft.name = text
                return nil
            },
            FormField(key: "description", prompt: ServicesText.askDescription, label: ServicesButton.fieldDescription,
                      skippable: true) { text, draft in
                let text = ServiceInput.isNone(text) ? "" : ServiceInput.clean(text, keepingLines: true)
                if let problem = ServiceInput.textProblem(text, max: ServiceInput.descriptionMax) { return problem }
                draft.description = text
                return nil
            },
            FormField(key: "duration", prompt: ServicesText.askDuration, label: ServicesButton.fieldDuration) { text, draft in
                let problem = FieldProblem.minutes(min: ServiceInput.minutes.lowerBound, max: ServiceInput.minutes.upperBound,
                                                   step: ServiceInput.minuteStep)
                guard let minutes = ServiceInput.minutes(text), ServiceInput.minutesProblem(minutes) == nil else { return problem }
                draft.durationMinutes = minutes
                return nil
            },
            FormField(key: "price", prompt: ServicesText.askPriceText, label: ServicesButton.fieldPriceText, skippable: true) { text, draft in
                let text = ServiceInput.isNone(text) ? "" : ServiceInput.clean(text)
                if let problem = ServiceInput.textProblem(text, max: ServiceInput.priceTextMax) { return problem }
                // The amount follows the price text while it is the one found there (or none).
                if draft.priceCents == nil || draft.priceCents == ServiceInput.centsFound(in: draft.priceText) {
                    draft.priceCents = ServiceInput.centsFound(in: text)
                }
                draft.priceText = text
                return nil
            },
            FormField(key: "amount", prompt: ServicesText.askAmount(current: draft.priceCents.map(ServicePrice.text(cents:))),
                      label: ServicesButton.fieldAmount, skippable: true) { text, draft in
                if ServiceInput.isNone(text) {
                    draft.priceCents = nil
                    return nil
                }
                guard let cents = ServiceInput.cents(text) else { return .amount }
                draft.priceCents = cents
                return nil
            },
        ])
    }

    public init() {}

    public func awaitsText(_ state: State) -> Bool { state.asking != nil }

    public func plan(_ event: Event<Action>, state: State?, in context: Context) -> Plan<Query, Save> {
        guard case .pressed(.form(.confirm), _) = event, let state,
              Self.form(taken: [], draft: state.draft).isComplete(state) else { return Plan(query: Query()) }
        return Plan(query: Query(), change: Save(draft: state.draft))
    }

    public func respond(_ event: Event<Action>, state: State?, read services: [StaffService], outcome: ServiceResult?,
                        in context: Context) -> Reply<State> {
        let step: FormStep<Draft>
        var entry: Entry?
        switch event {
        case .opened:
            step = Self.form(taken: [], draft: Draft()).start(Draft())
        case .pressed(.new, let pressed):
            entry = pressed
            step = Self.form(taken: [], draft: Draft()).start(Draft())
        case .pressed(.edit(let id), let pressed):
            guard let service = services.first(where: { $0.id == id && !$0.archived }) else { return notEditable(pressed, context) }
            entry = pressed
            step = .preview(FormState(draft: Draft(service), asking: nil))
        case .typed(let text):
            guard let state else { return context.keep([]) }
            step = Self.form(taken: Self.taken(services, besides: state.draft.service), draft: state.draft).typed(text, state)
        case .pressed(.form(let control), let pressed):
            guard let state else { return context.alertOnly(.invalidButton) }
            entry = pressed
            if control == .confirm, let outcome {
                switch outcome {
                case .done(let service, _):
                    return saved(service, created: state.draft.service == nil, pressed, context)
                case .refused(.nameTaken):
                    step = .ask(FormState(draft: state.draft, asking: "name", editing: true), field: Self.nameField, problem: .taken)
                case .refused(.notFound), .refused(.archived):
                    return notEditable(pressed, context)
                case .refused:
                    step = .preview(state)
                }
            } else {
                step = Self.form(taken: [], draft: state.draft).control(control, state)
            }
        }
        let shown = Self.form(taken: [], draft: Self.draft(of: step))
        return context.show(step, of: shown, preview: Self.preview, control: Action.form, entry: entry)
    }

    private static func draft(of step: FormStep<Draft>) -> Draft {
        switch step {
        case .ask(let state, _, _), .preview(let state): return state.draft
        }
    }

    /// The names in use (lowercased) that a service may not take: every other service's
    /// not archived.
    static func taken(_ services: [StaffService], besides service: Int64?) -> Set<String> {
        Set(services.filter { !$0.archived && $0.id != service }.map { $0.fields.name.lowercased() })
    }

    private static func preview(_ draft: Draft) -> any StaffScreenText {
        ServicesText.preview(ServicePreviewInfo(creating: draft.service == nil, name: draft.name, description: draft.description,
                                                durationMinutes: draft.durationMinutes, priceText: draft.priceText,
                                                amount: draft.priceCents.map(ServicePrice.text(cents:))))
    }

    private func saved(_ service: StaffService, created: Bool, _ entry: Entry, _ context: Context) -> Reply<State> {
        let say = context.say
        return context.show(ServicesText.saved(name: service.fields.name, created: created),
                            buttons: [[say.staffButton(ServicesButton.openCard, ServicesFlow.Action.card(service.id))],
                                      [say.staffButton(ServicesButton.toList, ServicesFlow.Action.list)]],
                            entry: entry, next: .close)
    }

    private func notEditable(_ entry: Entry, _ context: Context) -> Reply<State> {
        context.show(ServicesText.notEditable, buttons: [[context.say.staffButton(ServicesButton.toList, ServicesFlow.Action.list)]],
                     entry: entry, next: .close)
    }
}
