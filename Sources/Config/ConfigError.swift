/// A configuration value that is missing or wrong. Its description is the one line a
/// process prints before it stops: the variable's name and what is wrong with it.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let variable: String
    public let problem: String

    public init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }

    public var description: String { "config error: \(variable): \(problem)" }
}
