import Foundation

/// The report's results folder (`FILE_files/`), written as a whole: this run writes into a fresh
/// folder beside it and replaces the earlier one only when every result is written; a failed run
/// removes its partial folder and leaves the earlier results as they were.
struct ResultsFolder: Sendable {
    let final: String
    let staging: String

    init(final: String) {
        self.final = final
        staging = final + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Creates the fresh folder (and the page's folder), before any long step.
    func prepare() throws {
        let fm = FileManager.default
        let parent = (final as NSString).deletingLastPathComponent
        if !parent.isEmpty { try? fm.createDirectory(atPath: parent, withIntermediateDirectories: true) }
        try? fm.removeItem(atPath: staging)
        do { try fm.createDirectory(atPath: staging, withIntermediateDirectories: true) } catch {
            throw RuntimeError("cannot create \(staging): \(plainDescription(error))")
        }
        guard fm.isWritableFile(atPath: staging) else { throw RuntimeError("cannot write to \(staging)") }
    }

    /// Replaces the earlier run's folder by this run's.
    func commit() throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: final) {
            do { try fm.removeItem(atPath: final) } catch { throw RuntimeError("cannot replace \(final): \(plainDescription(error))") }
        }
        do { try fm.moveItem(atPath: staging, toPath: final) } catch {
            throw RuntimeError("cannot move the results to \(final): \(plainDescription(error))")
        }
    }

    /// Removes this run's partial results.
    func discard() { try? FileManager.default.removeItem(atPath: staging) }
}
