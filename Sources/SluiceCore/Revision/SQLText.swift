/// Small lexical facts about SQL text that do not need SQLite itself.
public enum SQLText {
    /// Whether `sql` holds anything besides white space and comments (`-- …` and
    /// `/* … */`). An empty `-- +downgrade` section makes a revision irreversible.
    public static func hasExecutableContent(_ sql: String) -> Bool {
        firstExecutableOffset(in: sql) != nil
    }

    /// The UTF-8 offset of the first byte in `sql` that is neither white space nor part of
    /// a comment, or `nil` when there is none. Used to report the line a statement starts
    /// on rather than the line of a comment before it.
    public static func firstExecutableOffset(in sql: String) -> Int? {
        // Read in place: the parser asks this of every line before `-- +upgrade`.
        var text = sql
        return text.withUTF8 { firstExecutableOffset(in: $0, from: 0, to: $0.count) }
    }

    /// The same over a byte range of an already-encoded text.
    public static func firstExecutableOffset(in bytes: [UInt8], from start: Int, to end: Int) -> Int? {
        bytes.withUnsafeBufferPointer { firstExecutableOffset(in: $0, from: start, to: end) }
    }

    private static func firstExecutableOffset(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var index = start
        while index < end {
            let byte = bytes[index]
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x0B:
                index += 1
            case UInt8(ascii: "-") where index + 1 < end && bytes[index + 1] == UInt8(ascii: "-"):
                while index < end && bytes[index] != 0x0A { index += 1 }
            case UInt8(ascii: "/") where index + 1 < end && bytes[index + 1] == UInt8(ascii: "*"):
                index += 2
                while index < end && !(bytes[index] == UInt8(ascii: "*") && index + 1 < end && bytes[index + 1] == UInt8(ascii: "/")) {
                    index += 1
                }
                index += 2
            default:
                return index
            }
        }
        return nil
    }
}
