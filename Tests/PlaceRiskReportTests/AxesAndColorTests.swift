import Testing
@testable import PlaceRiskReport

@Suite("Nice ticks, colour scales and class breaks")
struct AxesAndColorTests {
    /// Heckbert (1990) loose labelling, 5 ticks, hand-checked:
    /// [105, 543]: range nice(438) = 500, d = nice(125, round) = 100 → 100…600.
    /// [0, 1]: range 1, d = nice(0.25, round) = 0.2 → 0…1, 1 fraction digit.
    /// [−3.7, 12.1]: range nice(15.8) = 20, d = nice(5, round) = 5 → −5…15.
    /// [0.00213, 0.00987]: range nice(0.00774) = 0.01, d = nice(0.0025, round) = 0.002 → 0.002…0.01, 3 digits.
    @Test func niceTicksForKnownRanges() {
        let a = NiceTicks(min: 105, max: 543)
        #expect(a.lower == 100 && a.upper == 600 && a.step == 100 && a.fractionDigits == 0)
        #expect(a.values == [100, 200, 300, 400, 500, 600])
        let b = NiceTicks(min: 0, max: 1)
        #expect(b.step == 0.2 && b.fractionDigits == 1)
        #expect(b.values == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(b.labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let c = NiceTicks(min: -3.7, max: 12.1)
        #expect(c.values == [-5, 0, 5, 10, 15])
        #expect(c.labels.first == "−5")
        let d = NiceTicks(min: 0.00213, max: 0.00987)
        #expect(d.fractionDigits == 3 && d.values == [0.002, 0.004, 0.006, 0.008, 0.01])
        #expect(NiceTicks.nice(438, round: false) == 500 && NiceTicks.nice(125, round: true) == 100)
        #expect(NiceTicks(min: 0, max: 12_500).labels.last == "15,000")
    }

    /// Ramp ends are the cited anchors: ColorBrewer YlOrRd 9 (#ffffcc, #800026), matplotlib viridis
    /// (#440154, #fde725), ColorBrewer RdBu 11 reversed (#053061 low, #f7f7f7 centre, #67001f high).
    @Test func colourScaleEndpointsEqualTheCitedAnchors() {
        #expect(ColorRamp.ylOrRd.color(at: 0).hex == "#ffffcc" && ColorRamp.ylOrRd.color(at: 1).hex == "#800026")
        #expect(ColorRamp.viridis.color(at: 0).hex == "#440154" && ColorRamp.viridis.color(at: 1).hex == "#fde725")
        #expect(ColorRamp.rdBuDiverging.color(at: 0).hex == "#053061")
        #expect(ColorRamp.rdBuDiverging.color(at: 0.5).hex == "#f7f7f7")
        #expect(ColorRamp.rdBuDiverging.color(at: 1).hex == "#67001f")
        let five = ColorRamp.viridis.colors(count: 5)
        #expect(five.map(\.hex) == ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"])
        #expect(RGB(hex: "#FDE725") == RGB(253, 231, 37))
    }

    /// Gi* bins ±3…0 and GeoDa LISA colours (HH red, LL blue, LH (150,150,255), HL (255,150,150),
    /// not significant (240,240,240)).
    @Test func categoricalPalettesForGiStarAndLISA() {
        let g = ClassifiedScale.giStarBins
        #expect(g.color(of: 3)?.hex == "#b2182b" && g.color(of: -3)?.hex == "#2166ac" && g.color(of: 0)?.hex == "#d9d9d9")
        #expect(g.color(of: 4) == nil)
        let l = ClassifiedScale.lisaClusters
        #expect(l.color(of: 1) == RGB(255, 0, 0) && l.color(of: 2) == RGB(0, 0, 255))
        #expect(l.color(of: 3) == RGB(150, 150, 255) && l.color(of: 4) == RGB(255, 150, 150) && l.color(of: 0) == RGB(240, 240, 240))
    }

    /// Quantiles of 1…10 in 5 classes = numpy.percentile(1..10, [20, 40, 60, 80, 100]) =
    /// [2.8, 4.6, 6.4, 8.2, 10]; equal interval of [0, 10] in 4 = [2.5, 5, 7.5, 10]; many ties merge.
    @Test func quantileAndEqualIntervalBreaks() throws {
        let q = try #require(ClassBreaks.quantiles((1 ... 10).map(Double.init), classes: 5))
        #expect(q.minimum == 1)
        let expected = [2.8, 4.6, 6.4, 8.2, 10]
        #expect(zip(q.upperBounds, expected).allSatisfy { abs($0 - $1) < 1e-12 } && q.count == 5)
        #expect(q.classIndex(of: 2.8) == 0 && q.classIndex(of: 2.9) == 1 && q.classIndex(of: 10) == 4)
        #expect(q.classIndex(of: 11) == nil && q.classIndex(of: .nan) == nil)
        let e = try #require(ClassBreaks.equalInterval([0, 3, 10, .nan], classes: 4))
        #expect(e.upperBounds == [2.5, 5, 7.5, 10])
        let ties = try #require(ClassBreaks.quantiles([0, 0, 0, 0, 0, 0, 0, 1, 2, 3], classes: 5))
        #expect(ties.upperBounds.count < 5 && ties.upperBounds.first == 0)
        // Seven zeros of ten: numpy.percentile([0]*7 + [1, 2, 3], [20, 40, 60, 80]) = [0, 0, 0, 1.2], so
        // the first class holds only 0 and reads "0", not "0.000 – 0.000" (the risk map's first class).
        let labels = ties.labels(decimals: 3)
        #expect(labels.first == "0" && labels.count == ties.count)
        #expect(labels.dropFirst().allSatisfy { $0.contains(" – ") })
        let div = try #require(ClassifiedScale.diverging([-1.5, 0.2, 3], center: 0, classes: 5))
        #expect(div.breaks.minimum == -3 && div.breaks.upperBounds.last == 3 && div.classIndex(of: 0) == 2)
    }
}
