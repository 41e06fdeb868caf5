#ifndef COSTREPLAY_CVECTORKERNELS_H
#define COSTREPLAY_CVECTORKERNELS_H

/// Dot products for the vector index, chosen at run time: AVX (8 lanes) on processors that have it, SSE2 (the
/// x86-64 baseline) otherwise, plain C elsewhere. Every path computes the same IEEE operations in the same order
/// (16 running lane sums, products added without fused multiply-add, lanes folded in order 0…15, then the tail),
/// so a result never depends on the processor.

#ifdef __cplusplus
extern "C" {
#endif

/// The dot product of `a` and `b` over `n` floats.
float crk_dot(const float *a, const float *b, long n);

/// The dot products of one row with four queries, each over `n` floats, into `out[0…3]`.
void crk_dot4(const float *row, const float *q0, const float *q1, const float *q2, const float *q3, long n,
              float *out);

/// The pruning bound of four queries against `count` slots stored as transposed prefixes (group g of 16 slots,
/// component i, lane l at `columns[(g * p + i) * 16 + l]`, groups padded to 16) with their tail norms `tails[0…count)`:
/// bit l of `masks[k * groups + g]`, with `groups = (count + 15) / 16`, is set when
/// `qk[0…p)·x[0…p) + query_tails[k] * tails[16g + l] >= cut` for slot 16g + l < count. Each lane sums its products in
/// component order without fused multiply-add, on every path.
void crk_prefix_bound4(const float *columns, const float *tails, long count, long p, const float *q0, const float *q1,
                       const float *q2, const float *q3, const float *query_tails, float cut, unsigned short *masks);

/// A hint that the cache line holding `address` will be read soon (no effect on results; nothing is dereferenced).
/// The recency stack of a capacity sweep reads the cold end of every member's cache at random on a miss: asking for
/// all of them first lets the loads overlap instead of waiting for each in turn.
static inline void crk_prefetch(const void *address) {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(address, 0, 3);
#else
    (void)address;
#endif
}

/// The plain C path, whatever the processor (for tests that check every path agrees).
float crk_dot_reference(const float *a, const float *b, long n);

/// The plain C path of ``crk_prefix_bound4``, whatever the processor (for tests that check every path agrees).
void crk_prefix_bound4_reference(const float *columns, const float *tails, long count, long p, const float *q0,
                                 const float *q1, const float *q2, const float *q3, const float *query_tails, float cut,
                                 unsigned short *masks);

/// The dot product of a float query `a` with a row `b` of IEEE binary16 bit patterns, over `n` components: each
/// component is widened exactly, then summed as ``crk_dot`` sums (F16C with AVX at run time, plain C otherwise).
float crk_dot_f16(const float *a, const unsigned short *b, long n);

/// The plain C path of ``crk_dot_f16``, whatever the processor.
float crk_dot_f16_reference(const float *a, const unsigned short *b, long n);

/// Which path runs here: 2 for AVX, 1 for SSE2, 0 for plain C.
int crk_path(void);

#ifdef __cplusplus
}
#endif

#endif
