import PlaceRiskCore

/// police.uk archive folder trees as published: `YYYY-MM/YYYY-MM-<force>-street.csv`, one file
/// per force and month, several archives that overlap (each holds about 36 months).
///
/// Rules (each force-month is read once):
/// - a file's force and month come from its name, `YYYY-MM-<force>-street.csv`;
/// - its archive is the folder above its `YYYY-MM` month folder (else the folder it is in); an
///   archive's date is the latest month among its files; the later date is the newer archive,
///   and between archives of the same date the one named later on the command line;
/// - copies of one force-month with the same SHA-256 are identical: one is read (the newest
///   archive's), the others are listed as `identical`;
/// - copies that differ: the newest archive's is read, the others are listed as `replaced`.
public enum ArchiveDiscovery {
    /// One street file to read.
    public struct Source: Sendable, Equatable {
        public var path: String
        /// From the file name; nil when the name is not `YYYY-MM-<force>-street.csv`.
        public var force: String?
        public var month: YearMonth?
        public var archive: String
    }

    /// A copy of a force-month that is not read, and why.
    public struct Dropped: Sendable, Equatable {
        public enum Reason: String, Sendable { case identical, replaced }
        public var path: String
        public var kept: String
        public var force: String
        public var month: YearMonth
        public var reason: Reason

        public var sentence: String {
            switch reason {
            case .identical: return "\(path): the same bytes as \(kept) (\(month) \(force)); read once"
            case .replaced: return "\(path): differs from \(kept), the newer archive's copy of \(month) \(force), which is read instead"
            }
        }
    }

    public struct Selection: Sendable {
        public var sources: [Source]
        public var dropped: [Dropped]
    }

    /// `YYYY-MM-<force>-street.csv` → (month, force).
    public static func parseName(_ name: String) -> (YearMonth, String)? {
        let suffix = PoliceStreetLoader.fileSuffix
        guard name.hasSuffix(suffix), name.utf8.count > 8 + suffix.utf8.count else { return nil }
        let u = Array(name.utf8)
        guard u[7] == UInt8(ascii: "-"), let ym = YearMonth.parse(u[0 ..< 7]) else { return nil }
        let force = String(decoding: u[8 ..< u.count - suffix.utf8.count], as: UTF8.self)
        return force.isEmpty ? nil : (ym, force)
    }

    /// The files under `paths`, each force-month once.
    public static func select(_ paths: [String]) throws(CSVError) -> Selection {
        var all: [(src: Source, order: Int)] = []
        for (k, p) in paths.enumerated() {
            for f in try FileDiscovery.files(from: [p], suffix: PoliceStreetLoader.fileSuffix) {
                let parts = f.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                let name = parts.last ?? f
                let parsed = parseName(name)
                let parent = parts.count >= 2 ? parts[parts.count - 2] : ""
                let archive: String
                if parts.count >= 2, YearMonth(parent) != nil {
                    archive = parts.dropLast(2).joined(separator: "/")
                } else {
                    archive = parts.dropLast().joined(separator: "/")
                }
                all.append((Source(path: f, force: parsed?.1, month: parsed?.0, archive: archive), k))
            }
        }
        // Archive dates: the latest month of each archive's files.
        var latest: [String: Int] = [:]
        for a in all { if let m = a.src.month { latest[a.src.archive] = max(latest[a.src.archive] ?? Int.min, m.index) } }
        func newer(_ a: (src: Source, order: Int), than b: (src: Source, order: Int)) -> Bool {
            let da = latest[a.src.archive] ?? Int.min, db = latest[b.src.archive] ?? Int.min
            return da != db ? da > db : a.order > b.order
        }
        var groups: [String: [Int]] = [:]
        var seenPath = Set<String>()
        var keep: [Bool] = []
        for (i, a) in all.enumerated() {
            keep.append(seenPath.insert(a.src.path).inserted)
            guard keep[i], let m = a.src.month, let force = a.src.force else { continue }
            groups["\(m) \(force.lowercased())", default: []].append(i)
        }
        var dropped: [Dropped] = []
        for key in groups.keys.sorted() {
            let g = groups[key]!
            guard g.count > 1 else { continue }
            var winner = g[0]
            for i in g.dropFirst() where newer(all[i], than: all[winner]) { winner = i }
            let w = all[winner].src
            let wHash = try SHA256.hexDigest(path: w.path)
            for i in g where i != winner {
                let s = all[i].src
                keep[i] = false
                let same = try SHA256.hexDigest(path: s.path) == wHash
                dropped.append(Dropped(path: s.path, kept: w.path, force: s.force!, month: s.month!, reason: same ? .identical : .replaced))
            }
        }
        let sources = all.indices.filter { keep[$0] }.map { all[$0].src }
            .sorted { ($0.month?.index ?? Int.min, $0.force ?? "", $0.path) < ($1.month?.index ?? Int.min, $1.force ?? "", $1.path) }
        return Selection(sources: sources, dropped: dropped.sorted { $0.path < $1.path })
    }
}
