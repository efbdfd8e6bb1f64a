import Foundation

/// A Sentry DSN, `{scheme}://{public_key}@{host}[:port][/path]/{project_id}`, and what it
/// says about where and how to post.
public struct SentryDSN: Sendable, Equatable {
    public let scheme: String
    public let publicKey: String
    public let host: String
    public let port: Int?
    /// Anything between the host and the project id (Sentry behind a path prefix).
    public let pathPrefix: String
    public let projectID: String

    /// Nil for anything that is not a usable DSN (the configuration check names it).
    public init?(_ text: String) {
        guard let url = URLComponents(string: text.trimmingCharacters(in: .whitespaces)),
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let key = url.user, !key.isEmpty, let host = url.host, !host.isEmpty else { return nil }
        var parts = url.path.split(separator: "/").map(String.init)
        guard let project = parts.popLast(), !project.isEmpty else { return nil }
        self.scheme = scheme
        self.publicKey = key
        self.host = host
        self.port = url.port
        self.pathPrefix = parts.isEmpty ? "" : "/" + parts.joined(separator: "/")
        self.projectID = project
    }

    /// `{scheme}://{host}[:port][/prefix]/api/{project}/envelope/`.
    public var envelopeURL: String {
        "\(scheme)://\(host)\(port.map { ":\($0)" } ?? "")\(pathPrefix)/api/\(projectID)/envelope/"
    }

    /// The `X-Sentry-Auth` header's value (the key is public by design; no secret key).
    public func authHeader(client: String) -> String {
        "Sentry sentry_version=7, sentry_client=\(client), sentry_key=\(publicKey)"
    }

    /// The DSN without its key, for logs.
    public var redacted: String {
        "\(scheme)://***@\(host)\(port.map { ":\($0)" } ?? "")\(pathPrefix)/\(projectID)"
    }
}
