import Statistics

/// A discrete-event simulation of N model servers with continuous (iteration-level) batching.
///
/// Requests arrive in trace order and join the server with the fewest requests in it; when every
/// server already has `maxQueue` requests waiting, the request spills over to the cloud API. A
/// server runs one iteration at a time: if requests are waiting and its batch has room, a prefill
/// iteration admits them (up to `maxBatch` running, time from the prompt tokens admitted), otherwise a
/// decode iteration gives every running request one more token (time from the batch size). A request
/// finishes when it has all its recorded output tokens. Events are ordered by (time, server), so runs
/// are deterministic.
public struct ServingSimulator: Sendable {
    struct Job {
        var arrival: Double
        var prompt: Int64
        var output: Int64
        var generated: Int64 = 0
        var firstToken: Double = 0
    }

    struct Server {
        var clock: Double = 0
        var busy: Double = 0
        /// Σ iteration time × requests in the iteration, for the batch fill.
        var occupied: Double = 0
        var waiting: [Job] = []
        var running: [Job] = []
        var load: Int { waiting.count + running.count }
    }

    public let model: PerformanceModel
    public let maxBatch: Int
    public let maxQueue: Int
    var servers: [Server]
    /// Latencies of finished requests, milliseconds: exact up to the sketch's limit, then bucketed (within 0.5%), so
    /// memory does not grow with the trace.
    public private(set) var latency: QuantileSketch
    public private(set) var timeToFirstToken: QuantileSketch
    /// False for simulators that only count (the `servers: auto` probes): no latency is kept.
    let keepsLatencies: Bool
    public private(set) var spilled = 0
    /// Requests spilled because they are longer than any served context.
    public private(set) var tooLong = 0
    static let longestPrompt: Int64 = 10_000_000
    static let longestOutput: Int64 = 1_000_000
    public private(set) var admitted = 0
    public private(set) var tokensServed: Int64 = 0
    var start: Double?
    var end: Double = 0

    /// `exactLatencies` is how many latencies are kept exactly before they are bucketed (lowered by tests).
    public init(model: PerformanceModel, servers: Int, maxBatch: Int, maxQueue: Int, keepsLatencies: Bool = true,
                exactLatencies: Int = QuantileSketch.defaultExactLimit) {
        self.model = model
        self.keepsLatencies = keepsLatencies
        latency = QuantileSketch(exactLimit: exactLatencies)
        timeToFirstToken = QuantileSketch(exactLimit: exactLatencies)
        self.maxBatch = maxBatch
        self.maxQueue = maxQueue
        self.servers = Array(repeating: Server(), count: max(1, servers))
    }

    /// Offers a request arriving at `time` (ms); false when it spills to the cloud.
    public mutating func offer(at time: Double, prompt: Int64, output: Int64) -> Bool {
        if start == nil { start = time }
        advance(to: time)
        // Decoding is simulated token by token: a request far beyond any served context (a corrupt or
        // hostile count) goes to the cloud instead of running for hours.
        guard prompt <= Self.longestPrompt, output <= Self.longestOutput else {
            spilled += 1
            tooLong += 1
            return false
        }
        let target = servers.indices.min { (servers[$0].load, $0) < (servers[$1].load, $1) }!
        guard servers[target].waiting.count < maxQueue else {
            spilled += 1
            return false
        }
        admitted += 1
        servers[target].waiting.append(Job(arrival: time, prompt: prompt, output: max(1, output)))
        if servers[target].clock < time { servers[target].clock = time }
        return true
    }

    /// Runs every server until all work is done.
    public mutating func drain() { advance(to: .infinity) }

    /// Runs each server's iterations that start before `time`.
    mutating func advance(to time: Double) {
        for index in servers.indices {
            while servers[index].load > 0 && servers[index].clock < time { iterate(index) }
            if servers[index].load == 0 && servers[index].clock < time && time.isFinite { servers[index].clock = time }
        }
    }

    mutating func iterate(_ index: Int) {
        // Moved out rather than copied, so its arrays stay uniquely referenced and change in place.
        var server = Server()
        swap(&server, &servers[index])
        defer { swap(&server, &servers[index]) }
        let room = maxBatch - server.running.count
        if room > 0 && !server.waiting.isEmpty {
            let admitted = min(room, server.waiting.count)
            let prompt = server.waiting[..<admitted].reduce(0) { $0 + $1.prompt }
            let duration = model.prefillMillis(prompt)
            server.clock += duration
            server.busy += duration
            server.occupied += duration * Double(admitted + server.running.count)
            for var job in server.waiting[..<admitted] {
                // Prefill produces the first token.
                job.generated = 1
                job.firstToken = server.clock
                server.running.append(job)
            }
            server.waiting.removeFirst(admitted)
        } else {
            let duration = model.decodeMillis(batch: server.running.count)
            server.clock += duration
            server.busy += duration
            server.occupied += duration * Double(server.running.count)
            for i in server.running.indices { server.running[i].generated += 1 }
        }
        var kept = 0
        for i in server.running.indices {
            let job = server.running[i]
            if job.generated >= job.output {
                if keepsLatencies {
                    latency.add(server.clock - job.arrival)
                    timeToFirstToken.add(job.firstToken - job.arrival)
                }
                tokensServed += job.prompt + job.output
                end = max(end, server.clock)
            } else {
                server.running[kept] = job
                kept += 1
            }
        }
        server.running.removeLast(server.running.count - kept)
    }

    /// Share of the span the servers were running an iteration (with continuous batching a server
    /// is busy whenever it holds one request, so this is near 1 under any steady load).
    public var busyShare: Double {
        guard let start, end > start else { return 0 }
        return servers.reduce(0) { $0 + $1.busy } / (Double(servers.count) * (end - start))
    }

    /// Utilisation as the time-averaged batch fill: requests in flight over `maxBatch`.
    public var utilisation: Double {
        guard let start, end > start else { return 0 }
        return servers.reduce(0) { $0 + $1.occupied } / (Double(servers.count) * Double(maxBatch) * (end - start))
    }

    public var spanMillis: Double { (start.map { end - $0 }) ?? 0 }
    public var serverCount: Int { servers.count }
}
