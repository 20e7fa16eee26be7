import Glibc
import SluiceCore
import SluiceOS
import Synchronization

/// Serialises log lines from all threads: one lock for the whole process, so two
/// lines never interleave, and one `write(2)` per line (more only after a short write).
private let lineWriterLock = Mutex<Void>(())

/// Writes whole log lines to a file descriptor, for the JSON and text handlers and
/// the journal handler's fallback.
enum LineWriter {
    /// Writes `line` and a newline with one `write(2)`, looping only over a short
    /// write, and waiting up to a second when a non-blocking descriptor says `EAGAIN`.
    ///
    /// A log line that cannot be written is dropped: logging must never stop the
    /// daemon. The error is returned for tests.
    @discardableResult
    static func write(_ line: String, to fd: Int32) -> Result<Void, Errno> {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        return lineWriterLock.withLock { _ in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let rest = UnsafeRawBufferPointer(rebasing: buffer[offset...])
                    switch Syscalls.write(fd, rest) {
                    case .success(let written):
                        offset += written
                    case .failure(let error) where error.rawValue == EAGAIN || error.rawValue == EWOULDBLOCK:
                        guard case .success(true) = Syscalls.waitWritable(fd, timeout: 1000) else { return .failure(error) }
                    case .failure(let error):
                        return .failure(error)
                    }
                }
                return .success(())
            }
        }
    }
}
