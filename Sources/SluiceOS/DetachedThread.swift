import Glibc

/// A named operating-system thread for work that blocks in a system call for a long time
/// (`poll` on inotify, `flock` on the serve lock), so that it never occupies one of the
/// few threads Swift concurrency runs tasks on.
public enum DetachedThread {
    /// Starts `body` on a new detached thread named `name` (at most 15 bytes show in
    /// `ps -L` and `top`). `body` is `sending`: what it captures moves to the new thread
    /// and is the thread's alone. Crashes if the system cannot create a thread at all,
    /// which leaves the process unable to work anyway.
    public static func start(name: String, _ body: sending @escaping () -> Void) {
        let context = Unmanaged.passRetained(Body(name: name, body: body)).toOpaque()
        let result = spawn(context)
        precondition(result == 0, "cannot start thread \(name): \(SystemErrorText.message(result))")
    }

    /// `pthread_create` of a detached thread that runs the retained `Body` at `context`.
    private static func spawn(_ context: UnsafeMutableRawPointer) -> Int32 {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, detachedThreadEntry, context)
        pthread_attr_destroy(&attributes)
        return result
    }

    /// Writes `name` to `/proc/thread-self/comm`, what `pthread_setname_np` does on Linux
    /// (which Swift's Glibc module does not export).
    fileprivate static func nameCurrentThread(_ name: String) {
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// What the new thread runs; handed over through `pthread_create`'s context pointer.
    fileprivate final class Body {
        let name: String
        let body: () -> Void
        init(name: String, body: @escaping () -> Void) {
            self.name = name
            self.body = body
        }
    }
}

/// The thread's C entry point: takes back the retained body, names the thread, runs it.
private func detachedThreadEntry(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let body = Unmanaged<DetachedThread.Body>.fromOpaque(context!).takeRetainedValue()
    DetachedThread.nameCurrentThread(body.name)
    body.body()
    return nil
}
