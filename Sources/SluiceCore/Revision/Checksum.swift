/// The checksum recorded for every applied revision.
///
/// `sha256:` names the algorithm so that it can change later without breaking stored
/// checksums; the text is normalized first (leading byte-order mark removed, CRLF turned
/// into LF) so that a checkout on another platform does not look like an edit.
public enum Checksum {
    /// The prefix of checksums computed by this version.
    public static let prefix = "sha256:"

    /// Computes the checksum of already-normalized bytes.
    public static func of(normalized bytes: some Collection<UInt8>) -> String {
        text(of: SHA256Digest.hash(bytes))
    }

    /// `sha256:` and the digest's 64 hex digits: the form every sluice digest is shown in.
    public static func text(of digest: [UInt8]) -> String {
        // Built as bytes: appending `Character`s to a String costs more than the hash
        // of a small revision file.
        var hex = Array(prefix.utf8)
        hex.reserveCapacity(hex.count + 2 * digest.count)
        for byte in digest {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Removes a leading UTF-8 byte-order mark and turns every CRLF into LF.
    public static func normalize(_ bytes: [UInt8]) -> [UInt8] {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count - start)
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                index += 1
                continue
            }
            out.append(byte)
            index += 1
        }
        return out
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
