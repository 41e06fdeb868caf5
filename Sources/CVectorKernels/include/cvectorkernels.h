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

/// The plain C path, whatever the processor (for tests that check every path agrees).
float crk_dot_reference(const float *a, const float *b, long n);

/// Which path runs here: 2 for AVX, 1 for SSE2, 0 for plain C.
int crk_path(void);

#ifdef __cplusplus
}
#endif

#endif
