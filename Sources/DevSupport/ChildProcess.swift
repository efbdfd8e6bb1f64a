import Foundation

/// A program started by a test or the bench, which the caller can signal and wait for.
///
/// posix_spawn and waitpid rather than Foundation's Process, whose waitUntilExit can
/// miss the exit of a child that leaves a daemon behind (`scripts/services restart`).
/// Output goes to files, so a chatty child never blocks on a full pipe; the working
/// folder is set through `env -C` (Swift does not see glibc's spawn-chdir).
///
/// The child starts with SIGINT and SIGTERM at their default actions and no signal
/// blocked: ignored signals and the signal mask otherwise pass across exec (the bench
/// ignores SIGINT and SIGTERM, which a dispatch source handles), and a child that ignored
/// them could not be stopped as a deployment stops it.
public final class ChildProcess: @unchecked Sendable {
    /// Where the child's stdout and stderr go.
    public enum Output: Sendable {
        /// Each into a file of its own, removed with this object.
        case captured
        /// Both into this file (created, or emptied), which stays.
        case log(path: String)
    }

    public let pid: pid_t
    /// For messages: the program's file name unless the caller names it.
    public let name: String
    private let stdoutPath: String
    private let stderrPath: String?
    private let scratch: URL?
    private let lock = NSLock()
    private var exitCode: Int32?  // guarded by `lock`

    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                currentDirectory: URL? = nil, output: Output = .captured, name: String? = nil) throws {
        self.name = name ?? URL(fileURLWithPath: executable).lastPathComponent
        switch output {
        case .captured:
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            self.scratch = scratch
            stdoutPath = scratch.appendingPathComponent("stdout").path
            stderrPath = scratch.appendingPathComponent("stderr").path
        case .log(let path):
            scratch = nil
            stdoutPath = path
            stderrPath = nil
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let stderrPath {
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let environment = environment ?? ProcessInfo.processInfo.environment
        let command = currentDirectory.map { ["/usr/bin/env", "-C", $0.path, executable] } ?? [executable]
        let argv = (command + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            if let scratch { try? FileManager.default.removeItem(at: scratch) }
            throw SpawnError(executable: executable, code: spawned)
        }
        self.pid = pid
    }

    deinit {
        if lock.withLock({ exitCode == nil }) { Foundation.kill(pid, SIGKILL); _ = wait() }
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    /// Sends `signal`, unless the process has already been reaped (its pid may be another's by now).
    public func signal(_ signal: Int32) {
        lock.withLock {
            if exitCode == nil { _ = Foundation.kill(pid, signal) }
        }
    }

    /// Waits for the exit; the exit code, or 128 + the signal that ended it.
    ///
    /// The blocking wait holds no lock, so another thread may signal the process meanwhile.
    @discardableResult
    public func wait() -> ProcessResult {
        if lock.withLock({ exitCode == nil }) {
            var status: Int32 = 0
            var reaped: pid_t
            repeat { reaped = waitpid(pid, &status, 0) } while reaped == -1 && errno == EINTR
            // ECHILD: `isRunning` reaped it first, and recorded the code under the lock.
            lock.withLock { if exitCode == nil && reaped == pid { exitCode = Self.code(status) } }
        }
        return ProcessResult(status: lock.withLock { exitCode ?? -1 }, stdout: stdout, stderr: stderr)
    }

    /// False once it has exited (then `wait` returns at once).
    public var isRunning: Bool {
        lock.withLock {
            guard exitCode == nil else { return false }
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return true }
            exitCode = Self.code(status)
            return false
        }
    }

    /// Waits for the exit until `deadline`, then kills.
    @discardableResult
    public func wait(orKillAt deadline: Date) -> ProcessResult {
        while isRunning && Date() < deadline { usleep(20_000) }
        return kill()
    }

    /// SIGKILL (unless it has ended), then the wait.
    @discardableResult
    public func kill() -> ProcessResult {
        signal(SIGKILL)
        return wait()
    }

    // WIFEXITED / WEXITSTATUS, spelled out: Swift does not import the macros.
    private static func code(_ status: Int32) -> Int32 {
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// What it printed so far (with `.log`, stdout holds both and stderr is empty).
    public var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    public var stderr: String { stderrPath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? "" }

    /// The last `lines` lines of what it printed, for failure reports.
    public func tail(_ lines: Int = 15) -> String {
        (stdout + stderr).split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// VmHWM and VmRSS in KiB, from /proc/<pid>/status; nil once it has ended.
    public func memory() -> (peak: Int, resident: Int)? {
        residentMemory().map { ($0.peak, $0.resident) }
    }

    /// Its memory as /proc/<pid>/status splits it; nil once it has ended.
    public func residentMemory() -> ResidentMemory? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        return ResidentMemory(status: status)
    }

    /// Polls until `condition` holds or `timeout` passes; false on timeout.
    public static func eventually(timeout: TimeInterval = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }
}

/// Result of running a program to completion.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs a program and waits for it, collecting its output.
public func runProgram(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                       currentDirectory: URL? = nil) throws -> ProcessResult {
    let child = try ChildProcess(executable, arguments, environment: environment, currentDirectory: currentDirectory)
    return child.wait()
}

public struct SpawnError: Error, CustomStringConvertible {
    public let executable: String
    public let code: Int32
    public var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
}
