/// The states of the SMP state machine (spec "Expected Message") with the
/// values each keeps "for use later in the protocol". Alice starts SMP and
/// Bob responds, as in the spec; either party can be either.
enum SMPState {
    /// SMPSTATE_EXPECT1: no exchange, or Bob holds a verified message 1
    /// until his user gives the secret.
    case expect1(pendingMessage1: SMPMessage1?)
    /// SMPSTATE_EXPECT2: Alice sent message 1.
    case expect2(AliceAwaitingMessage2)
    /// SMPSTATE_EXPECT3: Bob sent message 2.
    case expect3(BobAwaitingMessage3)
    /// SMPSTATE_EXPECT4: Alice sent message 3.
    case expect4(AliceAwaitingMessage4)

    static let initial = SMPState.expect1(pendingMessage1: nil)

    /// Spec: "Store the values of x, a2 and a3".
    struct AliceAwaitingMessage2 {
        var x: MPI
        var a2: MPI
        var a3: MPI
    }

    /// Spec: "Store the values of g3a, g2, g3, b3, Pb and Qb".
    struct BobAwaitingMessage3 {
        var g3a: MPI
        var g2: MPI
        var g3: MPI
        var b3: MPI
        var Pb: MPI
        var Qb: MPI
    }

    /// Spec: "Store the values of g3b, (Pa / Pb), (Qa / Qb) and a3".
    struct AliceAwaitingMessage4 {
        var g3b: MPI
        var PaOverPb: MPI
        var QaOverQb: MPI
        var a3: MPI
    }
}
