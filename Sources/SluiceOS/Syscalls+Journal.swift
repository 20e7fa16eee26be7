import CLinux
import Glibc

/// The system calls of journald's native protocol (`JournalSocket`), wrapped like the
/// rest of `Syscalls`: `EINTR` retried, failures as `Errno`.
extension Syscalls {
    /// `getsockopt(2)` of one `int` option at `SOL_SOCKET`, such as `SO_SNDBUF`: read
    /// before raising the send buffer, so a larger one is never lowered.
    public static func socketOption(_ fd: Int32, _ option: Int32) -> Result<Int32, Errno> {
        var value: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        return retrying { getsockopt(fd, SOL_SOCKET, option, &value, &size) }.map { _ in value }
    }

    /// `setsockopt(2)` of one `int` option at `SOL_SOCKET`, such as `SO_SNDBUFFORCE`.
    public static func setSocketOption(_ fd: Int32, _ option: Int32, _ value: Int32) -> Result<Void, Errno> {
        var value = value
        return retrying { setsockopt(fd, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<Int32>.size)) }.map { _ in () }
    }

    /// `sendmsg(2)` with `MSG_NOSIGNAL`: `payload` as one datagram to an `AF_UNIX`
    /// address of exactly `length` bytes, with `descriptor` passed along as
    /// `SCM_RIGHTS` when given. Blocks while the receiver's queue is full, as
    /// libsystemd's journal calls do, and never raises `SIGPIPE`.
    public static func sendMessage(
        _ fd: Int32, _ payload: UnsafeRawBufferPointer, to address: sockaddr_un, length: socklen_t, passing descriptor: Int32? = nil
    ) -> Result<Int, Errno> {
        var address = address
        // sendmsg(2) only reads the payload; iovec merely has no const pointer.
        var vector = iovec(iov_base: UnsafeMutableRawPointer(mutating: payload.baseAddress), iov_len: payload.count)
        return withUnsafeMutablePointer(to: &address) { addressPointer in
            withUnsafeMutablePointer(to: &vector) { vectorPointer in
                RightsControlMessage.withBuffer(passing: descriptor) { control in
                    var message = msghdr()
                    message.msg_name = UnsafeMutableRawPointer(addressPointer)
                    message.msg_namelen = length
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    message.msg_control = control.baseAddress
                    message.msg_controllen = control.count
                    return retrying { sendmsg(fd, &message, Int32(MSG_NOSIGNAL)) }
                }
            }
        }
    }

    /// `memfd_create(2)`: an anonymous file in memory, for an entry too large for one
    /// datagram. `flags` are `LinuxConstants.memfd…` values.
    public static func memoryFile(named name: String, flags: UInt32) -> Result<Int32, Errno> {
        retrying { sluice_memfd_create(name, flags) }
    }

    /// `fcntl(2)` with `F_ADD_SEALS`: `seals` (`LinuxConstants.seal…`) are added to a
    /// memory file created with `MFD_ALLOW_SEALING`, so its reader can trust its contents.
    public static func addSeals(_ fd: Int32, _ seals: Int32) -> Result<Void, Errno> {
        retrying { fcntl(fd, LinuxConstants.addSeals, seals) }.map { _ in () }
    }
}
