// The command line every suite shares: `placerisk-bench <suite> [--option value]... [--flag]...`.

import Foundation

/// Options after the suite name: `--name value` (`--files` takes every value up to the next option),
/// and the value-less flags in `Options.flagNames`.
struct Options {
    static let flagNames: Set<String> = ["--fast-only", "--weighted", "--counting-only", "--keep-text-only", "--profile", "--parallel-pairs", "--rebuild", "--sequential"]
    var values: [String: [String]] = [:]
    var flags = Set<String>()

    init(_ args: [String], usage: String) {
        var current: String?
        for a in args {
            if a.hasPrefix("--") {
                if Self.flagNames.contains(a) { flags.insert(a); current = nil } else { current = a; values[a, default: []] = values[a] ?? [] }
            } else if let c = current {
                values[c, default: []].append(a)
                if c != "--files" { current = nil }
            } else { fail("unexpected argument '\(a)'", usage: usage) }
        }
    }

    func value(_ name: String) -> String? { values[name]?.first }
    func all(_ name: String) -> [String]? { values[name] }
    func flag(_ name: String) -> Bool { flags.contains(name) }
    /// `--repeats N` (default 3).
    var repeats: Int { Int(value("--repeats") ?? "3") ?? 3 }
}

/// Every suite's usage, in help order (main.swift dispatches on the same names).
let benchUsage = "USAGE: " + [BinSuite.usage, IngestSuite.usage, KDESuite.usage, GiStarSuite.usage, LISASuite.usage,
                              LogitSuite.usage, CorrSuite.usage, ReportSuite.usage, TimeOfDaySuite.usage, StreamSuite.usage].joined(separator: "\n       ") + """


    Prints JSON lines in the schema of ../shared/peers/baselines.jsonl, plus peak_rss_mb (VmHWM).
    """

/// Prints the error and the usage on stderr and exits 64 (EX_USAGE).
func fail(_ msg: String, usage: String = benchUsage) -> Never {
    FileHandle.standardError.write(Data("Error: \(msg)\n\(usage)\n".utf8))
    exit(64)
}

/// File name of a path (for the records' `input`).
func baseName(_ path: String) -> String { (path as NSString).lastPathComponent }
