import Foundation

/// Finds the exact bytes of parts of a JSON document without decoding it: the `result`
/// of a Bot API answer, each update of a getUpdates array.
///
/// Decoding and re-encoding would drop the fields this code does not model, and the
/// queue and the outbox must keep what Telegram sent byte for byte. The input is assumed
/// to be valid JSON (JSONSerialization or a decoder checks it first); on anything else
/// the scanner returns nil rather than guess.
public enum RawJSON {
    /// The bytes of the value of `key` in the top-level object.
    static func member(_ key: String, of data: Data) -> Data? {
        let bytes = [UInt8](data)
        var index = skipSpace(bytes, 0)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        while true {
            index = skipSpace(bytes, index)
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "}") { return nil }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            guard let keyEnd = endOfValue(bytes, index), bytes[index] == UInt8(ascii: "\"") else { return nil }
            let name = try? JSONDecoder().decode(String.self, from: Data(bytes[index..<keyEnd]))
            index = skipSpace(bytes, keyEnd)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            let valueStart = skipSpace(bytes, index + 1)
            guard let valueEnd = endOfValue(bytes, valueStart) else { return nil }
            if name == key { return Data(bytes[valueStart..<valueEnd]) }
            index = valueEnd
        }
    }

    /// The bytes of each element of a top-level array.
    public static func elements(of data: Data) -> [Data]? {
        let bytes = [UInt8](data)
        var index = skipSpace(bytes, 0)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
        index += 1
        var result: [Data] = []
        while true {
            index = skipSpace(bytes, index)
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "]") { return result }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            // No value where one must be (`[}`): malformed, and never a loop on the same byte.
            guard let end = endOfValue(bytes, index), end > index else { return nil }
            result.append(Data(bytes[index..<end]))
            index = end
        }
    }

    private static func skipSpace(_ bytes: [UInt8], _ start: Int) -> Int {
        var index = start
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index
    }

    /// One past the last byte of the value starting at `start`.
    private static func endOfValue(_ bytes: [UInt8], _ start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        let first = bytes[start]
        guard first == UInt8(ascii: "\"") || first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
            // A scalar (number, true, false, null) runs to a separator or the container's end.
            var index = start
            while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                index += 1
            }
            return index
        }
        var index = start
        var depth = 0
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 1 }
                else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return index + 1 }
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return index + 1 }
            }
            index += 1
        }
        return nil
    }
}
