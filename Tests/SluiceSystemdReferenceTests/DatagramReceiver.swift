import Glibc
import SluiceTestSupport

/// A bound `AF_UNIX` datagram socket that receives whole datagrams with the descriptors
/// passed along (`SCM_RIGHTS`): what systemd receives, so sluice's datagrams and
/// libsystemd's can be compared byte for byte, descriptors included.
final class DatagramReceiver {
    /// One datagram: its bytes and the descriptors that came with it.
    struct Datagram: Equatable {
        var payload: [UInt8]
        var descriptors: [Int32]
    }

    let fd: Int32

    /// Binds `addressBytes` (a path with its NUL, or a NUL and an abstract name), with a
    /// receive buffer large enough for any entry the tests send in one datagram.
    init(addressBytes: [UInt8]) throws {
        fd = try BoundDatagramSocket.make(addressBytes: addressBytes)
        var size: Int32 = 64 * 1024 * 1024
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    /// The next datagram, or `nil` when none comes within `timeout` milliseconds.
    func receive(timeout: Int32 = 5000) -> Datagram? {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, timeout) == 1 else { return nil }
        var size: Int32 = 0
        guard ioctl(fd, UInt(FIONREAD), &size) == 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: max(Int(size), 1))
        var control = [UInt8](repeating: 0, count: 256)
        let received = buffer.withUnsafeMutableBytes { bytes in
            control.withUnsafeMutableBytes { controlBytes -> (Int, [Int32]) in
                var vector = iovec(iov_base: bytes.baseAddress, iov_len: bytes.count)
                var message = msghdr()
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    message.msg_control = controlBytes.baseAddress
                    message.msg_controllen = controlBytes.count
                    let count = recvmsg(fd, &message, Int32(MSG_CMSG_CLOEXEC))
                    var descriptors: [Int32] = []
                    var header = message.msg_controllen >= MemoryLayout<cmsghdr>.size
                        ? controlBytes.baseAddress!.assumingMemoryBound(to: cmsghdr.self) : nil
                    while let current = header {
                        if current.pointee.cmsg_level == SOL_SOCKET && current.pointee.cmsg_type == Int32(SCM_RIGHTS) {
                            let dataLength = Int(current.pointee.cmsg_len) - MemoryLayout<cmsghdr>.size
                            let data = UnsafeRawPointer(current).advanced(by: MemoryLayout<cmsghdr>.size)
                            for index in 0..<(dataLength / 4) { descriptors.append(data.load(fromByteOffset: index * 4, as: Int32.self)) }
                        }
                        let next = UnsafeRawPointer(current).advanced(by: (Int(current.pointee.cmsg_len) + 7) & ~7)
                        header = next < controlBytes.baseAddress! + message.msg_controllen ? UnsafeMutableRawPointer(mutating: next).assumingMemoryBound(to: cmsghdr.self) : nil
                    }
                    return (count, descriptors)
                }
            }
        }
        guard received.0 >= 0 else { return nil }
        return Datagram(payload: Array(buffer[..<received.0]), descriptors: received.1)
    }

    /// The whole content of a received memory file, and its seals.
    static func contents(of descriptor: Int32) -> (bytes: [UInt8], seals: Int32) {
        var status = stat()
        fstat(descriptor, &status)
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var done = 0
        while done < bytes.count {
            let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, $0.count - done, off_t(done)) }
            guard got > 0 else { break }
            done += got
        }
        return (bytes, fcntl(descriptor, 1034))  // F_GET_SEALS, which Glibc's module does not export
    }
}
