import Foundation

/// A file written all or nothing: bytes go to a temporary file beside the target
/// (`PATH.tmp-PID`), which is renamed onto `PATH` only by `commit()` after every byte was written,
/// flushed and closed. A failed write (a full disk: ENOSPC; an I/O error), `discard()` or a writer
/// dropped before `commit()` removes the temporary file, so nothing at `PATH` ever claims to be a
/// complete result when it is not (an earlier file at `PATH` is left as it was).
///
/// A target that exists and is not a regular file (`/dev/stdout`, a pipe, `/dev/full`) cannot be
/// renamed onto; it is written in place and a failure is still an error.
///
/// Tests simulate a disk that fills with `SimulatedFullDisk` (no root, no special mounts).
public final class OutputFile {
    /// The file the bytes are for.
    public let path: String
    /// Where they are written until `commit()` (equal to `path` for a device or pipe).
    public let writingPath: String
    private var file: UnsafeMutablePointer<FILE>?
    /// Committed, discarded or failed: nothing is left to remove.
    private var finished = false
    /// Bytes accepted so far.
    public private(set) var bytesWritten = 0

    /// Opens `PATH.tmp-PID` for writing (or `path` itself when it is a device or pipe).
    public init(path: String) throws(CSVError) {
        self.path = path
        var st = stat()
        let special = stat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG && (st.st_mode & S_IFMT) != S_IFDIR
        writingPath = special ? path : path + ".tmp-\(getpid())"
        guard let f = fopen(writingPath, "wb") else {
            throw CSVError(.io("cannot create: \(String(cString: strerror(errno)))"), file: path, line: 0, column: 0)
        }
        file = f
    }

    deinit { if !finished { discard() } }

    /// Appends `bytes`; on failure the partial file is removed and the error says how far it got.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(CSVError) {
        guard let f = file else {
            throw CSVError(.io("write after the file was closed"), file: path, line: 0, column: 0)
        }
        guard !bytes.isEmpty else { return }
        var allowed = bytes.count
        var simulatedError: Int32 = 0
        if let limit = SimulatedFullDisk.bytesLeft(for: path, wanting: bytes.count), limit < bytes.count {
            allowed = limit
            simulatedError = ENOSPC
        }
        let n = allowed == 0 ? 0 : fwrite(bytes.baseAddress, 1, allowed, f)
        bytesWritten += n
        if n != bytes.count {
            let why = String(cString: strerror(simulatedError != 0 ? simulatedError : errno))
            let note = removedNote
            discard()
            throw CSVError(.io("write failed after \(bytesWritten) bytes: \(why)\(note)"), file: path, line: 0, column: 0)
        }
    }

    /// Appends `bytes` (see `write(_: UnsafeRawBufferPointer)`).
    public func write(_ bytes: [UInt8]) throws(CSVError) {
        var failure: CSVError?
        bytes.withUnsafeBytes { raw in
            do throws(CSVError) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Flushes, closes and renames the finished file onto `path`.
    public func commit() throws(CSVError) {
        guard let f = file else {
            throw CSVError(.io("the file was already closed"), file: path, line: 0, column: 0)
        }
        file = nil
        let flushed = fflush(f) == 0
        let flushErrno = errno
        let closed = fclose(f) == 0
        guard flushed, closed else {
            cleanUp()
            throw CSVError(.io("write failed (\(bytesWritten) bytes): \(String(cString: strerror(flushed ? errno : flushErrno)))\(removedNote)"),
                           file: path, line: 0, column: 0)
        }
        if writingPath != path {
            guard rename(writingPath, path) == 0 else {
                let why = String(cString: strerror(errno))
                cleanUp()
                throw CSVError(.io("cannot move the finished file into place: \(why); the partial file was removed"), file: path, line: 0, column: 0)
            }
        }
        finished = true
    }

    /// Closes and removes the unfinished file (a device is only closed).
    public func discard() {
        if let f = file { fclose(f); file = nil }
        cleanUp()
    }

    private var removedNote: String { writingPath == path ? "" : "; the partial file was removed" }

    private func cleanUp() {
        if !finished, writingPath != path { unlink(writingPath) }
        finished = true
    }
}

/// A disk that fills, for tests: writes through `OutputFile` to files under a folder fail with
/// ENOSPC ("No space left on device") once a byte budget for that folder is spent, exactly where a
/// full disk would stop them. Only the folders installed are affected, so tests running at the same
/// time elsewhere are not.
public enum SimulatedFullDisk {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var budgets: [String: Int] = [:]

    /// From now on, files under `folder` accept `bytes` bytes in total, then fail.
    public static func install(under folder: String, bytes: Int) {
        precondition(bytes >= 0, "SimulatedFullDisk: the budget cannot be negative")
        lock.lock(); defer { lock.unlock() }
        budgets[prefix(folder)] = bytes
    }

    /// Ends the simulation for `folder`.
    public static func remove(under folder: String) {
        lock.lock(); defer { lock.unlock() }
        budgets[prefix(folder)] = nil
    }

    private static func prefix(_ folder: String) -> String {
        let s = (folder as NSString).standardizingPath
        return s.hasSuffix("/") ? s : s + "/"
    }

    /// Bytes of a `wanting`-byte write to `path` that still fit (and spends them), or nil when
    /// `path` is under no simulated disk.
    static func bytesLeft(for path: String, wanting: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard !budgets.isEmpty else { return nil }
        let p = (path as NSString).standardizingPath
        guard let key = budgets.keys.first(where: { p.hasPrefix($0) }), let left = budgets[key] else { return nil }
        let take = min(left, wanting)
        budgets[key] = left - take
        return take
    }
}
