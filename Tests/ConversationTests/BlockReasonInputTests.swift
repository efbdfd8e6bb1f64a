import Conversation
import Texts
import XCTest

final class BlockReasonInputTests: XCTestCase {
    func testAReasonSaysSomethingWithinTheColumnsBound() {
        XCTAssertNil(BlockReasonInput.problem("Отпуск"))
        XCTAssertNil(BlockReasonInput.problem(String(repeating: "я", count: 500)))
        XCTAssertEqual(BlockReasonInput.problem(String(repeating: "я", count: 501)), .length(min: 3, max: 500))
        XCTAssertEqual(BlockReasonInput.problem("ab"), .length(min: 3, max: 500))
        XCTAssertEqual(BlockReasonInput.problem("🎉🎉🎉"), .needsLetterOrDigit)
        XCTAssertEqual(BlockReasonInput.problem("---"), .needsLetterOrDigit)
    }

    func testCleaningPutsTheReasonOnOneLineWithoutControlCharacters() {
        XCTAssertEqual(BlockReasonInput.clean("Ремонт\nв зале\u{0}"), "Ремонт в зале")
        // 500 emoji with a combining mark each are 1,000 code points: refused, never a failed CHECK.
        XCTAssertNotNil(BlockReasonInput.problem(String(repeating: "a\u{301}", count: 300)))
    }
}

final class AdminDisplayNameInputTests: XCTestCase {
    func testADisplayNameFitsItsColumn() {
        XCTAssertNil(AdminDisplayNameInput.problem("Ольга"))
        XCTAssertNil(AdminDisplayNameInput.problem("7"))
        XCTAssertEqual(AdminDisplayNameInput.problem(""), .length(min: 1, max: 64))
        XCTAssertEqual(AdminDisplayNameInput.problem(String(repeating: "я", count: 65)), .length(min: 1, max: 64))
        XCTAssertEqual(AdminDisplayNameInput.problem("👩‍💼"), .needsLetterOrDigit)
        XCTAssertEqual(AdminDisplayNameInput.clean(" Olga\n"), "Olga")
    }
}
