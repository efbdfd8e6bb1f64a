/// A value put into a catalog template: text is inserted as it is (never read as
/// template syntax, so a service called "{name}" stays "{name}"), a number can also
/// choose a plural branch.
enum TemplateValue: Sendable, Hashable {
    case text(String)
    case number(Int)

    /// Chooses a `select` branch from a condition (`yes` / `no`), so optional parts of a
    /// message stay inside the one template instead of being glued on in code.
    static func flag(_ condition: Bool) -> TemplateValue { .text(condition ? "yes" : "no") }

    var rendered: String {
        switch self {
        case .text(let text): return text
        case .number(let number): return String(number)
        }
    }
}

/// CLDR plural categories for integers (the only ones the catalogs use).
enum PluralCategory: String, Sendable, CaseIterable {
    case one, few, many, other

    /// The category of an integer: Russian has one / few / many for integers, English
    /// one / other. Negative numbers take the category of their absolute value.
    static func of(_ number: Int, in language: Language) -> PluralCategory {
        let n = number.magnitude
        switch language {
        case .en:
            return n == 1 ? .one : .other
        case .ru:
            let (mod10, mod100) = (n % 10, n % 100)
            if mod10 == 1 && mod100 != 11 { return .one }
            if (2...4).contains(mod10) && !(12...14).contains(mod100) { return .few }
            return .many
        }
    }
}

/// Renders the ICU MessageFormat subset the catalogs are written in:
///
/// - `{name}` — the named value;
/// - `{count, plural, =0 {…} one {…} few {…} many {…} other {…}}` — the branch for the
///   number (an exact `=N` match first, then the language's category, then `other`);
///   `#` inside a branch is the number;
/// - `{flag, select, yes {…} other {…}}` — the branch named by the text value.
///
/// Branches nest. Anything that does not parse, or a name with no value, is copied out
/// literally: a broken template shows its braces (which the tests look for) instead of
/// crashing a worker or silently dropping words.
struct TemplateRenderer {
    let language: Language
    let values: [String: TemplateValue]

    func render(_ template: String) -> String {
        var parser = Parser(characters: Array(template), language: language, values: values)
        return parser.message(pound: nil, nested: false)
    }

    /// What a template asks for, for the catalog consistency tests: both languages of
    /// one key must ask for the same values, and every branch must render cleanly.
    struct Shape: Equatable {
        /// Every argument name (plain, plural and select subjects, in every branch).
        var names: Set<String> = []
        /// Plural subjects (they need a number) and the branch names each offers.
        var plurals: [String: Set<String>] = [:]
        /// Select subjects and the branch names each offers.
        var selects: [String: Set<String>] = [:]
    }

    static func shape(of template: String) -> Shape {
        var parser = Parser(characters: Array(template), language: .en, values: [:])
        _ = parser.message(pound: nil, nested: false)
        return parser.shape
    }

    private struct Parser {
        let characters: [Character]
        let language: Language
        let values: [String: TemplateValue]
        var index = 0
        /// What the template asked for, gathered while parsing.
        var shape = Shape()

        init(characters: [Character], language: Language, values: [String: TemplateValue]) {
            self.characters = characters
            self.language = language
            self.values = values
        }

        private var current: Character? { index < characters.count ? characters[index] : nil }

        /// Text up to the end (or, inside a branch, up to its closing brace, left for the
        /// caller to consume).
        mutating func message(pound: Int?, nested: Bool) -> String {
            var output = ""
            while let character = current {
                if character == "}" && nested { return output }
                if character == "{" {
                    output += argument(pound: pound)
                } else if character == "#", let pound {
                    output += String(pound)
                    index += 1
                } else {
                    output.append(character)
                    index += 1
                }
            }
            return output
        }

        /// One `{…}` argument, the index on its opening brace. On malformed syntax, the
        /// brace itself is returned and parsing resumes right after it.
        private mutating func argument(pound: Int?) -> String {
            let start = index
            if let rendered = parseArgument(pound: pound) { return rendered }
            index = start + 1
            return "{"
        }

        private mutating func parseArgument(pound: Int?) -> String? {
            index += 1  // "{"
            skipSpaces()
            let name = identifier()
            guard !name.isEmpty else { return nil }
            shape.names.insert(name)
            skipSpaces()
            if current == "}" {
                index += 1
                return values[name]?.rendered ?? "{\(name)}"
            }
            guard current == "," else { return nil }
            index += 1
            skipSpaces()
            let kind = identifier()
            guard kind == "plural" || kind == "select" else { return nil }
            skipSpaces()
            guard current == "," else { return nil }
            index += 1

            let number: Int?
            if case .number(let value)? = values[name] { number = value } else { number = nil }
            // A plural's branches see its own number as `#`; a select's keep the outer one.
            let branchPound = kind == "plural" ? number : pound
            var branches: [String: String] = [:]
            while true {
                skipSpaces()
                guard let character = current else { return nil }
                if character == "}" {
                    index += 1
                    break
                }
                let selector = self.selector()
                guard !selector.isEmpty else { return nil }
                skipSpaces()
                guard current == "{" else { return nil }
                index += 1
                let body = message(pound: branchPound, nested: true)
                guard current == "}" else { return nil }
                index += 1
                branches[selector] = body
            }
            if kind == "plural" {
                shape.plurals[name, default: []].formUnion(branches.keys)
            } else {
                shape.selects[name, default: []].formUnion(branches.keys)
            }

            guard let value = values[name] else { return "{\(name)}" }
            let chosen: String?
            if kind == "plural" {
                guard let number else { return "{\(name)}" }
                chosen = branches["=\(number)"]
                    ?? branches[PluralCategory.of(number, in: language).rawValue]
                    ?? branches["other"]
            } else {
                chosen = branches[value.rendered] ?? branches["other"]
            }
            return chosen ?? "{\(name)}"
        }

        private mutating func identifier() -> String {
            var name = ""
            while let character = current, character.isLetter || character.isNumber || character == "_" {
                name.append(character)
                index += 1
            }
            return name
        }

        private mutating func selector() -> String {
            var name = ""
            while let character = current, !character.isWhitespace, character != "{", character != "}" {
                name.append(character)
                index += 1
            }
            return name
        }

        private mutating func skipSpaces() {
            while let character = current, character.isWhitespace { index += 1 }
        }
    }
}
