import Foundation
import SortedJSON
import XCTest

final class SortedJSONTests: XCTestCase {
    func testKeysGoInCodePointOrderAtEveryDepth() throws {
        let text = try SortedJSON.string(["b": 1, "a": ["d": 1, "c": [["z": 1, "y": 2]]], "B": 3, "a10": 1, "a9": 2, "_x": 0])
        XCTAssertEqual(text, #"{"B":3,"_x":0,"a":{"c":[{"y":2,"z":1}],"d":1},"a10":1,"a9":2,"b":1}"#)
    }

    func testTheSameValueReadsTheSameWhateverTheDictionaryOrder() throws {
        var forward: [String: Any] = [:], backward: [String: Any] = [:]
        let keys = (0..<200).map { "key\($0)" }
        for key in keys { forward[key] = key.count }
        for key in keys.reversed() { backward[key] = key.count }
        XCTAssertEqual(try SortedJSON.string(forward), try SortedJSON.string(backward))
    }

    func testSwiftValuesKeepTheirKinds() throws {
        let text = try SortedJSON.string(["bool": true, "int": 1, "big": Int64.max, "unsigned": UInt64.max, "double": 1.5,
                                          "whole": 3.0, "null": NSNull(), "text": "a \"quoted\"\nline", "array": [1, "two"]])
        XCTAssertEqual(text, #"{"array":[1,"two"],"big":9223372036854775807,"bool":true,"double":1.5,"int":1,"null":null,"#
                       + #""text":"a \"quoted\"\nline","unsigned":18446744073709551615,"whole":3}"#)
    }

    /// JSONSerialization parses numbers and booleans into NSNumber objects, and an NSNumber
    /// of 1 also casts to `true`: each must come back out as what it was.
    func testWhatJSONSerializationParsedIsWrittenBackTheSame() throws {
        let original = #"{"f":false,"n":1,"negative":-7,"pi":3.25,"t":true,"text":"x","zero":0}"#
        let parsed = try JSONSerialization.jsonObject(with: Data(original.utf8))
        XCTAssertEqual(try SortedJSON.string(parsed), original)
    }

    func testSlashesAreEscapedUnlessAskedNotTo() throws {
        XCTAssertEqual(try SortedJSON.string(["url": "a/b"]), #"{"url":"a\/b"}"#)
        XCTAssertEqual(try SortedJSON.string(["url": "a/b"], escapingSlashes: false), #"{"url":"a/b"}"#)
    }

    func testABareValueIsWrittenAsItIs() throws {
        XCTAssertEqual(try SortedJSON.string(42), "42")
        XCTAssertEqual(try SortedJSON.string("text"), #""text""#)
        XCTAssertEqual(try SortedJSON.string([15, 60] as [Int]), "[15,60]")
        XCTAssertEqual(try SortedJSON.string(Optional<Int>.none as Any), "null")
        XCTAssertEqual(try SortedJSON.string(Optional<Int>.some(5) as Any), "5")
    }

    func testWhatJSONCannotHoldIsAnErrorNotACrash() {
        XCTAssertThrowsError(try SortedJSON.data(["when": Date()])) { error in
            XCTAssertTrue("\(error)".contains("Date"), "\(error)")
        }
        XCTAssertThrowsError(try SortedJSON.data(["nan": Double.nan]))
    }

    func testTheTextParsesBackToTheSameValue() throws {
        let value: [String: Any] = ["name": "Ольга 👋", "ids": [1, 2, 3], "nested": ["deep": ["deeper": "yes"]]]
        let back = try JSONSerialization.jsonObject(with: try SortedJSON.data(value)) as? NSDictionary
        XCTAssertEqual(back, value as NSDictionary)
    }
}
