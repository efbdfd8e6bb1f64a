import DevSupport
import XCTest

final class ResidentMemoryTests: XCTestCase {
    func testTheStatusFileSplitsResidentMemory() throws {
        let status = """
            Name:\tbookingbot
            VmPeak:\t  403536 kB
            VmHWM:\t   45120 kB
            VmRSS:\t   44528 kB
            RssAnon:\t    5440 kB
            RssFile:\t   39088 kB
            RssShmem:\t       0 kB
            Threads:\t9
            """
        XCTAssertEqual(ResidentMemory(status: status), ResidentMemory(status: status))
        let memory = try XCTUnwrap(ResidentMemory(status: status))
        XCTAssertEqual([memory.peak, memory.resident, memory.anonymous, memory.file], [45120, 44528, 5440, 39088])
    }

    func testAStatusWithoutTheSplitIsNone() {
        XCTAssertNil(ResidentMemory(status: "VmHWM:\t1 kB\nVmRSS:\t1 kB\n"))
        XCTAssertNil(ResidentMemory(status: ""))
    }

    func testThisProcessReadsItsOwn() throws {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let memory = try XCTUnwrap(ResidentMemory(status: status))
        XCTAssertGreaterThan(memory.anonymous, 0)
        XCTAssertGreaterThan(memory.file, 0)
        XCTAssertLessThanOrEqual(memory.anonymous + memory.file, memory.resident)
        XCTAssertGreaterThanOrEqual(memory.peak, memory.resident)
    }
}
