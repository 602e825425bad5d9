import Foundation

/// Expands command-line inputs (files and folders) into a sorted list of files.
public enum FileDiscovery {
    /// Files named by `paths`; folders are searched recursively for names ending in `suffix`.
    /// A named file is taken whatever its name. Missing paths throw with the path in the message.
    /// The result is sorted and free of duplicates, so runs are reproducible.
    public static func files(from paths: [String], suffix: String) throws(CSVError) -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else {
                throw CSVError(.io("no such file or folder"), file: p, line: 0, column: 0)
            }
            if isDir.boolValue {
                guard let e = fm.enumerator(atPath: p) else {
                    throw CSVError(.io("cannot list folder"), file: p, line: 0, column: 0)
                }
                var found: [String] = []
                while let rel = e.nextObject() as? String {
                    if rel.hasSuffix(suffix) { found.append((p as NSString).appendingPathComponent(rel)) }
                }
                out.append(contentsOf: found.sorted())
            } else {
                out.append(p)
            }
        }
        var seen = Set<String>()
        return out.filter { seen.insert(($0 as NSString).standardizingPath).inserted }
    }
}
