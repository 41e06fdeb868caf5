/// Measured prefill and decode latency of one model on one GPU type, from the Splitwise
/// performance model (Patel et al., "Splitwise: Efficient generative LLM inference using phase
/// splitting", ISCA 2024; data/perf_model.csv of the splitwise-sim repository, MIT, bundled).
///
/// Prefill time is taken as a function of the prompt tokens in the iteration (the measurements
/// show a batch of 8 × 512 tokens costs what one 4,096-token prompt does), interpolated linearly
/// between measured sizes and extrapolated beyond; decode time per iteration as a function of
/// the batch size (measured at 512-token prompts; growth with context length is not modelled).
public struct PerformanceModel: Sendable, Equatable {
    public var model: String
    public var hardware: String
    public var tensorParallel: Int
    /// (prompt tokens, milliseconds), ascending.
    public var prefill: [(Double, Double)]
    /// (batch size, milliseconds per decode iteration), ascending.
    public var decode: [(Double, Double)]
    /// Average power while serving, as a fraction of TDP.
    public var busyPowerFraction: Double

    public init(model: String, hardware: String, tensorParallel: Int, prefill: [(Double, Double)], decode: [(Double, Double)],
                busyPowerFraction: Double) {
        self.model = model
        self.hardware = hardware
        self.tensorParallel = tensorParallel
        self.prefill = prefill
        self.decode = decode
        self.busyPowerFraction = busyPowerFraction
    }

    public static func == (a: PerformanceModel, b: PerformanceModel) -> Bool {
        a.model == b.model && a.hardware == b.hardware && a.tensorParallel == b.tensorParallel
    }

    public func prefillMillis(_ tokens: Int64) -> Double { Self.interpolate(prefill, Double(max(tokens, 1))) }
    public func decodeMillis(batch: Int) -> Double { Self.interpolate(decode, Double(max(batch, 1))) }

    /// Piecewise-linear through the points, extended linearly past both ends.
    static func interpolate(_ points: [(Double, Double)], _ x: Double) -> Double {
        guard points.count > 1 else { return points.first?.1 ?? 0 }
        var i = 0
        while i < points.count - 2 && x > points[i + 1].0 { i += 1 }
        let (x0, y0) = points[i], (x1, y1) = points[i + 1]
        return max(0, y0 + (y1 - y0) * (x - x0) / (x1 - x0))
    }

    /// Every (model, hardware, tensor parallelism) in the bundled Splitwise data.
    public static func bundled() throws -> [PerformanceModel] {
        let bytes = try BundledResource.bytes("splitwise-perf-model.csv")
        let text = String(decoding: bytes, as: UTF8.self)
        var header: [String] = []
        var prefill: [String: [Double: [Double]]] = [:]
        var decode: [String: [Double: [Double]]] = [:]
        var power: [String: [Double]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ",").map(String.init)
            if header.isEmpty { header = fields; continue }
            let row = CSVHeader.dictionary(header: header, row: fields)
            guard let model = row["model"], let hardware = row["hardware"], let tp = row["tensor_parallel"],
                  let prompt = row["prompt_size"].flatMap(Double.init), let batch = row["batch_size"].flatMap(Double.init),
                  let prefillTime = row["prompt_time"].flatMap(Double.init), let tokenTime = row["token_time"].flatMap(Double.init) else { continue }
            let key = model + "|" + hardware + "|" + tp
            if batch == 1 { prefill[key, default: [:]][prompt, default: []].append(prefillTime) }
            if prompt == 512 { decode[key, default: [:]][batch, default: []].append(tokenTime) }
            if let average = row["average_power"].flatMap(Double.init) { power[key, default: []].append(average) }
        }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
        return prefill.keys.sorted().compactMap { key in
            let parts = key.split(separator: "|").map(String.init)
            guard let decodeTimes = decode[key], let tp = Int(parts[2]) else { return nil }
            return PerformanceModel(
                model: parts[0], hardware: parts[1], tensorParallel: tp,
                prefill: prefill[key]!.map { ($0.key, mean($0.value)) }.sorted { $0.0 < $1.0 },
                decode: decodeTimes.map { ($0.key, mean($0.value)) }.sorted { $0.0 < $1.0 },
                busyPowerFraction: mean(power[key] ?? [0.7]))
        }
    }
}
