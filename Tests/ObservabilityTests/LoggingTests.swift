import Foundation
import Logging
import Observability
import XCTest

final class LoggingTests: XCTestCase {
    private func logger(_ format: LogFormat, level: Logger.Level = .info, scrubber: SecretScrubber = SecretScrubber()) -> (Logger, LineOutput) {
        let output = LineOutput.capturing()
        let logger = Logger(label: "worker") { label in
            LineLogHandler(label: label, format: format, level: level, output: output, scrubber: scrubber)
        }
        return (logger, output)
    }

    func testTextIsOneLinePerEventWithSortedMetadata() {
        let (logger, output) = logger(.text)
        logger.info("update handled\nsecond line", metadata: ["update_id": "7", "chat": "42"])
        XCTAssertEqual(output.lines.count, 1)
        let line = output.lines[0]
        XCTAssertFalse(line.contains("\n"))
        XCTAssertTrue(line.hasSuffix(" info worker: update handled\\nsecond line chat=42 update_id=7"), line)
    }

    func testJSONLinesParseAndCarryTheFields() throws {
        let (logger, output) = logger(.json)
        logger.warning("slow \"query\"", metadata: ["ms": "1200"])
        let object = try JSONSerialization.jsonObject(with: Data(output.lines[0].utf8)) as! [String: Any]
        XCTAssertEqual(object["level"] as? String, "warning")
        XCTAssertEqual(object["logger"] as? String, "worker")
        XCTAssertEqual(object["msg"] as? String, "slow \"query\"")
        XCTAssertEqual(object["ms"] as? String, "1200")
        XCTAssertNotNil(object["ts"])
    }

    func testEventsBelowTheLevelAreDropped() {
        let (logger, output) = logger(.text, level: .warning)
        logger.info("quiet")
        logger.error("loud")
        XCTAssertEqual(output.lines.count, 1)
        XCTAssertTrue(output.lines[0].contains("loud"))
    }

    func testSecretsNeverReachTheLog() {
        let scrubber = SecretScrubber()
        scrubber.register(["registered-password-1", nil, "abc"])
        let (logger, output) = logger(.text, scrubber: scrubber)
        logger.error("connect failed", metadata: [
            "password": "registered-password-1",
            "url": "https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe",
            "dsn": "postgresql://bookingbot:unregistered-pw@db:5432/bookingbot",
        ])
        let line = output.lines[0]
        XCTAssertFalse(line.contains("registered-password-1"), line)
        XCTAssertFalse(line.contains("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"), line)
        XCTAssertFalse(line.contains("unregistered-pw"), line)
        XCTAssertTrue(line.contains("bot123456789:***/getMe"), line)
        XCTAssertTrue(line.contains("postgresql://bookingbot:***@db"), line)
        // Short values are not masked: masking "abc" would garble ordinary words.
        XCTAssertEqual(scrubber.scrub("abc"), "abc")
    }

    /// F16: JSON escapes `"` and `\`, so a secret holding them used to reach the line as
    /// `\"`/`\\` and slip past the scrubber.
    func testJSONLinesMaskSecretsWithQuotesAndBackslashes() throws {
        let secrets = [#"pa"ss\word-1"#, #"back\\slash/2"#, "new\nline-secret-3"]
        let scrubber = SecretScrubber()
        scrubber.register(secrets)
        let (logger, output) = logger(.json, scrubber: scrubber)
        for secret in secrets {
            logger.error("connect failed with \(secret)", metadata: ["password": "\(secret)", "nested": .dictionary(["p": "\(secret)"])])
        }
        for line in output.lines {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
            for secret in secrets {
                XCTAssertFalse(line.contains(secret), line)
                XCTAssertFalse("\(object)".contains(secret), line)
            }
            XCTAssertEqual(object["password"] as? String, "***")
            XCTAssertEqual(object["msg"] as? String, "connect failed with ***")
        }
    }

    /// Text escaped before it reaches the scrubber (an event's JSON, a caller's own
    /// serialization) is masked as well.
    func testTheEscapedFormOfASecretIsMasked() throws {
        let scrubber = SecretScrubber()
        scrubber.register([#"quote"and\back/slash"#])
        let escaped = String(decoding: try JSONSerialization.data(withJSONObject: ["k": #"quote"and\back/slash"#]), as: UTF8.self)
        XCTAssertEqual(scrubber.scrub(escaped), #"{"k":"***"}"#)
    }

    func testConcurrentLinesDoNotInterleave() {
        let (logger, output) = logger(.text)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for index in 0..<200 { logger.info("event \(thread)-\(index)") }
        }
        XCTAssertEqual(output.lines.count, 1600)
        XCTAssertTrue(output.lines.allSatisfy { $0.contains(" info worker: event ") })
    }
}
