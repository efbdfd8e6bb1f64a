import Foundation
import Texts

/// One field of a form: how it is asked, what its edit button says, and how a typed
/// answer becomes part of the draft (parsed and checked; a problem re-asks).
public struct FormField<Draft>: Sendable {
    /// Stable: it is stored in the state between updates.
    public let key: String
    public let prompt: any StaffScreenText
    /// The preview's button to change this field.
    public let label: any StaffLabel
    public let skippable: Bool
    /// Reads the answer into the draft, or says what is wrong with it (the draft is then
    /// left as it was).
    public let read: @Sendable (String, inout Draft) -> FieldProblem?

    public init(key: String, prompt: any StaffScreenText, label: any StaffLabel, skippable: Bool = false,
                read: @escaping @Sendable (String, inout Draft) -> FieldProblem?) {
        self.key = key
        self.prompt = prompt
        self.label = label
        self.skippable = skippable
        self.read = read
    }
}

/// Where a form stands, kept in the conversation state across updates and workers.
public struct FormState<Draft: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var draft: Draft
    /// The field being asked; nil: the preview (every field answered or skipped).
    public var asking: String?
    /// A field opened from the preview: after it, back to the preview.
    public var editing: Bool

    public init(draft: Draft, asking: String?, editing: Bool = false) {
        self.draft = draft
        self.asking = asking
        self.editing = editing
    }
}

/// What the form shows next.
public enum FormStep<Draft: Codable & Sendable & Equatable>: Sendable, Equatable {
    /// Ask this field (again, with the problem of the last answer).
    case ask(FormState<Draft>, field: Int, problem: FieldProblem?)
    case preview(FormState<Draft>)
}

/// The form's own buttons, which a flow built on a form carries among its actions.
public enum FormControl: Sendable, Hashable {
    case skip
    case back
    /// Change one field from the preview (its index in the form).
    case edit(Int)
    case confirm

    /// The codes, for the flow's `shapes`.
    public static let shapes: [String: [ButtonField]] = ["fs": [], "fb": [], "fe": [.small], "fk": []]

    public var encoded: ButtonCode {
        switch self {
        case .skip: return ButtonCode("fs")
        case .back: return ButtonCode("fb")
        case .edit(let field): return ButtonCode("fe", [field])
        case .confirm: return ButtonCode("fk")
        }
    }

    public init?(code: String, numbers: [Int]) {
        switch (code, numbers.count) {
        case ("fs", 0): self = .skip
        case ("fb", 0): self = .back
        case ("fe", 1): self = .edit(numbers[0])
        case ("fk", 0): self = .confirm
        default: return nil
        }
    }
}

/// A multi-step form: fields asked in turn, each parsed and checked with a clear re-ask,
/// skippable fields, Back, a preview from which any field can be changed, and Confirm.
/// Pure: the flow keeps the `FormState` as its `State` and shows the steps with
/// `Context.show(_:form:preview:…)`; `/cancel` and the Cancel button leave it like any flow.
public struct Form<Draft: Codable & Sendable & Equatable>: Sendable {
    public let fields: [FormField<Draft>]

    public init(fields: [FormField<Draft>]) {
        precondition(!fields.isEmpty && Set(fields.map(\.key)).count == fields.count, "a form needs fields with distinct keys")
        self.fields = fields
    }

    /// The first question.
    public func start(_ draft: Draft) -> FormStep<Draft> {
        .ask(FormState(draft: draft, asking: fields[0].key), field: 0, problem: nil)
    }

    /// Where the stored state stands (a field no longer in the form: the preview).
    public func current(_ state: FormState<Draft>) -> FormStep<Draft> {
        guard let index = index(of: state) else { return .preview(FormState(draft: state.draft, asking: nil)) }
        return .ask(state, field: index, problem: nil)
    }

    /// The answer to the field being asked.
    public func typed(_ text: String, _ state: FormState<Draft>) -> FormStep<Draft> {
        guard let index = index(of: state) else { return .preview(state) }
        var draft = state.draft
        if let problem = fields[index].read(text.trimmingCharacters(in: .whitespacesAndNewlines), &draft) {
            return .ask(state, field: index, problem: problem)
        }
        return after(index, FormState(draft: draft, asking: state.asking, editing: state.editing))
    }

    public func control(_ control: FormControl, _ state: FormState<Draft>) -> FormStep<Draft> {
        let index = index(of: state)
        switch control {
        case .skip:
            guard let index, fields[index].skippable else { return current(state) }
            return after(index, state)
        case .back:
            guard let index else { return ask(fields.count - 1, state.draft, editing: false) }
            if state.editing { return .preview(FormState(draft: state.draft, asking: nil)) }
            if index == 0 { return current(state) }
            return ask(index - 1, state.draft, editing: false)
        case .edit(let field):
            guard fields.indices.contains(field) else { return current(state) }
            return ask(field, state.draft, editing: true)
        case .confirm:
            return current(state)
        }
    }

    /// Whether the stored state is at the preview (Confirm is allowed only there).
    public func isComplete(_ state: FormState<Draft>) -> Bool { index(of: state) == nil }

    private func index(of state: FormState<Draft>) -> Int? {
        state.asking.flatMap { key in fields.firstIndex { $0.key == key } }
    }

    private func ask(_ index: Int, _ draft: Draft, editing: Bool) -> FormStep<Draft> {
        .ask(FormState(draft: draft, asking: fields[index].key, editing: editing), field: index, problem: nil)
    }

    /// After a field: the next one, or the preview (at once, when it was opened from it).
    private func after(_ index: Int, _ state: FormState<Draft>) -> FormStep<Draft> {
        if state.editing || index + 1 == fields.count { return .preview(FormState(draft: state.draft, asking: nil)) }
        return ask(index + 1, state.draft, editing: false)
    }
}

extension Context {
    /// A form's step as a screen: the question (after what was wrong with the last answer)
    /// with Skip, Back and Cancel as they apply, or the preview with a button per field and
    /// Confirm. `control` makes the flow's own action of a form button.
    public func show<Draft, Action: FlowAction>(_ step: FormStep<Draft>, of form: Form<Draft>, preview: (Draft) -> any StaffScreenText,
                                                control: (FormControl) -> Action, entry: Entry?) -> Reply<FormState<Draft>> {
        switch step {
        case .ask(let state, let index, let problem):
            let field = form.fields[index]
            var row: [InlineButton] = []
            if index > 0 || state.editing { row.append(say.staffButton(.back, control(.back))) }
            if field.skippable { row.append(say.staffButton(.skip, control(.skip))) }
            row.append(say.button(.cancel, CoreAction.close))
            let text: any StaffScreenText = problem.map { FieldAgain(problem: $0, prompt: field.prompt) } ?? field.prompt
            return show(text, buttons: [row], entry: entry, next: .open(state))
        case .preview(let state):
            let edits = form.fields.indices.map { say.staffButton(form.fields[$0].label, control(.edit($0))) }
            return show(preview(state.draft), buttons: rows(edits, perRow: 2)
                            + [[say.staffButton(.confirm, control(.confirm))], [say.button(.cancel, CoreAction.close)]],
                        entry: entry, next: .open(state))
        }
    }
}
