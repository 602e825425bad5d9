import PlaceRiskCore
import Dispatch

extension DatedRowParser {
    /// The parsers of consecutive chunks, in file order, as one parser over all their records — what
    /// one parser fed every record in order gives:
    /// ```
    /// column      = part 0's rows, then part 1's, …  (each column allocated once at its final size,
    ///               the parts copied into it on all cores; `end` only when some part has a window)
    /// code        = part k's code mapped through its labels interned, in part k's first-seen order,
    ///               after the labels of parts 0 … k−1 (so the labels keep first-seen order)
    /// ledger      = counts added, examples in part order
    /// line        = part k's line + its `lineOffset` (each part's lines shifted to the file's)
    /// first lines = the first part's that has one (degrees, metres, swapped, month-only)
    /// ```
    static func joined(_ parts: [DatedRowParser]) -> DatedRowParser {
        precondition(!parts.isEmpty, "DatedRowParser.joined: no parts")
        var t = parts[0]
        if parts.count == 1, t.lineOffset == 0 { return t }
        for o in parts.dropFirst() {
            t.d.accounting.merge(o.d.accounting)
            if t.degreesLine == 0 { t.degreesLine = o.degreesLine }
            if t.metresLine == 0 { t.metresLine = o.metresLine }
            if t.swappedLine == 0 { t.swappedLine = o.swappedLine; t.swappedText = o.swappedText }
            if t.monthOnlyLine == 0 { t.monthOnlyLine = o.monthOnlyLine }
            t.datedRows += o.datedRows
        }
        let ds = parts.map(\.d)
        t.d.start = joinedColumn(ds.map(\.start))
        // Ends only when some part has a window (a part of point times then gives its starts).
        t.d.end = ds.allSatisfy(\.end.isEmpty) ? [] : joinedColumn(ds.map { $0.end.isEmpty ? $0.start : $0.end })
        t.d.timed = joinedColumn(ds.map(\.timed))
        t.d.x = joinedColumn(ds.map(\.x)); t.d.y = joinedColumn(ds.map(\.y))
        t.d.location = joinedColumn(ds.map(\.location)); t.d.weight = joinedColumn(ds.map(\.weight))
        t.d.line = joinedLines(ds.map(\.line), parts.map(\.lineOffset))
        t.lineOffset = 0
        let coded: [WritableKeyPath<DatedIncidents, CodedColumn>] = [\.lsoaCode, \.category, \.weapon, \.locationType, \.ageBand, \.agency, \.place]
        for k in coded {
            var column = t.d[keyPath: k]
            t.d[keyPath: k] = CodedColumn()
            var maps: [[Int32]?] = [nil]
            for o in ds.dropFirst() {
                let c = o[keyPath: k]
                maps.append(c.codes.isEmpty ? nil : (0 ..< Int32(c.interner.count)).map { i in c.interner.withBytes(i) { column.intern($0) } })
            }
            column.codes = joinedCodes(ds.map { $0[keyPath: k].codes }, maps)
            t.d[keyPath: k] = column
        }
        return t
    }

    /// The parts one after another, copied on all cores.
    static func joinedColumn<T>(_ parts: [[T]]) -> [T] {
        let (offsets, total) = offsets(parts.map(\.count))
        if total == 0 { return [] }
        return [T](unsafeUninitializedCapacity: total) { buf, n in
            let ctx = UncheckedSendable((buf.baseAddress!, parts, offsets))
            DispatchQueue.concurrentPerform(iterations: parts.count) { i in
                let out = ctx.value.0 + ctx.value.2[i]
                ctx.value.1[i].withUnsafeBufferPointer { src in
                    if let s = src.baseAddress, src.count > 0 { out.initialize(from: s, count: src.count) }
                }
            }
            n = total
        }
    }

    /// The parts' lines one after another, part k's moved by `shifts[k]` (as `Int32(truncatingIfNeeded:)`
    /// of the line), on all cores.
    static func joinedLines(_ parts: [[Int32]], _ shifts: [Int]) -> [Int32] {
        let (offsets, total) = offsets(parts.map(\.count))
        if total == 0 { return [] }
        return [Int32](unsafeUninitializedCapacity: total) { buf, n in
            let ctx = UncheckedSendable((buf.baseAddress!, parts, offsets, shifts))
            DispatchQueue.concurrentPerform(iterations: parts.count) { i in
                let out = ctx.value.0 + ctx.value.2[i], shift = Int32(truncatingIfNeeded: ctx.value.3[i])
                ctx.value.1[i].withUnsafeBufferPointer { src in
                    guard let s = src.baseAddress, src.count > 0 else { return }
                    for j in 0 ..< src.count { (out + j).initialize(to: s[j] &+ shift) }
                }
            }
            n = total
        }
    }

    /// The parts' codes one after another, part k's mapped through `maps[k]` (nil: as they are), on all cores.
    static func joinedCodes(_ parts: [[Int32]], _ maps: [[Int32]?]) -> [Int32] {
        let (offsets, total) = offsets(parts.map(\.count))
        if total == 0 { return [] }
        return [Int32](unsafeUninitializedCapacity: total) { buf, n in
            let ctx = UncheckedSendable((buf.baseAddress!, parts, offsets, maps))
            DispatchQueue.concurrentPerform(iterations: parts.count) { i in
                let out = ctx.value.0 + ctx.value.2[i]
                ctx.value.1[i].withUnsafeBufferPointer { src in
                    guard let s = src.baseAddress, src.count > 0 else { return }
                    guard let map = ctx.value.3[i] else { out.initialize(from: s, count: src.count); return }
                    map.withUnsafeBufferPointer { m in
                        for j in 0 ..< src.count { (out + j).initialize(to: m[Int(s[j])]) }
                    }
                }
            }
            n = total
        }
    }

    private static func offsets(_ counts: [Int]) -> ([Int], Int) {
        var offsets: [Int] = [], total = 0
        for c in counts { offsets.append(total); total += c }
        return (offsets, total)
    }
}
