/// One part of a (possibly dotted) key, with where it was written, so that an error about
/// that part (a duplicate, a redefinition) points at it.
struct TOMLKey: Equatable {
    /// The key's text, with quotes removed and escapes resolved.
    let name: String
    /// The byte offset of the key's first character in the document.
    let offset: Int

    /// The key as a document would write it: bare when it can be, quoted otherwise.
    var written: String {
        if !name.isEmpty, name.utf8.allSatisfy(\.isBareKeyCharacter) { return name }
        var quoted = "\""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    quoted += "\\u" + UInt8(scalar.value).controlName.dropFirst(2)
                } else {
                    quoted.unicodeScalars.append(scalar)
                }
            }
        }
        return quoted + "\""
    }
}

extension Array where Element == TOMLKey {
    /// The dotted path as a document would write it (`a.b."c d"`), for messages.
    var written: String { map(\.written).joined(separator: ".") }
}

extension Array where Element == TOMLKey {
    /// The path in quotes for a message (`"log.level"`), or as written when it already
    /// holds a quoted part (`a."b c"`), so the message never doubles the quotes.
    var quoted: String {
        let text = written
        return text.contains("\"") ? text : "\"\(text)\""
    }
}
