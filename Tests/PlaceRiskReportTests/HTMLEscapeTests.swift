import Testing
@testable import PlaceRiskReport

@Suite("HTML escaping")
struct HTMLEscapeTests {
    /// The five markup characters become entities; plain text is returned unchanged.
    @Test func escapesTheFiveMarkupCharacters() {
        #expect(HTMLEscape.text("<script>alert(1)</script> & co") == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co")
        #expect(HTMLEscape.attribute("a\"b'c") == "a&quot;b&#39;c")
        #expect(HTMLEscape.text("Exeter 001A") == "Exeter 001A")
    }

    /// Control characters that XML forbids are dropped; tab and newline stay.
    @Test func dropsCharactersXMLForbids() {
        #expect(HTMLEscape.text("a\u{0}b\u{1B}c\td\ne") == "abc\td\ne")
    }
}
