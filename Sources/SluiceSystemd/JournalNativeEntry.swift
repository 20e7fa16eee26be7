import Glibc
import SluiceCore
import SluiceOS

/// One journal entry in journald's native protocol (systemd.io/JOURNAL_NATIVE_PROTOCOL),
/// the bytes `JournalSocket` sends: pure, so the exact wire format is tested without a
/// socket.
///
/// Each field is `NAME=value` and a newline when the value has no newline. A value with
/// a newline (a multi-line error text, say) cannot be written that way, so the field is
/// `NAME`, a newline, the value's length as a little-endian 64-bit integer, the value's
/// bytes and a newline; journald reads any value, even binary, in that form.
enum JournalNativeEntry {
    /// The entry's bytes, or `EINVAL` when there are no fields or a name journald would
    /// not accept (`JournalFieldName.isValid(_:)`), as `sd_journal_sendv` answers.
    /// Refusing such an entry, rather than letting journald drop the field silently,
    /// sends the record to the JSON fallback whole.
    static func encode(_ fields: [JournalField]) -> Result<[UInt8], Errno> {
        guard !fields.isEmpty else { return .failure(Errno(rawValue: EINVAL)) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 10 })
        for field in fields {
            guard JournalFieldName.isValid(field.name) else { return .failure(Errno(rawValue: EINVAL)) }
            append(field, to: &bytes)
        }
        return .success(bytes)
    }

    /// Appends one field in whichever of the two forms its value needs.
    private static func append(_ field: JournalField, to bytes: inout [UInt8]) {
        let newline = UInt8(ascii: "\n")
        bytes.append(contentsOf: field.name.utf8)
        if field.value.utf8.contains(newline) {
            bytes.append(newline)
            withUnsafeBytes(of: UInt64(field.value.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
        } else {
            bytes.append(UInt8(ascii: "="))
        }
        bytes.append(contentsOf: field.value.utf8)
        bytes.append(newline)
    }
}
