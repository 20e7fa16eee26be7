import Foundation
import Glibc
import SluiceTestSupport

/// A real `AF_UNIX` datagram socket standing in for journald's
/// `/run/systemd/journal/socket`: bound to a path in a temporary directory, it receives
/// whole datagrams of any size together with the descriptors passed as `SCM_RIGHTS`.
final class JournalSocketReceiver {
    /// One datagram: its bytes and the descriptors that came with it (close-on-exec,
    /// owned by the test, which closes them).
    struct Datagram {
        let bytes: [UInt8]
        let descriptors: [Int32]
    }

    /// The socket's path, for `JournalSocket(path:)`.
    let path: String
    private let fd: Int32
    private let directory: TemporaryDirectory?

    /// Binds `journal.sock` in a fresh temporary directory.
    convenience init() throws {
        let directory = TemporaryDirectory(prefix: "sluice-journal")
        try self.init(path: directory.url("journal.sock"), directory: directory)
    }

    /// Binds `path`; the caller keeps the directory alive.
    init(path: String, directory: TemporaryDirectory? = nil) throws {
        self.path = path
        self.directory = directory
        fd = try BoundDatagramSocket.make(addressBytes: Array(path.utf8) + [0])
    }

    /// Closes the socket and removes its file, as a stopped journald would leave it.
    deinit {
        close(fd)
        unlink(path)
    }

    /// The next datagram, or `nil` when none arrives within `timeout` ms. Its length is
    /// peeked first (`MSG_PEEK | MSG_TRUNC`), so a datagram of several MiB is read whole.
    func receive(timeout: Int32 = 5000) -> Datagram? {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, timeout) == 1 else { return nil }
        var probe: UInt8 = 0
        let size = recv(fd, &probe, 1, Int32(MSG_PEEK) | Int32(MSG_TRUNC))
        guard size >= 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: size)
        // Room for several control messages; each descriptor is 4 bytes after a 16-byte
        // cmsghdr.
        var control = [UInt64](repeating: 0, count: 32)
        var received = 0
        var controlLength = 0
        var flags: Int32 = 0
        bytes.withUnsafeMutableBytes { payload in
            control.withUnsafeMutableBytes { controlBuffer in
                var vector = iovec(iov_base: payload.baseAddress, iov_len: payload.count)
                withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var message = msghdr()
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    message.msg_control = controlBuffer.baseAddress
                    message.msg_controllen = controlBuffer.count
                    received = recvmsg(fd, &message, Int32(MSG_CMSG_CLOEXEC))
                    controlLength = message.msg_controllen
                    flags = message.msg_flags
                }
            }
        }
        guard received == size, flags & Int32(MSG_TRUNC | MSG_CTRUNC) == 0 else { return nil }
        let descriptors = control.withUnsafeBytes { Self.rights(in: UnsafeRawBufferPointer(rebasing: $0[..<controlLength])) }
        return Datagram(bytes: bytes, descriptors: descriptors)
    }

    /// The descriptors in every `SOL_SOCKET`/`SCM_RIGHTS` control message, walked with
    /// glibc's `CMSG_NXTHDR` layout written out: a `cmsghdr`, the data, each padded to
    /// `size_t` alignment.
    private static func rights(in control: UnsafeRawBufferPointer) -> [Int32] {
        func aligned(_ length: Int) -> Int { (length + 7) & ~7 }
        let headerSize = aligned(MemoryLayout<cmsghdr>.size)
        var descriptors: [Int32] = []
        var offset = 0
        while offset + headerSize <= control.count {
            let header = control.loadUnaligned(fromByteOffset: offset, as: cmsghdr.self)
            let length = Int(header.cmsg_len)
            guard length >= headerSize, offset + length <= control.count else { break }
            if header.cmsg_level == SOL_SOCKET, header.cmsg_type == Int32(SCM_RIGHTS) {
                for index in 0 ..< (length - headerSize) / 4 {
                    descriptors.append(control.loadUnaligned(fromByteOffset: offset + headerSize + index * 4, as: Int32.self))
                }
            }
            offset += aligned(length)
        }
        return descriptors
    }
}
