/// Pre/post counts of one area (before and after the start of the intervention).
public struct PrePost: Sendable, Equatable {
    public let before: Double
    public let after: Double
    public init(before: Double, after: Double) {
        self.before = before
        self.after = after
    }
    public static let zero = PrePost(before: 0, after: 0)
    public var change: Double { after - before }
}

/// The weighted displacement difference test (Wheeler & Ratcliffe 2018, "A simple weighted
/// displacement difference test to evaluate place based crime interventions", Crime Science 7:7,
/// doi:10.1186/s40163-018-0085-5), with equal time and area weights:
/// ```
/// local        = (T₁ − T₀) − (C₁ − C₀)                  T treated, C control
/// displacement = (D₁ − D₀) − (E₁ − E₀)                  D ring of the treated area, E ring of the control
/// total        = local + displacement
/// Var(local) = T₀ + T₁ + C₀ + C₁,  Var(displacement) = D₀ + D₁ + E₀ + E₁,  Var(total) = their sum
/// z = estimate / √Var,  95 % CI = estimate ± 1.96 √Var
/// ```
/// Assumptions (printed beside the result): each count is Poisson (variance = mean), independent of
/// the others; the control area would have changed by the same number of incidents as the treated
/// area without the intervention (a difference in counts, so the areas should have similar levels);
/// the rings are not themselves treated. Over-dispersed counts make the Poisson SE too small — the
/// placebo test gives a p that does not rely on it.
///
/// Worked example (the paper; ptools `wdd(c(308,318), c(207,110), c(150,140), c(178,157))`):
/// treated (207, 110), control (308, 318), treated ring (178, 157), control ring (150, 140) →
/// total −118, SE √1568, z −2.98, 95 % CI −196 to −40.
public struct WeightedDisplacementDifference: Sendable, Equatable {
    public let local: EffectEstimate
    public let displacement: EffectEstimate
    public let total: EffectEstimate

    public init(treated: PrePost, control: PrePost, treatedRing: PrePost = .zero, controlRing: PrePost = .zero) {
        for v in [treated, control, treatedRing, controlRing] {
            precondition(v.before >= 0 && v.after >= 0, "WDD: counts are non-negative")
        }
        let l = treated.change - control.change
        let d = treatedRing.change - controlRing.change
        let vl = treated.before + treated.after + control.before + control.after
        let vd = treatedRing.before + treatedRing.after + controlRing.before + controlRing.after
        local = EffectEstimate(estimate: l, se: vl.squareRoot())
        displacement = EffectEstimate(estimate: d, se: vd.squareRoot())
        total = EffectEstimate(estimate: l + d, se: (vl + vd).squareRoot())
    }

    public static let assumptions = "Counts are independent Poisson (variance = mean); without the intervention the treated area's count would have changed by as many incidents as the control's (so the areas should be of similar size); the displacement rings are untreated. Over-dispersed counts make this SE too small: read the placebo p beside it."
}
