import OTR

/// Runs decode's second half (`DecodeSession`: analysis and output) on a
/// thread of its own, fed in batches: reading the input on one core while
/// the other analyses and prints roughly halves the time of a large
/// capture. Without a second thread it runs the steps in place.
public final class DecodePipeline {
    /// A batch is sent once it holds this many steps or bytes; at most
    /// `queuedBatches` wait, which bounds memory whatever the input. Small
    /// enough that what is in flight between the threads stays in the
    /// processor's caches (1024 steps, about a megabyte, cost a tenth more
    /// processor time than 256 and a third more memory).
    public static let batchSteps = 256
    public static let batchBytes = 1 << 18
    public static let queuedBatches = 4

    private let session: DecodeSession
    private let queue = BatchQueue<DecodeStep>(capacity: DecodePipeline.queuedBatches)
    /// Batches the second half is done with come back to be freed here:
    /// memory freed by the thread that allocated it avoids contention on
    /// the allocator's locks.
    private let done = BatchQueue<DecodeStep>(capacity: Int.max)
    private var worker: WorkerThread? = nil
    // Touched per step by the reading thread alone (unchecked: see
    // DecodeReader).
    @exclusivity(unchecked) private var batch: [DecodeStep] = []
    @exclusivity(unchecked) private var batchSize = 0
    /// A batch come back, freed one step per step sent: freeing a whole
    /// batch at once overflows the allocator's per-thread cache into its
    /// slower bins, where the next batch's allocations then look; a step
    /// freed just before the next is made hands its memory straight on.
    @exclusivity(unchecked) private var retired: [DecodeStep] = []

    public init(_ session: DecodeSession) {
        self.session = session
        let (queue, done) = (self.queue, self.done)
        worker = WorkerThread {
            while let batch = queue.pop() {
                for step in batch { session.run(step) }
                done.push(batch)
            }
        }
        batch.reserveCapacity(Self.batchSteps)
    }

    public func send(_ step: DecodeStep, bytes: Int) {
        guard worker != nil else {
            session.run(step)
            return
        }
        if !retired.isEmpty { retired.removeLast() }
        batch.append(step)
        batchSize += bytes
        if batch.count >= Self.batchSteps || batchSize >= Self.batchBytes {
            queue.push(batch)
            batch = []
            batch.reserveCapacity(Self.batchSteps)
            batchSize = 0
            // What is left of the last batch returned goes now (a batch cut
            // short by its bytes holds fewer steps than its predecessor).
            retired = done.tryPop() ?? []
        }
    }

    /// Sends what is left and waits for the second half to finish.
    public func finish() {
        guard let worker else { return }
        if !batch.isEmpty { queue.push(batch) }
        batch = []
        queue.close()
        worker.join()
        self.worker = nil
        retired = []
        while done.tryPop() != nil {}
    }
}
