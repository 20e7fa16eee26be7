#if SLUICE_FUZZ
/// libFuzzer's driver, from the runtime `-sanitize=fuzzer` links in.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// libFuzzer's callback, for when the runtime's own `main` is the one linked in.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzTargets.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// The executable's entry point under the fuzzer (SwiftPM renames `main` to this): hand
/// control to libFuzzer with the fuzz targets as its callback (see fuzz/run.sh).
@_cdecl("sluice_fuzz_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        guard let data else { return 0 }
        FuzzTargets.run(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
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
            FuzzTargets.replay(Array(data))
        }
    }
}
#endif
