import Foundation

/// Fuzz bytes read as a case: a fixed-size header of choices, then a free-form payload.
///
/// Each choice takes bytes from the front of the header; a header that runs out reads as
/// zeros, so every input is a complete case and a choice of zero is always the plainest
/// one. The payload (every byte after the header) is the text, command or button data,
/// so seeds stay readable and libFuzzer's text mutations reach it. The harness does its
/// own arithmetic with wrapping operators: a trap in here would be a false finding.
struct FuzzInput {
    static let headerSize = 128

    private var header: [UInt8]
    private var position = 0
    /// The bytes after the header.
    let payload: [UInt8]

    init(_ bytes: UnsafeRawBufferPointer) {
        let all = Array(bytes)
        header = Array(all.prefix(Self.headerSize))
        payload = Array(all.dropFirst(Self.headerSize))
    }

    var payloadText: String { String(decoding: payload, as: UTF8.self) }

    mutating func byte() -> UInt8 {
        defer { position &+= 1 }
        return position < header.count ? header[position] : 0
    }

    /// Eight bytes, little-endian.
    mutating func word() -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 8) { value |= UInt64(byte()) << UInt64(shift) }
        return value
    }

    mutating func bool() -> Bool { byte() & 1 == 1 }

    /// True for about `percent` in a hundred of the byte values, never for zero.
    mutating func chance(_ percent: Int) -> Bool { Int(byte()) * 100 >= (100 - percent) * 256 }

    /// A value in `range`: one byte for small ranges, eight for wide ones.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let width = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound)) &+ 1
        let raw = width <= 256 ? UInt64(byte()) : word()
        let offset = width == 0 ? raw : raw % width  // width 0: the whole of Int
        return range.lowerBound &+ Int(bitPattern: UInt(offset))
    }

    mutating func pick<T>(_ options: [T]) -> T { options[int(0...(options.count - 1))] }

    /// Any Int, drawn to hit the edges often.
    mutating func anyInt() -> Int {
        switch byte() % 8 {
        case 0: return .max
        case 1: return .min
        case 2: return 0
        case 3: return int(-1000...1000)
        default: return Int(bitPattern: UInt(word()))
        }
    }

    /// A short string made of header bytes (for names and ids).
    mutating func shortText(maxLength: Int) -> String {
        let length = int(0...maxLength)
        return String(decoding: (0..<length).map { _ in byte() }, as: UTF8.self)
    }
}
