import Statistics

extension TraceSynthesizer {
    func makeRecord(index: Int, plan: Plan, planIndex: Int, turn: Int, time: Int64, messages: inout [MessageInfo],
                    random: RandomSource) -> TraceRecord {
        let feature = features[plan.feature]
        let (model, provider, _) = feature.models[plan.model]
        var r = TraceRecord(id: "syn-\(options.seed)-\(String(index, radix: 36))")
        r.startMicros = time
        r.model = model
        r.provider = provider
        r.operation = feature.operation
        r.userID = "user-\(plan.user)"
        r.tenantID = "tenant-\(plan.tenant)"
        r.tags = ["feature:\(feature.name)"] + (feature.asyncEligible ? ["async"] : [])
        if feature.multiTurn { r.sessionID = "s-\(options.seed)-\(planIndex)" }
        r.traceID = r.sessionID ?? r.id

        // The user's message: a popular question (exact or paraphrased) on the first turn, else fresh.
        var question: String
        var responseSeed: Int
        if let popular = plan.popular, turn == 0 {
            let base = PromptText.question(popular * 7 + plan.feature)
            question = plan.paraphrase ? PromptText.paraphrase(base, variant: planIndex) : base
            responseSeed = popular * 31 + plan.feature
        } else {
            question = PromptText.question(random.integer(below: 800)) + " " + PromptText.filler(words: 6, random: random)
            responseSeed = -1
        }
        if messages.isEmpty {
            messages.append(MessageInfo(role: "system", tokens: Int64(feature.systemTokens), hash: StableHash.hex("system:\(feature.name)")))
        }
        var userTokens = Normalise.estimateTokens(question)
        if feature.name == "rag-qa" || feature.name == "summarize" || feature.name == "extract" || feature.name == "code" {
            userTokens += tokens(median: feature.inputMedian, sigma: feature.inputSigma, random)
        } else if responseSeed < 0 {
            userTokens += tokens(median: feature.inputMedian, sigma: feature.inputSigma, random)
        }
        messages.append(MessageInfo(role: "user", tokens: userTokens, hash: StableHash.hex(question)))
        let input = messages.reduce(Int64(0)) { $0 + $1.tokens }
        let visible = tokens(median: feature.outputMedian, sigma: feature.outputSigma, random, cap: 16_000)
        let reasoning = feature.reasoningMedian > 0 && model.hasPrefix("o")
            ? tokens(median: feature.reasoningMedian, sigma: 0.9, random, cap: 60_000) : 0
        r.usage = TokenUsage(input: input, output: visible + reasoning, reasoning: reasoning)
        if !options.compact { r.messages = messages }
        let response = responseSeed >= 0
            ? "Answer \(responseSeed): " + PromptText.question(responseSeed)
            : "Reply " + PromptText.filler(words: 8, random: random)
        if options.withText {
            r.promptText = question
            r.responseText = response
        }
        r.promptHash = StableHash.hex(question)
        if !options.compact { r.responseHash = StableHash.hex(response) }
        messages.append(MessageInfo(role: "assistant", tokens: visible, hash: r.responseHash))
        // Latency: time to first token grows with the prompt, decoding at ~60 tokens/s.
        let ttft = Int64(200_000 + Double(input) * 40 + random.exponential(mean: 150_000))
        if !options.compact {
            r.firstTokenMicros = time + ttft
            r.endMicros = time + ttft + Int64(Double(visible + reasoning) / 60 * 1e6)
        }
        if options.billed, let cost = pricer.price(PricingInput(r)).cost {
            var billed = cost
            if options.mispricedShare > 0 && random.uniform() < options.mispricedShare {
                billed = Money(femtos: Int128((Double(cost.femtos) * (1.1 + random.uniform() * 0.4)).rounded()))
                r.attributes["synth.mispriced"] = "true"
            }
            r.billedCost = billed
            r.billedCostSource = "synth"
        }
        return r
    }
}
