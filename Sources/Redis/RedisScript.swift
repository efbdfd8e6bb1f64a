/// A Lua script run with EVALSHA. The connection learns its SHA1 from SCRIPT LOAD on
/// first use and reloads it when the server has forgotten it.
public struct RedisScript: Sendable, Hashable {
    public let name: String
    public let source: String

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }
}
