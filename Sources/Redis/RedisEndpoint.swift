/// Where a Redis server is and how to log in to it.
public struct RedisEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var password: String?
    public var database: Int

    public init(host: String = "127.0.0.1", port: Int = 6379, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.password = password
        self.database = database
    }
}

/// Timeouts and reconnect policy of one connection.
public struct RedisOptions: Sendable {
    /// Time to establish a TCP connection.
    public var connectTimeout: Double
    /// Time to wait for one reply (raise it around blocking commands such as BLPOP).
    public var readTimeout: Double
    /// How long a command keeps trying to reconnect a lost connection before it throws.
    public var reconnectWindow: Double

    public init(connectTimeout: Double = 2, readTimeout: Double = 5, reconnectWindow: Double = 5) {
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.reconnectWindow = reconnectWindow
    }
}
