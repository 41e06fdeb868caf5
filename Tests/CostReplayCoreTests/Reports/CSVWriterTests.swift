import CostReplayCore
import Testing

@Suite struct CSVWriterTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        // "\r\n" is one Swift character, equal to neither "\r" nor "\n"; the field must be quoted all the same.
        ("two\r\nlines", "\"two\r\nlines\""),
        // A comma followed by a combining accent is one character but still a comma byte: quoted.
        ("a,\u{301}b", "\"a,\u{301}b\""),
        ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tTAB", "'\tTAB"),
    ])
    func fieldsAreQuotedAndFormulasNeutralised(input: String, expected: String) {
        #expect(CSVWriter.escape(input) == expected)
    }

    @Test func numbersAreWrittenAsIs() {
        var writer = CSVWriter(header: ["a", "b"])
        writer.row([.text("-x"), .number("-1.5")])
        #expect(writer.text == "a,b\r\n'-x,-1.5\r\n")
    }
}
