/// The weighted displacement quotient (Bowers & Johnson 2003, "Measuring the geographical
/// displacement and diffusion of benefit effects of crime prevention activity", J Quant Criminol
/// 19(3), 275–301, doi:10.1023/A:1024909009240):
/// ```
/// success measure  S = T₁/C₁ − T₀/C₀           (< 0: the treated area improved relative to the control)
/// buffer measure   B = D₁/C₁ − D₀/C₀           (the ring relative to the control)
/// WDQ = B / S
/// TNE = (T₀·C₁/C₀ − T₁) − (D₁ − D₀·C₁/C₀)      (total net effect, incidents)
/// ```
/// WDQ is read only when S < 0: WDQ > 0 means diffusion of benefit (the ring improved too), WDQ < 0
/// displacement, WDQ < −1 displacement larger than the direct effect; |WDQ| near 0 means neither.
/// Assumptions: the control area tracks what both the treated area and the ring would have done; no
/// inference is attached (Bowers & Johnson give none) — read the WDD's SE and the placebo p for that.
/// TNE: Bowers & Johnson's net effect in incidents, (T₀·C₁/C₀ − T₁) − (D₁ − D₀·C₁/C₀): crimes
/// prevented in the treated area minus those displaced into the ring (> 0 good).
public struct WeightedDisplacementQuotient: Sendable, Equatable {
    public let successMeasure: Double
    public let bufferMeasure: Double
    /// B / S (NaN when S = 0).
    public let quotient: Double
    /// Incidents prevented in the treated area, net of displacement into the ring.
    public let totalNetEffect: Double
    /// True when the success measure shows the treated area improved (S < 0): only then is WDQ read.
    public var interventionImproved: Bool { successMeasure < 0 }

    public init(treated: PrePost, control: PrePost, treatedRing: PrePost) {
        precondition(control.before > 0 && control.after > 0, "WDQ: the control area needs incidents before and after")
        successMeasure = treated.after / control.after - treated.before / control.before
        bufferMeasure = treatedRing.after / control.after - treatedRing.before / control.before
        quotient = successMeasure != 0 ? bufferMeasure / successMeasure : .nan
        let g = control.after / control.before
        totalNetEffect = (treated.before * g - treated.after) - (treatedRing.after - treatedRing.before * g)
    }

    /// What the quotient says, in words.
    public var reading: String {
        guard interventionImproved else { return "the intervention area did not improve relative to the control (success measure ≥ 0), so the quotient is not read" }
        if quotient > 0 { return "diffusion of benefit: the surrounding area improved as well (WDQ > 0)" }
        if quotient < -1 { return "displacement larger than the direct effect (WDQ < −1)" }
        if quotient < 0 { return "some displacement, smaller than the direct effect (−1 < WDQ < 0)" }
        return "neither displacement nor diffusion (WDQ = 0)"
    }

    public static let assumptions = "The control area shows what the treated area and its ring would have done; no sampling error is attached (read the WDD for that); read only when the success measure is negative."
}
