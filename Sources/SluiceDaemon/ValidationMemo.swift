import FoundationEssentials
import Glibc
import SluiceCore
import SluiceOS

/// The revisions that passed their rehearsal, kept on disk beside the database
/// (`<database>.sluice-memo`), so that a restarted daemon does not rehearse thousands
/// of pending revisions again when nothing they were judged on has changed.
///
/// Remembered passes are used only on the same basis: the same sluice build (its
/// rules), the same database path, the same schema (`SchemaFingerprint`: every
/// `sqlite_schema` row and `user_version`), the same version rows and the same settings
/// that judge a revision; and only when the pending revisions are exactly the
/// remembered ones (same ids and checksums, so the same file bytes and ancestry, in the
/// same order). Anything else rehearses everything, as a first start does. Only passes
/// are kept: a failure may have come from the rows or the machine, and is tried again
/// after a restart.
///
/// The file is a cache and is never trusted: one whose first line (the SHA-256 of the
/// JSON that follows) does not match, that does not decode, that another user owns or
/// others may write, that is a symlink, or that was written for another basis is
/// ignored, and replaced at the next save. Rows are not part of the basis: a pass is
/// advice about the data, as every rehearsal is; the apply itself is transactional.
struct ValidationMemo {
    /// What the remembered verdicts rest on.
    struct Basis: Codable, Equatable {
        /// The sluice build that judged them (`0.1.0 (commit)`).
        var sluice: String
        var database: String
        /// `SchemaFingerprint` of the database, or `absent`.
        var schema: String
        /// The version rows.
        var current: [String]
        /// The settings a verdict depends on (version table, policy, rehearsal size limit).
        var settings: String
    }

    /// One revision that passed, with the times the window estimate uses.
    struct Pass: Codable, Equatable {
        var id: String
        var checksum: String
        var upgradeMilliseconds: Int
        var totalMilliseconds: Int
    }

    /// Why a memo on disk was not used.
    enum Refusal: Error, Equatable, CustomStringConvertible {
        case unreadable(String)
        case untrusted(String)
        case corrupt(String)
        case otherBasis

        var description: String {
            switch self {
            case .unreadable(let reason): "cannot be read: \(reason)"
            case .untrusted(let reason): "is not trusted: \(reason)"
            case .corrupt(let reason): "is corrupt: \(reason)"
            case .otherBasis: "was written for another build, schema, version rows or settings"
            }
        }
    }

    /// What an evaluation did with the file, for the log.
    enum Report: Equatable {
        /// Its passes answered every pending revision: none was rehearsed.
        case used(revisions: Int)
        /// It was there but not used; everything pending is rehearsed.
        case ignored(Refusal)
        /// The passes could not be written (the daemon goes on without).
        case notSaved(String)
    }

    /// The file's body: the basis and the passes. The file is its digest
    /// (`sha256:…`) on the first line, then this as JSON.
    private struct Document: Codable {
        var format: Int
        var basis: Basis
        var passes: [Pass]
    }

    /// The version of the file's form this build writes and reads.
    static let format = 1

    /// The sidecar path for a database.
    static func path(forDatabase database: String) -> String { database + ".sluice-memo" }

    let path: String

    init(database: String) { path = Self.path(forDatabase: database) }

    /// The remembered passes for `basis`, or why there are none to use (`nil`: no file).
    func load(for basis: Basis) -> Result<[Pass], Refusal>? {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(path, .readOnly, options: [.closeOnExec, .noFollow])
        } catch let error as Errno where error == .noSuchFileOrDirectory {
            return nil
        } catch {
            return .failure(.unreadable("\(error)"))
        }
        defer { try? descriptor.close() }
        var info = stat()
        guard fstat(descriptor.rawValue, &info) == 0 else { return .failure(.unreadable("\(Errno.last)")) }
        if info.st_uid != geteuid() { return .failure(.untrusted("owned by uid \(info.st_uid), not this process's \(geteuid())")) }
        if info.st_mode & 0o022 != 0 { return .failure(.untrusted("writable by others (mode \(String(info.st_mode & 0o777, radix: 8)))")) }
        guard let bytes = Syscalls.readToEnd(descriptor.rawValue) else { return .failure(.unreadable("\(Errno.last)")) }
        guard let newline = bytes.firstIndex(of: 0x0A) else { return .failure(.corrupt("no digest line")) }
        let body = bytes[(newline + 1)...]
        guard Checksum.of(normalized: body) == String(decoding: bytes[..<newline], as: UTF8.self) else {
            return .failure(.corrupt("the digest does not match the contents"))
        }
        let document: Document
        do { document = try JSONDecoder().decode(Document.self, from: Data(body)) } catch {
            return .failure(.corrupt("\(error)"))
        }
        guard document.format == Self.format, document.basis == basis else { return .failure(.otherBasis) }
        return .success(document.passes)
    }

    /// Replaces the file with `passes` on `basis` (mode 0600). Not synced: a file torn by
    /// a power cut fails its digest and is ignored.
    func save(_ passes: [Pass], basis: Basis) throws {
        let body = Array(try JSONEncoder().encode(Document(format: Self.format, basis: basis, passes: passes)))
        try AtomicFile.write(Array(Checksum.of(normalized: body).utf8) + [0x0A] + body, to: path, mode: 0o600, hidden: true, durable: false)
    }
}
