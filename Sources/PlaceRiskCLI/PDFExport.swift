import Foundation

/// Prints the HTML report to PDF with headless Chromium (the page's `@media print` stylesheet sets
/// A4, 15 mm margins and one top-level section per page). Chromium is not bundled: it is found in
/// PATH (`chromium`, `chromium-browser`, `google-chrome`, as .ci/report-screenshot.sh installs the
/// Debian package `chromium`).
enum PDFExport {
    /// Executable names tried, in order.
    static let candidates = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    /// Seconds before Chromium is stopped.
    static let timeout: TimeInterval = 60

    /// The message when Chromium is missing (the HTML is already written by then).
    static let missingMessage = "--pdf needs headless Chromium (apt-get install chromium); the HTML report was written"

    /// Full path of the first Chromium executable in PATH, nil when there is none.
    static func chromium() -> String? {
        chromium(path: ProcessInfo.processInfo.environment["PATH"] ?? "")
    }

    /// The first candidate found in the `:`-separated directories of `path`.
    static func chromium(path: String) -> String? {
        let fm = FileManager.default
        for name in candidates {
            for dir in path.split(separator: ":") where !dir.isEmpty {
                let p = String(dir) + "/" + name
                if fm.isExecutableFile(atPath: p) { return p }
            }
        }
        return nil
    }

    /// The arguments for printing `htmlURL` to `pdf`.
    static func arguments(htmlURL: URL, pdf: String) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--print-to-pdf=\(pdf)", htmlURL.absoluteString]
    }

    /// Prints the HTML file at `html` to the PDF file `pdf` (overwritten). Throws `RuntimeError`
    /// when Chromium is missing, fails, times out or writes no PDF.
    static func render(html: String, to pdf: String) throws {
        guard let exe = chromium() else { throw RuntimeError(missingMessage) }
        let htmlURL = URL(fileURLWithPath: html).standardizedFileURL
        guard FileManager.default.fileExists(atPath: htmlURL.path) else { throw RuntimeError("--pdf: no HTML report at \(html)") }
        let pdfPath = URL(fileURLWithPath: pdf).standardizedFileURL.path
        try? FileManager.default.removeItem(atPath: pdfPath)

        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = arguments(htmlURL: htmlURL, pdf: pdfPath)
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("placerisk-chromium-\(ProcessInfo.processInfo.processIdentifier).log")
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        let errHandle = try FileHandle(forWritingTo: errFile)
        defer { try? errHandle.close(); try? FileManager.default.removeItem(at: errFile) }
        p.standardError = errHandle
        do { try p.run() } catch { throw RuntimeError("--pdf: could not start \(exe): \(error.localizedDescription)") }

        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if p.isRunning {
            p.terminate()
            Thread.sleep(forTimeInterval: 1)
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
            p.waitUntilExit()
            throw RuntimeError("--pdf: Chromium did not finish within \(Int(timeout)) s; the HTML report was written")
        }
        p.waitUntilExit()
        let size = (try? FileManager.default.attributesOfItem(atPath: pdfPath)[.size] as? Int) ?? nil
        guard p.terminationStatus == 0, let size, size > 0 else {
            let log = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
            let last = log.split(separator: "\n").last.map(String.init) ?? ""
            throw RuntimeError("--pdf: Chromium failed (exit \(p.terminationStatus))\(last.isEmpty ? "" : ": " + last); the HTML report was written")
        }
    }
}
