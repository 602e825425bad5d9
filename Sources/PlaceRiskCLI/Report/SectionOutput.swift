import PlaceRiskCore
import PlaceRiskIO
import PlaceRiskReport

/// One key finding: a sentence a board paper can quote, linked to the section that shows it.
struct Finding: Sendable {
    let text: String
    let section: String
}

/// What one section of the report produces, as a value: its HTML, the result files beside the page,
/// its key numbers (for `report.json`), the parameters it chose (for the manifest) and any input file
/// it read. The report derives `report.json`, the manifest and the results folder from the list of
/// these — nothing is accumulated in shared state.
struct SectionOutput: Sendable {
    var section: HTMLSection?
    var files: [ResultFile] = []
    var numbers: [(String, JSONValue)] = []
    var parameters: [(String, JSONValue)] = []
    var inputsRead: [String] = []
    /// Key findings for the opening list: a plain sentence with its number, and the section it links to.
    var findings: [Finding] = []

    mutating func csv(_ rows: [[String]], _ name: String) { files.append(.csv(name: name, rows: rows)) }
    mutating func json(_ value: JSONValue, _ name: String) { files.append(.json(name: name, value: value)) }
    mutating func asciiGrid(_ name: String, grid: Grid, values: [Double]) { files.append(.asciiGrid(name: name, grid: grid, values: values)) }

    /// This output with its HTML section set.
    func finish(_ s: HTMLSection) -> SectionOutput {
        var o = self
        o.section = s
        return o
    }

    /// A section replaced by a note saying why it could not be computed.
    static func omitted(id: String, heading: String, because reason: String) -> SectionOutput {
        SectionOutput(section: HTMLSection(id: id, heading: heading, blocks: [.warning("This section could not be computed on these data: \(reason).")]))
    }
}
