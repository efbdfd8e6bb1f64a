import Foundation

/// Reads a CSV file back with Python's `csv` module (`/usr/bin/python3`, the file opened
/// as `utf-8-sig`, so a BOM is taken off as Excel takes it): an independent parser, to
/// prove an export round-trips to exactly the rows that were written.
public enum PythonCSV {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func rows(of document: Data) throws -> [[String]] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).csv")
        try document.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import csv, json, sys
            with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
                json.dump(list(csv.reader(f)), sys.stdout, ensure_ascii=False)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, file.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "python3 csv failed: \(String(decoding: problem, as: UTF8.self))")
        }
        guard let rows = try JSONSerialization.jsonObject(with: data) as? [[String]] else {
            throw Failure(description: "python3 csv printed no rows")
        }
        return rows
    }
}
