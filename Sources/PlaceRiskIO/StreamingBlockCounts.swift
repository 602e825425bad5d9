import PlaceRiskCore

/// How `StreamingAggregation` reads one block through the general path: the header checks across a
/// month's files, and a block parsed with the police.uk loader's row rules, then counted by
/// unit × month × crime type with every skipped row counted by reason.
extension StreamingAggregation {
    /// Files of one month whose headers differ from the month's first file (columns are read by
    /// name, so the counts are right; the sentence says which columns differ).
    static func headerWarnings(_ sources: [ArchiveDiscovery.Source], _ headers: [[String]?]) -> [String] {
        var firstOfMonth: [Int: Int] = [:]
        var out: [String] = []
        for (i, s) in sources.enumerated() {
            guard let m = s.month, let h = headers[i] else { continue }
            guard let j = firstOfMonth[m.index] else { firstOfMonth[m.index] = i; continue }
            let g = headers[j]!
            if h != g {
                let missing = g.filter { !h.contains($0) }, extra = h.filter { !g.contains($0) }
                var what: [String] = []
                if !missing.isEmpty { what.append("lacks \(missing.map { "'\($0)'" }.joined(separator: ", "))") }
                if !extra.isEmpty { what.append("adds \(extra.map { "'\($0)'" }.joined(separator: ", "))") }
                if what.isEmpty { what.append("orders the same columns differently") }
                out.append("\(s.path): its header \(what.joined(separator: " and ")) against \(sources[j].path) of the same month; columns were read by name")
            }
        }
        return out
    }

    static func headerFields(_ header: [UInt8]) -> [String] {
        var r = CSVReader(bytes: header, options: .lineBounded)
        guard (try? r.next()) == true else { return [] }
        return r.fields.map { $0.trimmingCharacters() }
    }

    /// Parses one block with the loader's row rules and counts it.
    static func countBlock(_ w: (file: Int, header: [UInt8], headerLines: Int, bytes: [UInt8], firstLine: Int), name: String,
                           _ req: Request, cache: inout ProjectionCache) -> Swift.Result<BlockCounts, CSVError> {
        let reader = CSVReader(bytes: w.header + w.bytes, name: name, options: .lineBounded, firstLine: w.firstLine - w.headerLines)
        do throws(CSVError) { return .success(try countReader(reader, file: w.file, req, cache: &cache)) } catch { return .failure(error) }
    }

    /// Reads a header and records from `reader` with the loader's row rules and counts them.
    static func countReader(_ reader: consuming CSVReader, file: Int, _ req: Request, cache: inout ProjectionCache) throws(CSVError) -> BlockCounts {
        let clock = Stopwatch()
        var reader = reader
        let load = try PoliceStreetLoader.loadFile(reader: &reader, filter: req.filter, lenient: req.lenient, keepText: false,
                                                   checkCrimeIDs: req.loadInfo, cache: &cache)
        var b = BlockCounts(file: file)
        b.parseSeconds = clock.seconds
        let t = load.table
        var acc = load.accounting
        b.rowsLoaded = acc.rowsUsed
        if req.loadInfo {
            b.loadedMonths = Set(t.monthIndex.map { Int($0) })
            b.touchedCodes = t.lsoaCodes
            b.ids = load.crimeIDs.map { ($0.id, Int($0.line)) }
        }
        b.lsoaCodes = t.lsoaCodes
        b.crimeTypes = t.crimeTypes
        b.typeRows = load.typeRows
        b.located = load.located; b.outsideBNG = load.outsideBNG; b.insideIfSwapped = load.insideIfSwapped
        var skipped: [SkipReason: Int] = [:]
        let lo = PartialAggregate.monthBase, hi = lo + (1 << PartialAggregate.monthBits)
        var counter = KeyCounter()
        switch req.unit {
        case .lsoa:
            for i in 0 ..< t.count {
                let l = Int(t.lsoaID[i])
                if l < 0 { skipped[.noLSOA, default: 0] += 1; continue }
                let m = Int(t.monthIndex[i])
                if m < lo || m >= hi { skipped[.filteredMonth, default: 0] += 1; continue }
                counter.add(localKey(unit: l, monthIndex: m, type: Int(t.crimeTypeID[i])))
            }
        case .cell(let grid, let bbox):
            for i in 0 ..< t.count {
                switch t.location[i] {
                case .noCoordinates: skipped[.noCoordinates, default: 0] += 1; continue
                case .outsideBNG: skipped[.outsideBNG, default: 0] += 1; continue
                case .projected: break
                }
                let x = t.x[i], y = t.y[i]
                if let bb = bbox, !bb.contains(x: x, y: y) { skipped[.outsideGrid, default: 0] += 1; continue }
                guard let id = grid.cellID(x: x, y: y), id < 1 << PartialAggregate.unitBits else { skipped[.outsideGrid, default: 0] += 1; continue }
                let m = Int(t.monthIndex[i])
                if m < lo || m >= hi { skipped[.filteredMonth, default: 0] += 1; continue }
                counter.add(localKey(unit: id, monthIndex: m, type: Int(t.crimeTypeID[i])))
            }
        }
        (b.keys, b.counts) = counter.entries()
        for (r, n) in skipped.sorted(by: { $0.key < $1.key }) { acc.unuse(n, because: r) }
        b.accounting = acc
        b.countSeconds = clock.seconds - b.parseSeconds
        return b
    }
}
