// swift-tools-version: 6.0
// BookingBot: one package, one executable with a subcommand per process (see docs/design.md).
import PackageDescription

let package = Package(
    name: "BookingBot",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "bookingbot", targets: ["bookingbot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // The HTTP server of the ingress and the Sandbox, and its service group (which our
        // own signal handling stops).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        // RFC 4180 CSV writing (quoting of delimiters, quotes and line breaks) for exports.
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        // C libraries for the wire, found through pkg-config.
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis",
                       providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Swift cannot call C variadics: curl_easy_setopt/getinfo and curl_multi_setopt get typed wrappers here.
        .target(name: "CCurlShim", dependencies: ["CCurl"]),

        // Thin, safe Swift wrappers; no business words in them.
        .target(name: "WireSupport"),
        // Every Redis key name of the deployment (a leaf: no dependencies).
        .target(name: "Keys"),
        // JSON text with sorted keys, without ICU (a leaf: no dependencies).
        .target(name: "SortedJSON"),
        .target(name: "Redis", dependencies: ["CHiredis", "WireSupport"]),
        .target(name: "Postgres", dependencies: ["CLibPQ", "WireSupport"]),
        .target(name: "HTTP", dependencies: ["CCurl", "CCurlShim"]),

        // Bot API types (Codable) and the blocking client (retries are the caller's).
        .target(name: "Telegram", dependencies: ["HTTP"]),

        // A Bot API emulator on loopback (plus a control API to act as users): the tests
        // and `bookingbot sandbox` talk to it instead of Telegram.
        .target(name: "Sandbox", dependencies: [
            "Telegram", "HTTP",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], resources: [
            // The web chat's page, compiled into the binary: it works with no internet.
            .embedInCode("WebChat/Assets/index.html"), .embedInCode("WebChat/Assets/chat.css"),
            .embedInCode("WebChat/Assets/chat.js"), .embedInCode("WebChat/Assets/icon.svg"),
            .embedInCode("WebChat/Assets/missing-photo.svg"),
        ]),

        // The chat-ordered reliable queue in Redis (scripts + Swift API).
        .target(name: "Queue", dependencies: [
            "Keys", "Redis", "WireSupport", .product(name: "Logging", package: "swift-log"),
        ]),

        // The deployment's figures in Redis (every process adds, any ingress reports) and
        // their Prometheus text.
        .target(name: "Stats", dependencies: ["Queue", "Redis", "Keys"]),

        // The ingress process: webhook / long polling into the queue, /healthz, /metrics.
        .target(name: "Ingress", dependencies: [
            "Keys", "Queue", "Redis", "Stats", "Telegram", "WireSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // The worker process: the queue loop, one transaction per update (its replies into
        // the outbox, sent after commit through Delivery).
        .target(name: "Worker", dependencies: [
            "Queue", "Redis", "Postgres", "Store", "Booking", "Conversation", "Texts", "Telegram", "HTTP", "WireSupport", "ErrorCapture", "Keys",
            "Delivery", "Stats", "SortedJSON", .product(name: "Logging", package: "swift-log"),
        ]),
        // The error forwarder process (`bookingbot errors`): the errors list on to Sentry.
        .target(name: "ErrorForwarder", dependencies: [
            "ErrorCapture", "HTTP", "Keys", "Redis", "WireSupport", "CZlib", "SortedJSON", .product(name: "Logging", package: "swift-log"),
        ]),
        // The reminders process: due reminders and review requests into the outbox, the
        // sweep of replies left unsent, and background jobs (exports) one per round.
        .target(name: "Reminders", dependencies: [
            "Delivery", "Store", "Conversation", "Booking", "Texts", "Keys", "Postgres", "Redis", "Telegram", "WireSupport", "Stats",
            .product(name: "Logging", package: "swift-log"), .product(name: "CSV", package: "CSV.swift"),
        ]),
        // Sending the outbox, for every process that sends (a library, not a process): in
        // order per chat, within the deployment's send budget.
        .target(name: "Delivery", dependencies: [
            "Conversation", "Keys", "Store", "Postgres", "Redis", "Telegram", "Texts", "Stats", .product(name: "Logging", package: "swift-log"),
        ]),

        // Process plumbing shared by every subcommand.
        .target(name: "Config"),
        .target(name: "Observability", dependencies: [
            "SortedJSON", .product(name: "Logging", package: "swift-log"),
        ]),
        // Error capture: Sentry event JSON onto a capped Redis list, which ErrorForwarder
        // (`bookingbot errors`) sends on to Sentry.
        .target(name: "ErrorCapture", dependencies: [
            "Keys", "Redis", "Observability", "SortedJSON", .product(name: "Logging", package: "swift-log"),
        ]),

        // Pure domain: schedule, slots, rules, overlap. No I/O.
        .target(name: "Booking"),

        // ru/en catalogs of every text the bot shows, and their rendering.
        .target(name: "Texts", dependencies: ["Booking"]),

        // The conversation, pure: (state, update, facts, now) -> (state, replies).
        .target(name: "Conversation", dependencies: ["Booking", "Texts"]),

        // SQL: the migrations and every repository (bookings, settings, services, users,
        // the outbox, reminders, reviews, audit).
        .target(name: "Store", dependencies: ["Postgres", "Booking", "SortedJSON"],
                resources: [.copy("Migrations")]),

        // The configuration mapped onto the modules' own values (the booking rules), for
        // the composition root (`bookingbot`) and the tests' bot alike.
        .target(name: "Composition", dependencies: ["Config", "Booking"]),

        .executableTarget(name: "bookingbot", dependencies: [
            "Config", "Composition", "Keys", "Observability", "Store", "Postgres", "Redis", "HTTP", "Queue", "Ingress", "Telegram", "Sandbox", "WireSupport", "Worker", "Booking", "Conversation", "ErrorCapture", "Reminders", "ErrorForwarder", "Stats", "SortedJSON",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ],
        // Exports the executable's symbols, so stack frames in Sentry events name Swift
        // functions (backtrace_symbols finds only exported names).
        linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic"])]),

        // Tools for the tests and the bench, which an executable in Sources/ cannot take from a
        // test target: child processes, scratch databases, loopback ports, a seeded random
        // generator, the bot started with the Sandbox as Telegram. Only E2EBench and test
        // targets depend on it, never a production target.
        .target(name: "DevSupport", dependencies: ["HTTP", "Postgres", "Sandbox", "Store", "Telegram"]),

        // Simulated people reading the bot's screens (by their callback data), for the bench
        // and the chaos run.
        .target(name: "LoadSupport", dependencies: ["Conversation", "Sandbox", "Telegram"]),

        // The end-to-end benchmark of `scripts/bench e2e` (Sandbox in-process, real ingress
        // and worker processes); built on its own with `--product E2EBench`.
        .executableTarget(name: "E2EBench", dependencies: [
            "DevSupport", "LoadSupport", "Sandbox", "Telegram", "Store", "Conversation",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // `scripts/chaos`: the whole bot for minutes under random faults (processes killed,
        // stopped and restarted, Redis and PostgreSQL restarted, a clock stepped, Telegram's
        // 5xx and 429 bursts), then its invariants checked; built with `--product Chaos`.
        .executableTarget(name: "Chaos", dependencies: [
            "DevSupport", "LoadSupport", "Sandbox", "Telegram", "Store", "Postgres", "Redis", "Keys", "Queue", "Conversation", "Texts", "Booking",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // One test target per module; integration tests use the servers scripts/test starts.
        .target(name: "TestSupport", dependencies: ["DevSupport", "Postgres", "Redis"], path: "Tests/TestSupport"),
        // The bot as it runs (Sandbox, ingress, workers), for the end-to-end test targets.
        .target(name: "BotTestSupport", dependencies: [
            "TestSupport", "Sandbox", "Telegram", "Store", "Postgres", "Config", "Composition", "Conversation", "Texts", "Booking", "Queue",
        ], path: "Tests/BotTestSupport"),
        .testTarget(name: "ErrorForwarderTests", dependencies: [
            "ErrorForwarder", "ErrorCapture", "Redis", "TestSupport", "DevSupport", "CZlib", "BotTestSupport", "HTTP", "Postgres", "Sandbox",
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "RemindersTests", dependencies: [
            "BotTestSupport", "Reminders", "Conversation", "Texts", "Booking", "Store", "Postgres", "Sandbox", "Telegram", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "WireSupportTests", dependencies: ["WireSupport"]),
        .testTarget(name: "KeysTests", dependencies: ["Keys"]),
        // The layering of Sources/ (reads the import lines; depends on nothing).
        .testTarget(name: "ArchitectureTests"),
        .testTarget(name: "RedisTests", dependencies: ["Redis", "TestSupport"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "CLibPQ", "TestSupport"]),
        .testTarget(name: "HTTPTests", dependencies: [
            "HTTP", "TestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "TelegramTests", dependencies: ["Telegram", "Sandbox", "HTTP", "TestSupport"]),
        .testTarget(name: "SandboxTests", dependencies: [
            "Sandbox", "Telegram", "HTTP", "TestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "DeliveryTests", dependencies: [
            "Delivery", "Conversation", "Store", "Postgres", "Redis", "Sandbox", "Telegram", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "WorkerTests", dependencies: [
            "bookingbot", "Worker", "Reminders", "Conversation", "Delivery", "Texts", "Booking", "Config", "Keys", "Store", "Postgres", "Queue", "HTTP", "Stats", "WireSupport",
            .product(name: "Logging", package: "swift-log"),
            "Sandbox", "Telegram", "TestSupport", "BotTestSupport",
        ]),
        .testTarget(name: "QueueTests", dependencies: [
            "Queue", "Redis", "TestSupport", "QueueConsumerFixture", .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "QueueConsumerFixture", dependencies: [
            "Queue", "Redis", .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/Fixtures/QueueConsumerFixture"),
        .testTarget(name: "IngressTests", dependencies: ["Ingress", "bookingbot", "Queue", "Redis", "HTTP", "Telegram", "Sandbox", "TestSupport"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config"]),
        .testTarget(name: "SortedJSONTests", dependencies: ["SortedJSON"]),
        .testTarget(name: "BookingTests", dependencies: ["Booking", "DevSupport"]),
        // The bench's pure parts (percentiles, /proc parsing, notices, screens, the table).
        .testTarget(name: "E2EBenchTests", dependencies: ["E2EBench", "LoadSupport", "Conversation", "DevSupport"]),
        .testTarget(name: "ConversationTests", dependencies: ["Conversation", "Booking", "Texts"]),
        .testTarget(name: "TextsTests", dependencies: ["Texts", "Booking"]),
        .testTarget(name: "ObservabilityTests", dependencies: [
            "Observability", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ErrorCaptureTests", dependencies: ["ErrorCapture", "Keys", "Observability", "Redis", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Postgres", "Booking", "TestSupport"]),
        .testTarget(name: "CompositionTests", dependencies: ["Composition", "Config", "Booking"]),
        .testTarget(name: "bookingbotTests", dependencies: [
            "bookingbot", "Config", "Observability", "Postgres", "Sandbox", "Telegram", "HTTP", "TestSupport",
        ]),
    ]
)
