/// Splits a SQL file into single statements, so that each can go through `PQexecParams`
/// (which takes one statement at a time).
///
/// Semicolons inside quotes ('…', "…"), dollar-quoted bodies ($$…$$, $fn$…$fn$) and
/// comments (-- …, /* … */, nested) do not end a statement. Comment-only pieces are dropped.
public enum SQLScript {
    public static func statements(in script: String) -> [String] {
        let characters = Array(script)
        var statements: [String] = []
        var current = ""
        var hasCode = false
        var index = 0

        func flush() {
            let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if hasCode && !trimmed.isEmpty { statements.append(trimmed) }
            current = ""
            hasCode = false
        }

        while index < characters.count {
            let character = characters[index]
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case "-" where next == "-":
                let end = characters[index...].firstIndex(of: "\n") ?? characters.count
                current += String(characters[index..<end])
                index = end
                continue
            case "/" where next == "*":
                let end = blockCommentEnd(characters, from: index)
                current += String(characters[index..<end])
                index = end
                continue
            case "'", "\"":
                let end = quotedEnd(characters, from: index, quote: character)
                current += String(characters[index..<end])
                hasCode = true
                index = end
                continue
            case "$":
                if let tag = dollarTag(characters, at: index) {
                    let end = dollarQuotedEnd(characters, from: index + tag.count, tag: tag)
                    current += String(characters[index..<end])
                    hasCode = true
                    index = end
                    continue
                }
            case ";":
                flush()
                index += 1
                continue
            default:
                break
            }
            current.append(character)
            if !character.isWhitespace { hasCode = true }
            index += 1
        }
        flush()
        return statements
    }

    /// The index after a quoted run; a doubled quote inside is an escaped quote.
    private static func quotedEnd(_ characters: [Character], from start: Int, quote: Character) -> Int {
        var index = start + 1
        while index < characters.count {
            if characters[index] == quote {
                if index + 1 < characters.count && characters[index + 1] == quote { index += 2; continue }
                return index + 1
            }
            index += 1
        }
        return characters.count
    }

    private static func blockCommentEnd(_ characters: [Character], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < characters.count {
            if characters[index] == "/" && index + 1 < characters.count && characters[index + 1] == "*" {
                depth += 1
                index += 2
            } else if characters[index] == "*" && index + 1 < characters.count && characters[index + 1] == "/" {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return characters.count
    }

    /// `$$` or `$tag$` starting at `index`, or nil when the `$` is something else ($1).
    private static func dollarTag(_ characters: [Character], at index: Int) -> [Character]? {
        var end = index + 1
        while end < characters.count, characters[end] == "_" || characters[end].isLetter || (end > index + 1 && characters[end].isNumber) {
            end += 1
        }
        guard end < characters.count, characters[end] == "$" else { return nil }
        return Array(characters[index...end])
    }

    private static func dollarQuotedEnd(_ characters: [Character], from start: Int, tag: [Character]) -> Int {
        var index = start
        while index + tag.count <= characters.count {
            if Array(characters[index..<(index + tag.count)]) == tag { return index + tag.count }
            index += 1
        }
        return characters.count
    }
}
