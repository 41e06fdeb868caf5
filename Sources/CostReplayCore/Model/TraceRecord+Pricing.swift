extension TraceRecord {
    /// What pricing reads of the record, as recorded.
    var pricingInput: PricingInput {
        PricingInput(model: model, provider: provider, startMicros: startMicros, usage: usage, isBatch: isBatch,
                     serviceTier: serviceTier, cacheHit: cacheHit)
    }
}
