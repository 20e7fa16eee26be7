/// Turns swift-log metadata keys into journal field names that journald accepts
/// (systemd.journal-fields(7)): only `A-Z`, `0-9` and `_`, not starting with `_` (those
/// are trusted fields journald sets itself) or a digit, at most 64 characters.
/// journald silently drops fields with other names, so every key goes through here.
public enum JournalFieldName {
    /// The prefix of every metadata field: sluice's fields never clash with journald's
    /// well-known ones and are easy to list (`journalctl -o verbose | grep SLUICE_`).
    public static let metadataPrefix = "SLUICE_"

    /// The longest name journald accepts.
    public static let maximumLength = 64

    /// The field name for a metadata key: upper-cased, each other character (`.`, `-`,
    /// space, non-ASCII) replaced by `_`, prefixed `SLUICE_`. `revision.id` becomes
    /// `SLUICE_REVISION_ID`, `duration.ms` `SLUICE_DURATION_MS`.
    ///
    /// A name over 64 characters keeps its first 55 and ends in `_` and 8 upper-case
    /// hex digits of a hash of the whole key, so two long keys that share a beginning
    /// stay apart.
    public static func forMetadataKey(_ key: String) -> String {
        var name = metadataPrefix
        for scalar in key.unicodeScalars {
            switch scalar {
            case "A" ... "Z", "0" ... "9", "_": name.unicodeScalars.append(scalar)
            case "a" ... "z": name.unicodeScalars.append(Unicode.Scalar(scalar.value - 32)!)
            default: name.append("_")
            }
        }
        guard name.utf8.count > maximumLength else { return name }
        let hash = String(fnv1a(key), radix: 16, uppercase: true)
        let suffix = "_" + String(repeating: "0", count: 8 - hash.count) + hash
        return String(name.prefix(maximumLength - suffix.count)) + suffix
    }

    /// Whether journald accepts `name` as a field a client may send.
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= maximumLength,
              first != UInt8(ascii: "_"), !(UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "A") ... UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }

    /// 32-bit FNV-1a over the key's UTF-8: small, stable across runs and platforms
    /// (unlike `Hasher`), which matters because field names are queried later.
    private static func fnv1a(_ key: String) -> UInt32 {
        key.utf8.reduce(UInt32(2_166_136_261)) { hash, byte in (hash ^ UInt32(byte)) &* 16_777_619 }
    }
}
