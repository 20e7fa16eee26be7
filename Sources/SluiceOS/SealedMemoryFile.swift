import Glibc

/// An anonymous memory file holding a journal entry too large for one datagram, sealed
/// against any change before its descriptor is passed to journald: journald maps a
/// sealed memory file directly, and refuses an unsealed one from an unprivileged sender
/// (it could change under the reader).
public enum SealedMemoryFile {
    /// The name `/proc/<pid>/fd` shows (`/memfd:sluice-journal-entry`), so an operator
    /// who sees one knows whose it is.
    public static let name = "sluice-journal-entry"

    /// Every seal journald checks for: the file can no longer shrink, grow or be
    /// written, and the seals themselves are final.
    public static let seals = LinuxConstants.sealShrink | LinuxConstants.sealGrow | LinuxConstants.sealWrite | LinuxConstants.sealSeal

    /// A new memory file holding exactly `bytes`, sealed; the caller closes the
    /// descriptor once it has been sent. On failure nothing is left open.
    public static func create(holding bytes: [UInt8]) -> Result<Int32, Errno> {
        open().flatMap { fd in
            let filled = write(bytes, to: fd).flatMap { Syscalls.addSeals(fd, seals) }
            if case .failure(let error) = filled {
                Syscalls.close(fd)
                return .failure(error)
            }
            return .success(fd)
        }
    }

    /// `memfd_create` with close-on-exec and sealing allowed. `MFD_NOEXEC_SEAL` is
    /// added only when the kernel insists (`vm.memfd_noexec=2` refuses a memory file
    /// without it: `EACCES`).
    ///
    /// - Important: `MFD_NOEXEC_SEAL` also sets a fifth seal, `F_SEAL_EXEC`, and journald
    ///   before systemd 254 (Debian 12 has 252) counts a memory file as sealed only when
    ///   its seals are exactly the four in `seals`. With the fifth it takes the file for
    ///   an unsealed one and drops a non-root sender's entry ("Received file outside of
    ///   allowed directories") after `sendmsg` has succeeded, so sluice cannot tell.
    ///   The flag is therefore not asked for by default, as libsystemd 252 did not
    ///   either; some kernels from 6.3 on log a notice about such a memory file.
    private static func open() -> Result<Int32, Errno> {
        let flags = LinuxConstants.memfdCloseOnExec | LinuxConstants.memfdAllowSealing
        switch Syscalls.memoryFile(named: name, flags: flags) {
        case .failure(let error) where error == .permissionDenied:
            return Syscalls.memoryFile(named: name, flags: flags | LinuxConstants.memfdNoExecSeal)
        case let outcome:
            return outcome
        }
    }

    /// Writes all of `bytes`, looping over short writes; a write that makes no progress
    /// is `EIO` rather than an endless loop.
    private static func write(_ bytes: [UInt8], to fd: Int32) -> Result<Void, Errno> {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                switch Syscalls.write(fd, UnsafeRawBufferPointer(rebasing: buffer[offset...])) {
                case .success(let written) where written > 0: offset += written
                case .success: return .failure(Errno.ioError)
                case .failure(let error): return .failure(error)
                }
            }
            return .success(())
        }
    }
}
