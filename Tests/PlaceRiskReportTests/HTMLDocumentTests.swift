import Testing
@testable import PlaceRiskReport

@Suite("HTML document")
struct HTMLDocumentTests {
    /// Text everywhere is escaped; numeric columns are right-aligned; ids are sanitised; there is no
    /// script and nothing fetched from elsewhere.
    @Test func documentIsSelfContainedAndEscaped() {
        let hostile = "<script>alert(1)</script> & co"
        var doc = HTMLDocument(title: "Report for \(hostile)", subtitle: ["Data 2020-01 to 2020-03"])
        doc.append(HTMLSection(id: "bias audit!", heading: "Bias audit", blocks: [
            .paragraph(hostile),
            .table(HTMLTable(header: ["LSOA", "Incidents", "Rate"], rows: [[hostile, "1,234", "−0.5"], ["Exeter 001A", "17", "n/a"]])),
            .warning("Recorded crime reflects police activity."),
            .note("Place-based only."),
            .figure(svg: LineChart(title: "t", xLabels: ["a", "b"], series: [ChartSeries(name: "s", y: [1, 2])], yTitle: "y").svg(),
                    caption: hostile),
        ]))
        doc.append(HTMLSection(id: "2-manifest", heading: "Manifest", blocks: [.list(["input.csv SHA-256 …"])]))
        let html = doc.render()
        #expect(!html.contains("<script"))
        #expect(occurrences(of: "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co", in: html) >= 4)
        #expect(html.contains("<section id=\"bias-audit-\">") && html.contains("href=\"#s-2-manifest\""))
        #expect(html.contains("<td class=\"num\">1,234</td>") && html.contains("<td class=\"num\">−0.5</td>"))
        #expect(html.contains("<td>Exeter 001A</td>"))
        #expect(html.contains("class=\"warning\"") && html.contains("<figure><svg"))
        #expect(!html.contains("src=") && !html.contains("<link") && !html.contains("@import") && !html.contains("href=\"http"))
    }
}
