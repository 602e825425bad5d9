import PlaceRiskCore

/// Which partnership (e.g. a community safety partnership) covers each district: a CSV with columns
/// `district_code` and `partnership` (found by header name; `district_name` optional and unused), one
/// row per district. A district listed twice with different partnerships is an error naming both lines;
/// rows with an empty code or partnership are errors (a lookup with holes would silently drop places).
public struct PartnershipLookup: Sendable, Equatable {
    /// District code → partnership name.
    public let partnershipOfDistrict: [String: String]
    /// Partnerships in order of first appearance in the file.
    public let partnerships: [String]

    public init(partnershipOfDistrict: [String: String], partnerships: [String]) {
        self.partnershipOfDistrict = partnershipOfDistrict
        self.partnerships = partnerships
    }

    public static func load(path: String) throws(CSVError) -> PartnershipLookup {
        var r = try CSVReader(path: path)
        guard try r.next() else { throw CSVError(.empty, file: path, line: 1, column: 1) }
        let header = r.fields
        func find(_ name: String) throws(CSVError) -> Int {
            guard let i = header.firstIndex(of: name) else { throw CSVError(.missingColumn(name), file: path, line: 1, column: 1) }
            return i
        }
        let cD = try find("district_code"), cP = try find("partnership")
        var map: [String: String] = [:], lineOf: [String: Int] = [:], order: [String] = []
        var line = 1
        while try r.next() {
            line += 1
            try r.requireFieldCount(header.count)
            let d = r.string(cD).uppercased(), p = r.string(cP)
            guard !d.isEmpty else { throw CSVError(.badValue(column: "district_code", value: "", expected: "a district code"), file: path, line: line, column: cD + 1) }
            guard !p.isEmpty else { throw CSVError(.badValue(column: "partnership", value: "", expected: "a partnership name (district \(d))"), file: path, line: line, column: cP + 1) }
            if let q = map[d], q != p {
                throw CSVError(.badValue(column: "partnership", value: p, expected: "the partnership line \(lineOf[d]!) gives \(d) ('\(q)')"), file: path, line: line, column: cP + 1)
            }
            if map[d] == nil { map[d] = p; lineOf[d] = line }
            if !order.contains(p) { order.append(p) }
        }
        return PartnershipLookup(partnershipOfDistrict: map, partnerships: order)
    }
}
