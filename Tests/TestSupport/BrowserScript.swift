import Foundation

/// A script of Tests/Browser run in Debian's headless Chromium through Playwright, which
/// `scripts/test` installs (`PLAYWRIGHT_PYTHON`); its screenshots go to
/// `BOOKINGBOT_SCREENSHOTS` (.local/screenshots), else to a temporary folder.
public enum BrowserScript {
    /// Runs `name` with `spec` (plus the screenshots folder and Chromium's path) as its
    /// JSON argument; killed after `timeout` seconds.
    public static func run(_ name: String, spec: [String: Any], timeout: TimeInterval = 180) throws -> ProcessResult {
        let python = try TestServices.variable("PLAYWRIGHT_PYTHON")
        let shots = screenshots
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Browser/\(name)").path
        let argument = spec.merging(["shots": shots, "chromium": "/usr/bin/chromium"]) { $1 }
        let browser = try ChildProcess(python, [script, String(decoding: try JSONSerialization.data(withJSONObject: argument), as: UTF8.self)],
                                       environment: ["PATH": "/usr/bin:/bin", "HOME": FileManager.default.temporaryDirectory.path])
        return browser.wait(orKillAt: Date().addingTimeInterval(timeout))
    }

    /// Where the scripts write their screenshots.
    public static var screenshots: String {
        ProcessInfo.processInfo.environment["BOOKINGBOT_SCREENSHOTS"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("bookingbot-screenshots").path
    }
}
