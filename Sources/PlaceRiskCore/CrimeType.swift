/// The police.uk street-level crime categories.
///
/// The 14 published categories are cases of this enum; any other text in the
/// `Crime type` column is preserved verbatim as `.unknown(text)` rather than
/// being dropped or coerced (police.uk has renamed categories before).
/// See conventions §8 and https://data.police.uk/about/#columns.
public enum CrimeType: Hashable, Sendable, Comparable, CustomStringConvertible {
    case antiSocialBehaviour
    case bicycleTheft
    case burglary
    case criminalDamageAndArson
    case drugs
    case otherCrime
    case otherTheft
    case possessionOfWeapons
    case publicOrder
    case robbery
    case shoplifting
    case theftFromThePerson
    case vehicleCrime
    case violenceAndSexualOffences
    case unknown(String)

    /// The 14 published categories, in police.uk's alphabetical order.
    public static let standard: [CrimeType] = [
        .antiSocialBehaviour, .bicycleTheft, .burglary, .criminalDamageAndArson, .drugs,
        .otherCrime, .otherTheft, .possessionOfWeapons, .publicOrder, .robbery, .shoplifting,
        .theftFromThePerson, .vehicleCrime, .violenceAndSexualOffences,
    ]

    /// The exact label used in police.uk files.
    public var label: String {
        switch self {
        case .antiSocialBehaviour: return "Anti-social behaviour"
        case .bicycleTheft: return "Bicycle theft"
        case .burglary: return "Burglary"
        case .criminalDamageAndArson: return "Criminal damage and arson"
        case .drugs: return "Drugs"
        case .otherCrime: return "Other crime"
        case .otherTheft: return "Other theft"
        case .possessionOfWeapons: return "Possession of weapons"
        case .publicOrder: return "Public order"
        case .robbery: return "Robbery"
        case .shoplifting: return "Shoplifting"
        case .theftFromThePerson: return "Theft from the person"
        case .vehicleCrime: return "Vehicle crime"
        case .violenceAndSexualOffences: return "Violence and sexual offences"
        case .unknown(let s): return s
        }
    }

    public var description: String { label }

    /// Maps a police.uk label to its case; anything else becomes `.unknown(label)`.
    /// Matching is exact (the files use these spellings verbatim).
    public init(label: String) {
        if let known = CrimeType.byLabel[label] { self = known } else { self = .unknown(label) }
    }

    /// Matches a user-typed name leniently: case-insensitive, and also accepts the
    /// slug form (`violence-and-sexual-offences`, `violence_and_sexual_offences`).
    /// Returns nil when it names none of the 14 categories.
    public static func lenient(_ text: String) -> CrimeType? {
        let key = CrimeType.slug(text)
        return standard.first { CrimeType.slug($0.label) == key }
    }

    /// Types whose recorded counts mostly reflect police activity (proactive detection):
    /// Drugs, Possession of weapons, Public order (conventions §8–§9).
    public var isProactivelyDetected: Bool {
        self == .drugs || self == .possessionOfWeapons || self == .publicOrder
    }

    /// Standard categories sort in police.uk order; unknown ones after them, by label.
    public static func < (a: CrimeType, b: CrimeType) -> Bool {
        switch (a.standardIndex, b.standardIndex) {
        case let (x?, y?): return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a.label < b.label
        }
    }

    /// Position in `standard`, nil for `.unknown`.
    public var standardIndex: Int? { CrimeType.standard.firstIndex(of: self) }

    private static let byLabel: [String: CrimeType] = {
        var d: [String: CrimeType] = [:]
        for t in standard { d[t.label] = t }
        return d
    }()

    private static func slug(_ s: String) -> String {
        String(s.lowercased().map { $0 == "-" || $0 == "_" ? " " : $0 })
            .split(separator: " ").joined(separator: " ")
    }
}
