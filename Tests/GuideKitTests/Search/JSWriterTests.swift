import Testing

@testable import GuideKit

@Suite struct JSWriterTests {
  @Test func quotesAsASCIIWithUTF16Escapes() {
    #expect(JSWriter.quoted("plain text") == #""plain text""#)
    #expect(JSWriter.quoted("a\"b\\c\nd\te\rf") == #""a\"b\\c\nd\te\rf""#)
    #expect(JSWriter.quoted("<é>\u{1}\u{7f}") == #""<\u00e9>\u0001\u007f""#)
    #expect(JSWriter.quoted("x😀y") == #""x\ud83d\ude00y""#, "astral characters as a surrogate pair")
    #expect(JSWriter.quoted("\u{2028}") == #""\u2028""#, "line separators cannot end a script line")
  }
}
