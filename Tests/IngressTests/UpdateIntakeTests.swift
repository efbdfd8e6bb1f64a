import Foundation
import Ingress
import XCTest

final class UpdateIntakeTests: XCTestCase {
    func testReadsTheIdAndTheChatOfEachKind() throws {
        let message = try UpdateIntake.read(Data(#"{"update_id":1,"message":{"message_id":3,"date":0,"chat":{"id":-100,"type":"group"},"text":"x"}}"#.utf8)).get()
        XCTAssertEqual([message.updateID, message.chat], [1, -100])
        let press = try UpdateIntake.read(Data(#"{"update_id":2,"callback_query":{"id":"q","from":{"id":5,"is_bot":false,"first_name":"A"},"chat_instance":"i","message":{"message_id":9,"date":0,"chat":{"id":5,"type":"private"}},"data":"d"}}"#.utf8)).get()
        XCTAssertEqual(press.chat, 5)
        let unknown = try UpdateIntake.read(Data(#"{"update_id":3,"message_reaction":{"chat":{"id":8,"type":"private"},"user":{"id":8}}}"#.utf8)).get()
        XCTAssertEqual(unknown.updateID, 3)
        XCTAssertEqual(unknown.kind, "message_reaction")
    }

    func testRefusesWhatIsNotAnUpdate() {
        XCTAssertEqual(UpdateIntake.read(Data()).failureValue, .empty)
        XCTAssertEqual(UpdateIntake.read(Data("nope".utf8)).failureValue, .notJSON)
        XCTAssertEqual(UpdateIntake.read(Data("[]".utf8)).failureValue, .notJSON)
        XCTAssertEqual(UpdateIntake.read(Data(#"{"message":{}}"#.utf8)).failureValue, .notAnUpdate)
    }

    func testConstantTimeEquality() {
        XCTAssertTrue(ConstantTime.equals("secret-token", "secret-token"))
        XCTAssertFalse(ConstantTime.equals("secret-token", "secret-tokeN"))
        XCTAssertFalse(ConstantTime.equals("secret-token", "secret-token-longer"))
        XCTAssertFalse(ConstantTime.equals("", "x"))
        XCTAssertTrue(ConstantTime.equals("", ""))
        // Lengths that differ by a multiple of 256, padded with NULs (F17).
        for padding in [256, 512, 65_536] {
            XCTAssertFalse(ConstantTime.equals("secret-token", "secret-token" + String(repeating: "\0", count: padding)), "\(padding)")
            XCTAssertFalse(ConstantTime.equals(String(repeating: "\0", count: padding), ""), "\(padding)")
        }
    }
}

private extension Result {
    var failureValue: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
