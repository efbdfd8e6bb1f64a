// A queue consumer process for the tests: the real QueueConsumer loop with a handler that
// records what it handled in Redis, and that can be told to hang on one chat (so a test
// can SIGKILL it while it holds that chat's lease).
//
// Environment: REDIS_URL, QUEUE_PREFIX, WORKER, LEASE_SECONDS, HANG_CHAT (optional).
import Foundation
import Logging
import Queue
import Redis

let environment = ProcessInfo.processInfo.environment
guard let url = environment["REDIS_URL"].flatMap(URLComponents.init(string:)), let host = url.host, let port = url.port,
      let prefix = environment["QUEUE_PREFIX"], let worker = environment["WORKER"] else {
    FileHandle.standardError.write(Data("fixture: REDIS_URL, QUEUE_PREFIX and WORKER are required\n".utf8))
    exit(2)
}
let endpoint = RedisEndpoint(host: host, port: port, password: url.password)
let lease = Double(environment["LEASE_SECONDS"] ?? "") ?? 30
let hangChat = environment["HANG_CHAT"].flatMap(Int64.init)

let recorder = try RedisConnection(endpoint: endpoint)
let queue = ChatQueue(redis: try RedisConnection(endpoint: endpoint), prefix: prefix)
let consumer = QueueConsumer(
    queue: queue,
    settings: .init(worker: worker, lease: lease, reapEvery: 0.2, heartbeatEvery: 0.5, idleWait: 0.2),
    logger: Logger(label: worker),
    handle: { chat, update in
        if chat == hangChat {
            try recorder.command("SET", "{\(prefix)}:hanging", worker)
            while true { sleep(60) }
        }
        try recorder.command("RPUSH", "{\(prefix)}:handled", "\(worker)|\(chat)|\(String(decoding: update.payload, as: UTF8.self))")
    })
consumer.run(shouldStop: { false })
