import PlaceRiskCore

/// Per-crime-type weights (e.g. a crime-harm index the user brings), read from a CSV:
/// ```
/// crime_type,weight
/// Violence and sexual offences,10.5
/// Burglary,4
/// ```
/// Header names: `crime_type` or `Crime type`; `weight`. Types are matched leniently
/// (`CrimeType.lenient`); an unknown type, a missing or negative weight, or a repeated type is an error
/// naming the line and column. Types not listed weigh 0 (stated in outputs). PlaceRisk ships no weights.
public enum CrimeTypeWeights {
    public static func load(path: String) throws(CSVError) -> [CrimeType: Double] {
        var r = try CSVReader(path: path)
        guard try r.next() else { throw CSVError(.empty, file: path, line: 1, column: 1) }
        let header = r.fields
        guard let ct = header.firstIndex(where: { $0 == "crime_type" || $0 == "Crime type" }) else {
            throw CSVError(.missingColumn("crime_type"), file: path, line: 1, column: 1)
        }
        guard let cw = header.firstIndex(of: "weight") else { throw CSVError(.missingColumn("weight"), file: path, line: 1, column: 1) }
        var out: [CrimeType: Double] = [:]
        while try r.next() {
            try r.requireFieldCount(header.count)
            let name = r.string(ct)
            guard let t = CrimeType.lenient(name) else {
                throw CSVError(.badValue(column: header[ct], value: name, expected: "one of the 14 police.uk crime types"),
                               file: path, line: r.recordLine, column: r.column(ofField: ct))
            }
            guard let w = r.withField(cw, { ASCIINumber.parseDouble($0) }), w >= 0 else {
                throw CSVError(.badValue(column: "weight", value: r.string(cw), expected: "a non-negative number"),
                               file: path, line: r.recordLine, column: r.column(ofField: cw))
            }
            guard out[t] == nil else {
                throw CSVError(.badValue(column: header[ct], value: name, expected: "listed once (it is repeated)"),
                               file: path, line: r.recordLine, column: r.column(ofField: ct))
            }
            out[t] = w
        }
        return out
    }
}
