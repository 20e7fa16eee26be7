import SluiceConfig
import SluiceSQLite

extension BackupSettings {
    /// The configured bounds as the copier takes them, for the daemon and the command line
    /// alike, so a backup or a rehearsal copy gets in the application's way no more from
    /// one than from the other.
    public var copyLimits: CopyLimits {
        CopyLimits(maxRate: maxRate, maxStall: maxStall, overStall: onLongStall == .wait ? .wait : .hold)
    }
}
