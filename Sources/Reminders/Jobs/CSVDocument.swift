import CSV
import Foundation

/// A CSV file as Excel opens it (SPEC admin 13): UTF-8 after a byte order mark (without
/// it Excel reads the bytes in the machine's code page and Cyrillic turns to mojibake),
/// a header row, CRLF line ends, and RFC 4180 quoting by yaslab/CSV.swift's writer (a cell
/// holding a comma, a quote or a line break is put in quotes, its quotes doubled).
///
/// A cell that Excel would take for a formula (`=`, `+`, `-`, `@` first, or a tab or a
/// carriage return, which some versions also read so) gets an apostrophe in front: the
/// text of an audit row comes from anyone (a client's name, a typed reason) and must
/// never run as a formula on the reader's machine.
enum CSVDocument {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The first characters that make Excel (and LibreOffice) read a cell as a formula:
    /// scalars, not Characters, so a combining mark after `=` cannot hide it.
    private static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]
    private static let lineEnd: [UInt8] = Array("\r\n".utf8)

    /// The file: the header, then each row; every cell neutralised.
    static func make(header: [String], rows: [[String]]) throws -> Data {
        let stream = OutputStream(toMemory: ())
        stream.open()
        defer { stream.close() }
        try write(byteOrderMark, to: stream)
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        for row in [header] + rows {
            try writer.write(row: row.map(neutralised))
        }
        // The writer ends a row when the next one begins: the last line's end comes here.
        try write(lineEnd, to: stream)
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else { throw CSVError.cannotWriteStream }
        return data
    }

    /// The cell as Excel may show it: prefixed with `'` when it would start a formula.
    static func neutralised(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, formulaStarts.contains(first) else { return cell }
        return "'" + cell
    }

    private static func write(_ bytes: [UInt8], to stream: OutputStream) throws {
        let written = bytes.withUnsafeBufferPointer { stream.write($0.baseAddress!, maxLength: $0.count) }
        guard written == bytes.count else { throw CSVError.cannotWriteStream }
    }
}
