import Foundation
import Hummingbird

/// Keeps other websites out of a Sandbox on loopback. A page open in the same browser can
/// send requests to 127.0.0.1 without reading the answers, and through DNS rebinding
/// (its own name pointed at 127.0.0.1) it can read them too. So a request must name the
/// Sandbox's own host, and anything that acts as a user must come from the web chat's own
/// page or from a program: it must carry a type no cross-site form can send without the
/// browser asking first (JSON, an image), and the browser must not call it cross-site.
struct LocalOnlyGuard: Sendable {
    /// The host names a request may carry in `Host`; nil: any (a listener the operator
    /// opened beyond loopback on purpose, `--web-host`).
    let hosts: Set<String>?

    static let loopbackNames: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]"]

    /// Guards a listener on `host`: on loopback, only loopback names pass.
    init(listeningOn host: String) {
        hosts = Self.loopbackNames.contains(host) ? Self.loopbackNames : nil
    }

    /// Why the request is refused, or nil. `acting`: it changes the Sandbox as a user
    /// would (the control and web chat POSTs).
    func refusal(_ request: Request, acting: Bool) -> String? {
        if let hosts, let host = request.head.authority, !hosts.contains(Self.hostName(host).lowercased()) {
            return "this Sandbox answers for 127.0.0.1 and localhost only"
        }
        guard acting else { return nil }
        // What a browser says of who calls (Fetch Metadata); programs send none.
        if let site = request.headers[.init("Sec-Fetch-Site")!], !["same-origin", "none"].contains(site) {
            return "acting as a user is for the Sandbox's own page and for programs, not for other sites"
        }
        let type = (request.headers[.contentType] ?? "").lowercased()
        guard type.hasPrefix("application/json") || type.hasPrefix("image/") else {
            return "send JSON (Content-Type: application/json), or an image for a photo"
        }
        return nil
    }

    /// `127.0.0.1:8081` → `127.0.0.1`; `[::1]:8081` → `[::1]`.
    static func hostName(_ authority: String) -> Substring {
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
            return authority[...end]
        }
        return authority.prefix { $0 != ":" }
    }
}
