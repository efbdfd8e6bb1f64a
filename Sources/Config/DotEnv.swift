import Foundation

/// Parses `.env` files: `KEY=value` lines, `export KEY=value`, `#` comments, values in
/// double quotes (with `\n`, `\"`, `\\` escapes) or single quotes (taken literally), and
/// ` # comments` after unquoted values.
public enum DotEnv {
    public static func parse(_ text: String, fileName: String = ".env") throws -> [String: String] {
        var values: [String: String] = [:]
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst(7).trimmingWhitespace() }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigError(variable: fileName, problem: "line \(number + 1) is not KEY=VALUE")
            }
            let key = String(line[..<equals].trimmingWhitespace())
            guard isValidKey(key) else {
                throw ConfigError(variable: fileName, problem: "line \(number + 1) has an invalid name")
            }
            guard let value = parseValue(line[line.index(after: equals)...].trimmingWhitespace()) else {
                throw ConfigError(variable: fileName, problem: "line \(number + 1) (\(key)) has an unclosed quote")
            }
            values[key] = value
        }
        return values
    }

    static func isValidKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return key.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    private static func parseValue(_ raw: Substring) -> String? {
        if raw.hasPrefix("'") {
            guard let close = raw.dropFirst().firstIndex(of: "'") else { return nil }
            return String(raw[raw.index(after: raw.startIndex)..<close])
        }
        if raw.hasPrefix("\"") {
            var result = ""
            var escaping = false
            for character in raw.dropFirst() {
                if escaping {
                    switch character {
                    case "n": result.append("\n")
                    case "t": result.append("\t")
                    default: result.append(character)
                    }
                    escaping = false
                } else if character == "\\" {
                    escaping = true
                } else if character == "\"" {
                    return result
                } else {
                    result.append(character)
                }
            }
            return nil
        }
        // An unquoted value ends at a comment that follows white space.
        if let hash = raw.range(of: " #") { return String(raw[..<hash.lowerBound].trimmingWhitespace()) }
        return String(raw)
    }
}

extension StringProtocol where SubSequence == Substring {
    func trimmingWhitespace() -> Substring {
        let text = self[...]
        guard let first = text.firstIndex(where: { !$0.isWhitespace }) else { return text[text.endIndex...] }
        let last = text.lastIndex(where: { !$0.isWhitespace })!
        return text[first...last]
    }
}
