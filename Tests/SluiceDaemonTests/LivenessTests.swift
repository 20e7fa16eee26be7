import Foundation
@testable import SluiceDaemon
import SluiceSystemd
import Testing

/// What SQLite's progress hook is told once a stop begins: rehearsals stop at once,
/// applies only after the stop timeout. The fleet daemon rehearses on one thread while
/// members migrate on others, so the answer must depend on the statement's own task,
/// not on what another thread happens to run at the moment.
@Suite("Liveness: what a stop interrupts")
struct LivenessTests {
    @Test("Should interrupt a rehearsal at once, and an apply running beside one only after the stop timeout")
    func rehearsalsAloneStopAtOnce() throws {
        let liveness = Liveness(notifier: RecordingNotifier(), pingInterval: nil)
        liveness.markReady()
        #expect(!liveness.evaluating { liveness.statementIsAlive() }, "nothing is interrupted before a stop")
        liveness.beginStopping()
        #expect(liveness.evaluating { liveness.statementIsAlive() })
        #expect(!liveness.statementIsAlive())

        // A rehearsal runs on another thread (and stays there) while this thread applies.
        let inside = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let rehearsal = Thread {
            liveness.evaluating {
                inside.signal()
                release.wait()
            }
        }
        rehearsal.start()
        inside.wait()
        #expect(!liveness.statementIsAlive(), "an apply is not cut short because a rehearsal runs elsewhere")
        release.signal()

        liveness.interruptApply()
        #expect(liveness.statementIsAlive(), "past the stop timeout, applies are interrupted too")
    }
}
