import Foundation

/// Triggers for the process-level tests, read once from the environment. Nothing in a
/// deployment sets these variables; each names the exact message text it acts on, so a
/// test can crash or freeze a worker at a known point of one update.
struct TestHooks: Sendable {
    /// `BOOKINGBOT_TEST_CRASH_ON_TEXT`: a message with this text traps the process inside
    /// the update's transaction, as an arithmetic overflow would.
    var crashOnText: String?
    /// `BOOKINGBOT_TEST_PAUSE_ON_TEXT`: a message with this text holds its transaction
    /// open (its row locks taken) for `pauseSeconds`, after touching the file at
    /// `BOOKINGBOT_TEST_PAUSE_MARKER`, so a test can SIGSTOP the worker right there.
    var pauseOnText: String?
    var pauseMarker: String?
    var pauseSeconds: Double = 3

    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> TestHooks {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        return TestHooks(crashOnText: value("BOOKINGBOT_TEST_CRASH_ON_TEXT"), pauseOnText: value("BOOKINGBOT_TEST_PAUSE_ON_TEXT"),
                         pauseMarker: value("BOOKINGBOT_TEST_PAUSE_MARKER"))
    }

    /// Called inside the update's transaction, after its ledger row.
    func reached(text: String?) {
        guard let text else { return }
        if text == crashOnText {
            fatalError("test hook: crash while handling an update")
        }
        if text == pauseOnText {
            if let pauseMarker { FileManager.default.createFile(atPath: pauseMarker, contents: Data("\(getpid())".utf8)) }
            Thread.sleep(forTimeInterval: pauseSeconds)
        }
    }
}
