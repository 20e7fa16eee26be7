import SluiceCore
import SluiceOS
/// An inotify descriptor and the pipe that wakes its thread to stop, opened and closed
/// together: what every watcher owns.
final class InotifyChannel: Sendable {
    /// The inotify descriptor (non-blocking, close-on-exec).
    let inotifyFD: Int32
    /// The read end of the wake-up pipe, polled beside `inotifyFD`.
    let wakeFD: Int32
    private let wakeWriteFD: Int32

    /// Opens both.
    /// - Throws: `Errno` when either cannot be opened (nothing is left open then).
    init() throws(Errno) {
        inotifyFD = try Syscalls.inotifyInit().get()
        do {
            (wakeFD, wakeWriteFD) = try Syscalls.pipe().get()
        } catch {
            Syscalls.close(inotifyFD)
            throw error
        }
    }

    deinit {
        Syscalls.close(inotifyFD)
        Syscalls.close(wakeFD)
        Syscalls.close(wakeWriteFD)
    }

    /// Wakes the thread polling `wakeFD`, which then ends.
    func wake() { Syscalls.signal(pipe: wakeWriteFD) }
}
