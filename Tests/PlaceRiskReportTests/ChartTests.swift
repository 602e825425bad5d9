import Testing
@testable import PlaceRiskReport

@Suite("Charts")
struct ChartTests {
    /// Every chart type renders to well-formed XML with its title, and series names are escaped.
    @Test func everyChartIsWellFormedXML() {
        let months = ["2020-01", "2020-02", "2020-03", "2020-04"]
        let line = LineChart(title: "Violence by month", xLabels: months,
                             series: [ChartSeries(name: "Exeter <centre>", y: [10, 12, .nan, 9], highlighted: true),
                                      ChartSeries(name: "Force mean", y: [8, 8.5, 9, 8.2])],
                             xTitle: "Month", yTitle: "Incidents").svg()
        let bar = BarChart(title: "Rate by IMD decile", categories: (1 ... 10).map { "D\($0)" },
                           values: [9, 8, 7, 6, 5, 4.5, 4, 3.5, 3, 2.5], lower: [8, 7, 6, 5, 4, 3.9, 3.2, 2.9, 2.4, 2],
                           upper: [10, 9, 8, 7, 6, 5.1, 4.8, 4.1, 3.6, 3], xTitle: "IMD decile (1 = most deprived)",
                           yTitle: "Incidents per 1,000", reference: 5).svg()
        let curve = CurveChart(title: "Hit rate by area flagged",
                               series: [ChartSeries(name: "Model", x: [0, 1, 5, 10, 20], y: [0, 8, 25, 40, 60], highlighted: true),
                                        ChartSeries(name: "Last month", x: [0, 1, 5, 10, 20], y: [0, 6, 20, 33, 52])],
                               xTitle: "% of area", yTitle: "% of incidents", diagonal: true).svg()
        let calib = CalibrationPlot(title: "Calibration by decile", predicted: [0.05, 0.1, 0.2, 0.4],
                                    observed: [0.04, 0.12, 0.18, 0.45], axisTitle: "P(≥ 1 incident)").svg()
        for svg in [line, bar, curve, calib] {
            #expect(isWellFormedXML(svg))
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        }
        #expect(line.contains("Exeter &lt;centre&gt;") && !line.contains("<centre>"))
        #expect(line.contains("2020-03") && bar.contains("D10"))
        // The highlighted series is drawn with the thick stroke; the NaN splits it into a line and a dot.
        #expect(line.contains("stroke-width=\"3\"") && line.contains("<circle"))
        // Error bars: three lines per bar.
        #expect(occurrences(of: "stroke=\"#222222\" stroke-width=\"1.2\"", in: bar) == 30)
        #expect(curve.contains("stroke-dasharray"))
    }
}
