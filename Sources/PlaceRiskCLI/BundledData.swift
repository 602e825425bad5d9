import Foundation

/// Finds the bundled `datasets/` and `models/` from wherever `placerisk` is run.
///
/// A bundled path such as `datasets/imd2019/…` is looked up, in order: in the current folder (the
/// project root, as in README); under `$PLACERISK_HOME` (a folder holding `datasets/` and `models/`);
/// beside the executable's package (the executable lives in `<package>/.build/<config>/placerisk`, so
/// each parent folder of the executable is tried). When none has it the relative path is returned and
/// the error that follows names it; `BundledData.hint` says how to point to the data.
enum BundledData {
    static let environmentVariable = "PLACERISK_HOME"

    static var hint: String {
        "run from the PlaceRisk folder, or set \(environmentVariable) to the folder that holds datasets/ and models/"
    }

    /// The path of the bundled file or folder `relative`.
    static func path(_ relative: String) -> String {
        let fm = FileManager.default
        if fm.fileExists(atPath: relative) { return relative }
        for root in roots {
            let p = (root as NSString).appendingPathComponent(relative)
            if fm.fileExists(atPath: p) { return p }
        }
        return relative
    }

    /// Candidate roots: `$PLACERISK_HOME`, then the executable's parent folders (nearest first).
    static let roots: [String] = {
        var out: [String] = []
        if let home = ProcessInfo.processInfo.environment[environmentVariable], !home.isEmpty { out.append(home) }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments.first ?? ""
        var dir = ((exe as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent
        for _ in 0 ..< 6 where dir.count > 1 {
            out.append(dir)
            dir = (dir as NSString).deletingLastPathComponent
        }
        return out
    }()
}
