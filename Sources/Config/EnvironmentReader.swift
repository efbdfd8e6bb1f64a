import Foundation

/// Reads typed values out of the merged environment; every failure is a `ConfigError`
/// naming the variable. Empty values count as unset, as `.env` files often write them.
public struct EnvironmentReader: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values
    }

    /// The environment with an optional `.env` file under it (the environment wins).
    /// `ENV_FILE` names another file; a missing default `.env` is fine, a missing named one is not.
    public static func merged(environment: [String: String], currentDirectory: String) throws -> EnvironmentReader {
        let named = environment["ENV_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let path = named ?? (currentDirectory as NSString).appendingPathComponent(".env")
        var merged: [String: String] = [:]
        if FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigError(variable: named == nil ? ".env" : "ENV_FILE", problem: "cannot read \(path)")
            }
            merged = try DotEnv.parse(String(decoding: data, as: UTF8.self), fileName: named == nil ? ".env" : "ENV_FILE")
        } else if named != nil {
            throw ConfigError(variable: "ENV_FILE", problem: "no file at \(path)")
        }
        merged.merge(environment) { _, fromEnvironment in fromEnvironment }
        return EnvironmentReader(merged)
    }

    public func string(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    public func string(_ name: String, default fallback: String) -> String {
        string(name) ?? fallback
    }

    public func required(_ name: String) throws -> String {
        guard let value = string(name) else { throw ConfigError(variable: name, problem: "is required but not set") }
        return value
    }

    public func int(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = string(name) else { return fallback }
        guard let value = Int(text) else { throw invalid(name, text, "is not a whole number") }
        guard range.contains(value) else { throw invalid(name, text, "must be between \(range.lowerBound) and \(range.upperBound)") }
        return value
    }

    public func double(_ name: String, default fallback: Double, in range: ClosedRange<Double>) throws -> Double {
        guard let text = string(name) else { return fallback }
        guard let value = Double(text), value.isFinite else { throw invalid(name, text, "is not a number") }
        guard range.contains(value) else { throw invalid(name, text, "must be between \(range.lowerBound) and \(range.upperBound)") }
        return value
    }

    public func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let text = string(name) else { return fallback }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw invalid(name, text, "must be true or false")
        }
    }

    public func choice(_ name: String, default fallback: String, among choices: [String]) throws -> String {
        guard let text = string(name)?.lowercased() else { return fallback }
        guard choices.contains(text) else { throw invalid(name, text, "must be one of \(choices.joined(separator: ", "))") }
        return text
    }

    /// A problem with the value shown, cut short and on one line.
    public func invalid(_ name: String, _ value: String, _ problem: String) -> ConfigError {
        var shown = value.replacingOccurrences(of: "\n", with: "\\n")
        if shown.count > 60 { shown = String(shown.prefix(60)) + "…" }
        return ConfigError(variable: name, problem: "'\(shown)' \(problem)")
    }

    /// A problem with a secret: the value is never shown.
    public func invalidSecret(_ name: String, _ problem: String) -> ConfigError {
        ConfigError(variable: name, problem: "\(problem) (value hidden)")
    }
}
