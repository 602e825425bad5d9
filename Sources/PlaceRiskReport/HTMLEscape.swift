/// Escaping of untrusted text (LSOA names, crime types, file names) for HTML and SVG/XML.
///
/// The five characters with markup meaning are replaced by entity references understood by both
/// HTML5 and XML (`&amp; &lt; &gt; &quot; &#39;`; `&apos;` is not HTML 4), so one function serves
/// element content and quoted attribute values alike. Characters XML 1.0 forbids (C0 controls other
/// than tab, line feed and carriage return, U+FFFE/U+FFFF, unpaired surrogates cannot occur in a
/// Swift `String`) are dropped, so an SVG stays well-formed whatever a data file contained.
public enum HTMLEscape {
    /// Escapes text for element content (`<td>…</td>`, `<text>…</text>`).
    public static func text(_ s: String) -> String { escape(s) }

    /// Escapes text for a quoted attribute value (`title="…"`, `id='…'`).
    public static func attribute(_ s: String) -> String { escape(s) }

    /// The shared implementation: one pass over the Unicode scalars, copying runs that need nothing.
    static func escape(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: needsWork) else { return s }
        var out = String.UnicodeScalarView()
        out.reserveCapacity(s.unicodeScalars.count + 16)
        for u in s.unicodeScalars {
            switch u {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: if isXMLCharacter(u) { out.append(u) }
            }
        }
        return String(out)
    }

    private static func needsWork(_ u: Unicode.Scalar) -> Bool {
        switch u {
        case "&", "<", ">", "\"", "'": return true
        default: return !isXMLCharacter(u)
        }
    }

    /// XML 1.0 `Char`: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
    static func isXMLCharacter(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v < 0x20 { return v == 0x9 || v == 0xA || v == 0xD }
        return v != 0xFFFE && v != 0xFFFF
    }
}
