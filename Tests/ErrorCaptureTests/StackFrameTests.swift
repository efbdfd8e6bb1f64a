@testable import ErrorCapture
import Foundation
import XCTest

private struct Failure: Error {}

/// Stack traces: the caller's frames exactly, oldest first, readable where symbols allow.
final class StackFrameTests: XCTestCase {
    /// Checks that `frames` (oldest first) are the test's own frame and then exactly the
    /// frames of `here`, a `Thread.callStackSymbols` taken in the same test function.
    static func assertCallersOnly(_ frames: [StackFrame], here: [String], file: StaticString = #filePath, line: UInt = #line) {
        let outer = here.dropFirst(2).map(StackFrame.init(line:)).map(\.function)  // the getter, the test
        XCTAssertEqual(Array(frames.reversed().dropFirst().map(\.function)), outer, file: file, line: line)
    }

    func testCurrentDropsOnlyTheStackWalk() {
        let here = Thread.callStackSymbols
        let frames = StackFrame.current(droppingCallers: 0)
        Self.assertCallersOnly(frames, here: here)
    }

    func testAnEventKeepsTheStackOfItsCreator() {
        let context = EventContext(process: "test", version: "0", gitSHA: "0", environment: "test")
        let here = Thread.callStackSymbols
        let event = ErrorEvent(error: Failure(), context: context)
        guard case .exception(_, _, let frames) = event.body else { return XCTFail("not an exception") }
        Self.assertCallersOnly(frames, here: here)
    }

    func testLinuxLinesAreParsed() {
        let named = StackFrame(line: "/opt/swift/lib/libFoundation.so($s10Foundation6ThreadC16callStackSymbolsSaySSGvgZ+0x2e) [0x7f28d5f799de]")
        XCTAssertEqual(named.function, "static Foundation.Thread.callStackSymbols.getter : Swift.Array<Swift.String>")
        XCTAssertEqual(named.package, "libFoundation.so")
        XCTAssertEqual(named.instructionAddress, "0x7f28d5f799de")

        let c = StackFrame(line: "/lib/x86_64-linux-gnu/libc.so.6(__libc_start_main+0x85) [0x7f28d506c305]")
        XCTAssertEqual(c.function, "__libc_start_main")

        let unnamed = StackFrame(line: "./bookingbot(+0x16ae) [0x55b580a746ae]")
        XCTAssertEqual(unnamed.function, "bookingbot+0x16ae")
        XCTAssertEqual(unnamed.package, "bookingbot")

        let odd = StackFrame(line: "something else")
        XCTAssertEqual(odd.function, "something else")
        XCTAssertNil(odd.package)
    }
}
