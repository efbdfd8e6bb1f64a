import Foundation

/// Reads and writes `timestamptz` text. Connections set `TimeZone=UTC` and `DateStyle=ISO`,
/// so the server always answers like `2026-11-25 10:51:00.123456+00`.
enum PostgresTimestamp {
    static func format(_ date: Date) -> String {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        var seconds = Int(floor(micros / 1_000_000))
        let fraction = Int(micros - Double(seconds) * 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        // By hand rather than String(format:): this runs for every timestamp parameter of
        // every statement, and Foundation's formatter was a few percent of a worker's CPU.
        var text = [UInt8]()
        text.reserveCapacity(27)
        func digits(_ value: Int, _ width: Int) {
            var value = value
            var place = [UInt8](repeating: UInt8(ascii: "0"), count: width)
            for index in stride(from: width - 1, through: 0, by: -1) {
                place[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            text += place
        }
        // Years outside 0...9999 (never stored here) keep every digit, as %04d did.
        let year = Int(parts.tm_year) + 1900
        if (0...9999).contains(year) { digits(year, 4) } else { text += Array(String(year).utf8) }
        text.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2)
        text.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2)
        text.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2)
        text.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2)
        text.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2)
        text.append(UInt8(ascii: "."))
        digits(min(max(fraction, 0), 999_999), 6)
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM[:SS]]]`; nil for anything else
    /// (`infinity`, BC dates).
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + digits)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
              expect(32) || expect(84), let hour = number(2), expect(58), let minute = number(2),
              expect(58), let second = number(2) else { return nil }
        var fraction = 0.0
        if expect(46) {
            var scale = 0.1
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < bytes.count {
            let sign: Int
            if expect(43) { sign = 1 } else if expect(45) { sign = -1 } else { return nil }
            guard let hours = number(2) else { return nil }
            offset = hours * 3600
            if expect(58) { guard let minutes = number(2) else { return nil }; offset += minutes * 60 }
            if expect(58) { guard let seconds = number(2) else { return nil }; offset += seconds }
            offset *= sign
        }
        guard index == bytes.count else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let epoch = timegm(&parts)
        return Date(timeIntervalSince1970: Double(epoch - offset) + fraction)
    }
}
