import Foundation

/// Anything that can be sent as one argument of a Redis command, binary-safe.
public protocol RedisArgument {
    var redisBytes: Data { get }
}

extension String: RedisArgument {
    public var redisBytes: Data { Data(utf8) }
}

extension Substring: RedisArgument {
    public var redisBytes: Data { Data(utf8) }
}

extension Data: RedisArgument {
    public var redisBytes: Data { self }
}

extension Array: RedisArgument where Element == UInt8 {
    public var redisBytes: Data { Data(self) }
}

extension Int: RedisArgument {
    public var redisBytes: Data { Data(String(self).utf8) }
}

extension Int64: RedisArgument {
    public var redisBytes: Data { Data(String(self).utf8) }
}

extension Double: RedisArgument {
    public var redisBytes: Data { Data(String(self).utf8) }
}
