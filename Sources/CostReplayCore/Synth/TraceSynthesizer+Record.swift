import Statistics

extension TraceSynthesizer {
    /// The records of one turn or agent step: a model call, and for agents the tool span it triggers.
    func makeRecords(index: Int, plan: Plan, planIndex: Int, turn: Int, time: Int64, messages: inout [MessageInfo],
                     state: inout State, random: RandomSource) -> [TraceRecord] {
        let feature = features[plan.feature]
        let (model, provider, _) = feature.models[plan.model]
        var r = TraceRecord(id: "syn-\(options.seed)-\(String(index, radix: 36))")
        r.startMicros = time
        r.model = model
        r.provider = provider
        r.operation = "chat"
        r.userID = "user-\(plan.user)"
        r.tenantID = "tenant-\(plan.tenant)"
        r.tags = ["feature:\(feature.name)"] + (feature.asyncEligible ? ["async"] : [])
        if plan.turns > 1 { r.sessionID = "s-\(options.seed)-\(planIndex)" }
        r.traceID = r.sessionID ?? r.id

        let (question, answer) = texts(plan: plan, planIndex: planIndex, turn: turn, random: random)
        if messages.isEmpty {
            messages.append(MessageInfo(role: "system", tokens: feature.systemTokens, hash: StableHash.hex("system:\(feature.name)")))
        }
        appendPrompt(feature: feature, plan: plan, turn: turn, question: question, messages: &messages, random: random)
        let input = messages.reduce(Int64(0)) { $0 + $1.tokens }
        let output: Int64
        switch feature.shape {
        case .chat: output = tokens(fitted.sharegpt.assistantTokens.sample(random), cap: 4096)
        case .classify: output = Int64(1 + random.integer(below: 5))
        default: output = tokens(fitted.azure.generatedTokens.sample(random), cap: 8192)
        }
        var usage = TokenUsage(input: input, output: output)
        recordProviderCache(&usage, provider: provider, tenant: plan.tenant, model: model, messages: messages, time: time, state: &state)
        r.usage = usage
        if !options.compact { r.messages = messages }
        if options.withText {
            r.promptText = question
            r.responseText = answer
        }
        r.promptHash = StableHash.hex(question)
        if !options.compact { r.responseHash = StableHash.hex(answer) }
        if let (weak, strong) = plan.outcome {
            r.quality["correct:" + model] = Double(strong)
            r.quality["correct:" + Feature.weakModel] = Double(weak)
        }
        messages.append(MessageInfo(role: "assistant", tokens: output, hash: r.responseHash))
        // Latency: time to first token grows with the uncached prompt, decoding at ~60 tokens/s.
        let ttft = Int64(200_000 + Double(usage.uncachedInput) * 40 + random.exponential(mean: 150_000))
        if !options.compact {
            r.firstTokenMicros = time + ttft
            r.endMicros = time + ttft + Int64(Double(output) / 60 * 1e6)
        }
        bill(&r, random: random)
        guard feature.shape.isAgent else { return [r] }
        return [r, toolSpan(parent: r, plan: plan, turn: turn, messages: &messages, random: random)]
    }

    /// The user's text and the recorded answer: popular prompts repeat (exactly, reworded with the same
    /// answer, or as a related question with another answer) on a conversation's first turn.
    func texts(plan: Plan, planIndex: Int, turn: Int, random: RandomSource) -> (String, String) {
        guard let popular = plan.popular, turn == 0 else {
            let text = PromptText.question(random.integer(below: 800)) + " " + PromptText.filler(words: 6, random: random)
            return (text, "Reply " + PromptText.filler(words: 8, random: random))
        }
        let base = popular * 7 + plan.feature
        switch plan.repeatKind {
        case .paraphrase: return (PromptText.paraphrase(PromptText.question(base), variant: planIndex), "Answer \(base)")
        case .related:
            let other = PromptText.related(base, variant: planIndex)
            return (PromptText.question(other), "Answer \(other)")
        default: return (PromptText.question(base), "Answer \(base)")
        }
    }

    func appendPrompt(feature: Feature, plan: Plan, turn: Int, question: String, messages: inout [MessageInfo], random: RandomSource) {
        let questionHash = StableHash.hex(question)
        // A repeated prompt has the same size every time: its quantile comes from its text.
        let u = plan.popular != nil && turn == 0 ? Double(StableHash.hash(question) % 10_000) / 10_000 : random.uniform()
        switch feature.shape {
        case .chat:
            messages.append(MessageInfo(role: "user", tokens: tokens(fitted.sharegpt.userTokens.value(at: u), cap: 8000), hash: questionHash))
        case .classify:
            messages.append(MessageInfo(role: "user", tokens: tokens(fitted.sharegpt.userTokens.value(at: u), cap: 2000), hash: questionHash))
        case .single(let scale):
            messages.append(MessageInfo(role: "user", tokens: tokens(fitted.azure.contextTokens.value(at: u) * scale), hash: questionHash))
        case .agent where turn == 0:
            messages.append(MessageInfo(role: "user", tokens: tokens(fitted.sharegpt.userTokens.value(at: u), cap: 4000), hash: questionHash))
        case .agent: break
        case .rag:
            let total = fitted.azure.contextTokens.value(at: u)
            let chunks = 4 + random.integer(below: 5)
            // The whole prompt is Azure's context size: 90% of what the system prompt leaves goes to chunks.
            // Short prompts (Azure's lowest third) carry a shorter system prompt.
            messages[0].tokens = min(feature.systemTokens, tokens(total / 3))
            let rest = max(Double(chunks + 8), total - Double(messages[0].tokens))
            let each = tokens(rest * 0.9 / Double(chunks), cap: 8000)
            let leading = plan.bundle == nil ? 0 : max(2, Int((plan.bundleFraction * Double(chunks)).rounded()))
            for rank in 0..<chunks {
                let hash = rank < leading ? "bundle:\(plan.tenant):\(plan.bundle!):\(rank)" : "chunk:\(random.integer(below: 1 << 30))"
                messages.append(MessageInfo(role: "context", tokens: each, hash: StableHash.hex(hash),
                                            score: 0.9 - 0.08 * Double(rank) + 0.02 * random.uniform()))
            }
            messages.append(MessageInfo(role: "user", tokens: max(8, tokens(rest) - each * Int64(chunks)), hash: questionHash))
        }
    }

    /// The provider prompt caching the trace records: a prompt whose leading messages (≥1,024 tokens)
    /// were sent to the same model within five minutes reads them from cache, as OpenAI and Gemini
    /// do automatically (OpenAI in 128-token steps) and Anthropic does with a cache breakpoint, where
    /// the rest of the prompt is written at the 5-minute write rate.
    func recordProviderCache(_ usage: inout TokenUsage, provider: String, tenant: Int, model: String, messages: [MessageInfo],
                             time: Int64, state: inout State) {
        var key = StableHash.hash("\(tenant)|\(model)")
        var prefix: Int64 = 0
        var cached: Int64 = 0
        for message in messages {
            key = StableHash.hash(message.hash ?? "-", seed: key)
            prefix += message.tokens
            if let seen = state.providerCache[key], time - seen <= 300_000_000, prefix >= 1024 { cached = prefix }
            state.providerCache[key] = time
        }
        if provider == "openai" { cached = cached / 128 * 128 }
        usage.cacheRead = min(cached, usage.input)
        if provider == "anthropic" && usage.input >= 1024 { usage.cacheWrite5m = usage.input - usage.cacheRead }
    }

    /// The tool an agent step calls: a span with its input and latency.
    func toolSpan(parent: TraceRecord, plan: Plan, turn: Int, messages: inout [MessageInfo], random: RandomSource) -> TraceRecord {
        // No per-call fees (`cost_usd`): the replay engine adds span fees to scenario totals but not to the
        // baseline, so a fee would show as a cost no lever caused.
        let tools = ["web_search", "crm_lookup", "calculator", "doc_fetch"]
        let name = tools[random.integer(below: tools.count)]
        var span = TraceRecord(id: parent.id + "-tool")
        span.kind = .tool
        span.name = name
        span.traceID = parent.traceID
        span.sessionID = parent.sessionID
        span.parentID = parent.id
        span.userID = parent.userID
        span.tenantID = parent.tenantID
        span.tags = parent.tags
        // A third of tool calls repeat a popular input (the same lookup twice).
        let input = random.uniform() < 0.33 ? "\(name) popular \(min(49, Int(random.pareto(shape: 1.0, scale: 1)) - 1))"
            : "\(name) \(random.integer(below: 1 << 30))"
        span.promptText = input
        span.promptHash = StableHash.hex(input)
        let start = parent.endMicros ?? parent.startMicros ?? 0
        span.startMicros = start
        span.endMicros = start + Int64((0.2 + random.exponential(mean: 0.8)) * 1e6)
        messages.append(MessageInfo(role: "tool", tokens: tokens(fitted.azure.generatedTokens.sample(random) * 2, cap: 6000),
                                    hash: span.promptHash))
        return span
    }

    func bill(_ r: inout TraceRecord, random: RandomSource) {
        guard options.billed, let cost = pricer.price(PricingInput(r)).cost else { return }
        var billed = cost
        if options.mispricedShare > 0 && random.uniform() < options.mispricedShare {
            billed = Money(femtos: Int128((Double(cost.femtos) * (1.1 + random.uniform() * 0.4)).rounded()))
            r.attributes["synth.mispriced"] = "true"
        }
        r.billedCost = billed
        r.billedCostSource = "synth"
    }
}
