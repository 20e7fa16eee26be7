import Glibc

/// The ancillary data of a `sendmsg(2)` that passes one file descriptor (`SCM_RIGHTS`),
/// laid out by hand because Swift does not import glibc's `CMSG_*` macros: a `cmsghdr`
/// padded to `size_t` alignment, then the descriptor, the whole padded again
/// (`<bits/socket.h>`: `CMSG_ALIGN`, `CMSG_LEN`, `CMSG_SPACE`).
public enum RightsControlMessage {
    /// `CMSG_ALIGN(length)`: rounded up to a multiple of `sizeof(size_t)`.
    public static func aligned(_ length: Int) -> Int {
        let unit = MemoryLayout<Int>.size
        return (length + unit - 1) & ~(unit - 1)
    }

    /// `CMSG_LEN(sizeof(int))`: the header and one descriptor, the value of `cmsg_len`.
    public static var length: Int { aligned(MemoryLayout<cmsghdr>.size) + MemoryLayout<Int32>.size }

    /// `CMSG_SPACE(sizeof(int))`: the buffer size, the value of `msg_controllen`.
    public static var space: Int { aligned(MemoryLayout<cmsghdr>.size) + aligned(MemoryLayout<Int32>.size) }

    /// Runs `body` with the control buffer that passes `descriptor`, or with an empty
    /// buffer when there is none. The buffer lives only for the call, which is all
    /// `sendmsg(2)` needs.
    public static func withBuffer<T>(passing descriptor: Int32?, _ body: (UnsafeMutableRawBufferPointer) -> T) -> T {
        guard let descriptor else { return body(UnsafeMutableRawBufferPointer(start: nil, count: 0)) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: space, alignment: MemoryLayout<cmsghdr>.alignment)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        var header = cmsghdr()
        header.cmsg_len = length
        header.cmsg_level = SOL_SOCKET
        header.cmsg_type = Int32(SCM_RIGHTS)
        buffer.storeBytes(of: header, as: cmsghdr.self)
        buffer.storeBytes(of: descriptor, toByteOffset: aligned(MemoryLayout<cmsghdr>.size), as: Int32.self)
        return body(buffer)
    }
}
