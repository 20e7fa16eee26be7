/// Kernel values the journal's large-entry path needs that Swift's Glibc module does not
/// import (glibc defines them only under `_GNU_SOURCE`), written out from the kernel's
/// uapi headers. They are part of the kernel ABI and never change.
public enum LinuxConstants {
    /// `MFD_CLOEXEC` (`<linux/memfd.h>`, 0x0001): a child process never inherits the
    /// memory file.
    public static let memfdCloseOnExec: UInt32 = 0x0001
    /// `MFD_ALLOW_SEALING` (`<linux/memfd.h>`, 0x0002): without it `F_ADD_SEALS` fails,
    /// and journald accepts only a sealed memory file.
    public static let memfdAllowSealing: UInt32 = 0x0002
    /// `MFD_NOEXEC_SEAL` (`<linux/memfd.h>`, 0x0008, Linux 6.3): the file can never be
    /// made executable, which also adds the seal `F_SEAL_EXEC` (0x0020). Required when
    /// `vm.memfd_noexec` is 2; older kernels refuse the unknown flag with `EINVAL`.
    public static let memfdNoExecSeal: UInt32 = 0x0008

    /// `F_ADD_SEALS` (`<linux/fcntl.h>`, `F_LINUX_SPECIFIC_BASE` 1024 + 9).
    public static let addSeals: Int32 = 1033
    /// `F_GET_SEALS` (`<linux/fcntl.h>`, `F_LINUX_SPECIFIC_BASE` 1024 + 10).
    public static let getSeals: Int32 = 1034

    /// `F_SEAL_SEAL` (`<linux/fcntl.h>`, 0x0001): no further seals can be added or removed.
    public static let sealSeal: Int32 = 0x0001
    /// `F_SEAL_SHRINK` (`<linux/fcntl.h>`, 0x0002): the file cannot get smaller.
    public static let sealShrink: Int32 = 0x0002
    /// `F_SEAL_GROW` (`<linux/fcntl.h>`, 0x0004): the file cannot get larger.
    public static let sealGrow: Int32 = 0x0004
    /// `F_SEAL_WRITE` (`<linux/fcntl.h>`, 0x0008): the contents cannot change.
    public static let sealWrite: Int32 = 0x0008
}
