/// A staff screen's text. Each staff feature has its own text type with its own templates
/// in its own file (`ServicesText` beside the services' flow, and so on), so a feature's
/// words are read and changed in one place and features never share a switch.
public protocol StaffScreenText: Sendable {
    /// The whole text in one language, within Telegram's 4096 characters.
    func text(in language: Language) -> String
}

/// A staff button's label (within 64 characters), one type per feature as for the texts.
public protocol StaffLabel: Sendable {
    func label(in language: Language) -> String
}

/// The templates of one staff feature, both languages side by side. A feature's key enum
/// conforms and is named once in `StaffCatalogs.all`, which the catalog tests read.
protocol StaffTemplateSet: CaseIterable, Sendable {
    var pair: (ru: String, en: String) { get }
}

extension StaffTemplateSet {
    func template(in language: Language) -> String {
        language == .ru ? pair.ru : pair.en
    }

    func render(_ values: [String: TemplateValue] = [:], in language: Language) -> String {
        TemplateRenderer(language: language, values: values).render(template(in: language))
    }

    /// A screen's whole text from this template (clamped to a message's length).
    func screen(_ values: [String: TemplateValue] = [:], in language: Language) -> String {
        Fitting.clamp(render(values, in: language), to: TelegramLimits.messageLength)
    }

    /// A button's label from this template (clamped to a label's length).
    func buttonLabel(_ values: [String: TemplateValue] = [:], in language: Language) -> String {
        Fitting.clamp(render(values, in: language), to: TelegramLimits.buttonLabelLength)
    }
}

/// Every staff template set, for the catalog tests: a new feature adds its keys here.
enum StaffCatalogs {
    struct Entry {
        let name: String
        let template: (Language) -> String
        /// Formats with no words, the same in both languages on purpose.
        let neutral: Bool
    }

    static var all: [Entry] {
        entries(StaffKey.self, "staff", neutral: [.fieldAgain])
            + entries(NotificationsKey.self, "notifications", neutral: [.line])
            + entries(DashboardKey.self, "dashboard", neutral: [.loadLine])
            + entries(SettingsKey.self, "settings", neutral: SettingsKey.neutral)
            + entries(ScheduleKey.self, "schedule", neutral: ScheduleKey.neutral)
            + entries(ClientsKey.self, "clients", neutral: ClientsKey.neutral)
            + entries(ServicesKey.self, "services", neutral: [.buttonService])
            + entries(MassChangeKey.self, "massChange", neutral: MassChangeKey.neutral)
            + entries(AdminsKey.self, "admins", neutral: AdminsKey.neutral)
            + entries(BookingsExportKey.self, "bookingsExport", neutral: BookingsExportKey.neutral)
            + entries(BookingsExportAuditKey.self, "bookingsExportAudit")
            + entries(BlockingKey.self, "blocking", neutral: BlockingKey.neutral)
            + entries(FieldEditorKey.self, "fieldEditor", neutral: FieldEditorKey.neutral)
            + entries(BroadcastKey.self, "broadcast", neutral: BroadcastKey.neutral)
    }

    static func entries<Keys: StaffTemplateSet>(_ keys: Keys.Type, _ area: String, neutral: Set<Keys> = []) -> [Entry]
    where Keys: Hashable {
        Keys.allCases.map { key in Entry(name: "\(area).\(key)", template: { key.template(in: $0) }, neutral: neutral.contains(key)) }
    }
}

/// A form's question asked again, after what was wrong with the last answer.
public struct FieldAgain: StaffScreenText {
    public let problem: FieldProblem
    public let prompt: any StaffScreenText

    public init(problem: FieldProblem, prompt: any StaffScreenText) {
        self.problem = problem
        self.prompt = prompt
    }

    public func text(in language: Language) -> String {
        StaffKey.fieldAgain.screen(["problem": .text(problem.text(in: language)), "prompt": .text(prompt.text(in: language))],
                                   in: language)
    }
}

extension FieldProblem {
    func text(in language: Language) -> String {
        switch self {
        case .length(let min, let max): return StaffKey.problemLength.render(["min": .number(min), "max": .number(max)], in: language)
        case .number(let min, let max): return StaffKey.problemNumber.render(["min": .number(min), "max": .number(max)], in: language)
        case .taken: return StaffKey.problemTaken.render(in: language)
        case .tooLong(let max): return StaffKey.problemTooLong.render(["max": .number(max)], in: language)
        case .needsLetterOrDigit: return StaffKey.problemNeedsLetterOrDigit.render(in: language)
        case .minutes(let min, let max, let step):
            return StaffKey.problemMinutes.render(["min": .number(min), "max": .number(max), "step": .number(step)], in: language)
        case .amount: return StaffKey.problemAmount.render(in: language)
        }
    }
}
