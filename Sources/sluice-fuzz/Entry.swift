#if SLUICE_FUZZ
/// libFuzzer's entry point (built with `-sanitize=fuzzer`; see fuzz/run.sh).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzTargets.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
import Foundation

/// Without the fuzzer: replays files (seeds, crashers) through the same targets, so the
/// regression corpus runs in `swift test`.
@main
enum Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            FuzzTargets.run(Array(data))
        }
    }
}
#endif
