import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// Refuses, before any file is read, a run whose outputs would overwrite one of its inputs (the same
/// file by resolved path or by device and inode), or whose outputs name one file twice.
///
/// Outputs are the values of the output options (`--out`, `--accounting`, `--model-out`, `--json`,
/// `--units-out`, `--pdf`) and the files written beside them (`FILE.meta.json`, the `.prj` of an `.asc`,
/// the `FILE_files/` folder of a report, which is replaced as a whole). Inputs are the positional files
/// (folders: every regular file inside, at any depth — police.uk archives and `merge`'s partition folders
/// alike, so no output lands on a file of a folder being read) and every other option's value that names
/// an existing file.
enum OutputGuard {
    static let outputOptions: Set<String> = ["--out", "--accounting", "--model-out", "--json", "--units-out", "--pdf"]

    /// The files written beside an output.
    static func companions(of out: String) -> [String] {
        var c = [out + ".meta.json"]
        if out.lowercased().hasSuffix(".asc") { c.append(String(out.dropLast(4)) + ".prj") }
        return c
    }

    /// Input files named by options (`value: "file"`, not an output) must exist: refused before any work.
    static func checkInputsExist(_ a: ParsedArguments, spec: CommandSpec) throws {
        let fm = FileManager.default
        for o in spec.options where o.value == "file" && !outputOptions.contains(o.name) {
            for v in a.all(o.name) {
                var isDir: ObjCBool = false
                guard fm.fileExists(atPath: v, isDirectory: &isDir) else { throw RuntimeError("\(v): no such file (\(o.name))") }
                if isDir.boolValue { throw RuntimeError("\(v) is a folder; \(o.name) takes a file") }
            }
        }
    }

    /// Every regular file below `folder` (symbolic links followed to their files by `FileIdentity`).
    static func filesInside(_ folder: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: folder) else { return [] }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            let path = (folder as NSString).appendingPathComponent(rel)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue { out.append(path) }
        }
        return out
    }

    static func check(_ a: ParsedArguments) throws {
        var inputs: [String] = []
        let fm = FileManager.default
        for p in a.positionals {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else { continue }
            if isDir.boolValue { inputs += filesInside(p) } else { inputs.append(p) }
        }
        for (name, values) in a.values where !outputOptions.contains(name) {
            for v in values {
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: v, isDirectory: &isDir), !isDir.boolValue { inputs.append(v) }
            }
        }
        let inputIDs = inputs.map { (path: $0, id: FileIdentity(path: $0)) }
        var written: [(option: String, path: String, id: FileIdentity)] = []
        for name in outputOptions.sorted() {
            for out in a.all(name) {
                for path in [out] + (name == "--out" ? companions(of: out) : []) {
                    written.append((name, path, FileIdentity(path: path)))
                }
                if out.lowercased().hasSuffix(".html") {
                    let folder = FileIdentity(path: String(out.dropLast(5)) + "_files")
                    if let hit = inputIDs.first(where: { $0.id.isInside(folder: folder) || $0.id.sameFile(as: folder) }) {
                        throw UsageError("\(name) \(out) would replace the folder \(String(out.dropLast(5)))_files, which holds the input \(hit.path); choose another --out")
                    }
                }
            }
        }
        for w in written {
            if let hit = inputIDs.first(where: { $0.id.sameFile(as: w.id) }) {
                let what = w.path == a.value(w.option) ? "\(w.option) \(w.path)" : "\(w.option) \(a.value(w.option) ?? w.path) (which writes \(w.path))"
                throw UsageError("\(what) is the input file \(hit.path); it would be overwritten — choose another output path")
            }
        }
        for i in written.indices {
            for j in written.indices where j > i && written[i].id.sameFile(as: written[j].id) {
                throw UsageError("\(written[i].option) and \(written[j].option) both write \(written[j].path); give them different paths")
            }
        }
    }
}
