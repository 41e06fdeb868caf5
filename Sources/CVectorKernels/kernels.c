// Runtime dispatch keeps the package free of target-cpu flags (it must build as a dependency) while processors
// with AVX still get 8-lane arithmetic. No path uses fused multiply-add: its single rounding would make scores,
// and so cache hits at a threshold, differ between processors.
#include "cvectorkernels.h"

#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define CRK_X86 1
#endif

/// Folds the 16 lane sums in lane order, then adds the tail: the order every path shares.
static inline float crk_finish(const float lanes[16], const float *a, const float *b, long i, long n) {
    float total = -0.0f;
    for (int k = 0; k < 16; k++) { total += lanes[k]; }
    for (; i < n; i++) { total += a[i] * b[i]; }
    return total;
}

/// Loads a group's 16 tail norms, zero past `valid`, so the last group never reads past the array.
static inline void crk_group_tails(const float *tails, long valid, float out[16]) {
    for (int l = 0; l < 16; l++) { out[l] = l < valid ? tails[l] : 0.0f; }
}

static float crk_dot_plain(const float *a, const float *b, long n) {
    float lanes[16] = {0};
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        for (int k = 0; k < 16; k++) { lanes[k] += a[i + k] * b[i + k]; }
    }
    return crk_finish(lanes, a, b, i, n);
}

#ifdef CRK_X86
__attribute__((target("avx")))
static float crk_dot_avx(const float *a, const float *b, long n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        s0 = _mm256_add_ps(s0, _mm256_mul_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)));
        s1 = _mm256_add_ps(s1, _mm256_mul_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8)));
    }
    float lanes[16];
    _mm256_storeu_ps(lanes, s0);
    _mm256_storeu_ps(lanes + 8, s1);
    return crk_finish(lanes, a, b, i, n);
}

__attribute__((target("avx")))
static void crk_dot4_avx(const float *row, const float *q0, const float *q1, const float *q2, const float *q3,
                         long n, float *out) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps();
    __m256 c0 = _mm256_setzero_ps(), c1 = _mm256_setzero_ps(), d0 = _mm256_setzero_ps(), d1 = _mm256_setzero_ps();
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256 r0 = _mm256_loadu_ps(row + i), r1 = _mm256_loadu_ps(row + i + 8);
        a0 = _mm256_add_ps(a0, _mm256_mul_ps(r0, _mm256_loadu_ps(q0 + i)));
        a1 = _mm256_add_ps(a1, _mm256_mul_ps(r1, _mm256_loadu_ps(q0 + i + 8)));
        b0 = _mm256_add_ps(b0, _mm256_mul_ps(r0, _mm256_loadu_ps(q1 + i)));
        b1 = _mm256_add_ps(b1, _mm256_mul_ps(r1, _mm256_loadu_ps(q1 + i + 8)));
        c0 = _mm256_add_ps(c0, _mm256_mul_ps(r0, _mm256_loadu_ps(q2 + i)));
        c1 = _mm256_add_ps(c1, _mm256_mul_ps(r1, _mm256_loadu_ps(q2 + i + 8)));
        d0 = _mm256_add_ps(d0, _mm256_mul_ps(r0, _mm256_loadu_ps(q3 + i)));
        d1 = _mm256_add_ps(d1, _mm256_mul_ps(r1, _mm256_loadu_ps(q3 + i + 8)));
    }
    float lanes[16];
    _mm256_storeu_ps(lanes, a0); _mm256_storeu_ps(lanes + 8, a1); out[0] = crk_finish(lanes, row, q0, i, n);
    _mm256_storeu_ps(lanes, b0); _mm256_storeu_ps(lanes + 8, b1); out[1] = crk_finish(lanes, row, q1, i, n);
    _mm256_storeu_ps(lanes, c0); _mm256_storeu_ps(lanes + 8, c1); out[2] = crk_finish(lanes, row, q2, i, n);
    _mm256_storeu_ps(lanes, d0); _mm256_storeu_ps(lanes + 8, d1); out[3] = crk_finish(lanes, row, q3, i, n);
}

__attribute__((target("avx")))
static void crk_prefix_bound4_avx(const float *columns, const float *tails, long count, long p, const float *q0,
                                  const float *q1, const float *q2, const float *q3, const float *query_tails,
                                  float cut, unsigned short *masks) {
    long groups = (count + 15) / 16;
    const __m256 limit = _mm256_set1_ps(cut);
    for (long g = 0; g < groups; g++) {
        const float *base = columns + g * p * 16;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps();
        __m256 c0 = _mm256_setzero_ps(), c1 = _mm256_setzero_ps(), d0 = _mm256_setzero_ps(), d1 = _mm256_setzero_ps();
        for (long i = 0; i < p; i++) {
            __m256 x0 = _mm256_loadu_ps(base + i * 16), x1 = _mm256_loadu_ps(base + i * 16 + 8);
            __m256 w = _mm256_broadcast_ss(q0 + i);
            a0 = _mm256_add_ps(a0, _mm256_mul_ps(x0, w)); a1 = _mm256_add_ps(a1, _mm256_mul_ps(x1, w));
            w = _mm256_broadcast_ss(q1 + i);
            b0 = _mm256_add_ps(b0, _mm256_mul_ps(x0, w)); b1 = _mm256_add_ps(b1, _mm256_mul_ps(x1, w));
            w = _mm256_broadcast_ss(q2 + i);
            c0 = _mm256_add_ps(c0, _mm256_mul_ps(x0, w)); c1 = _mm256_add_ps(c1, _mm256_mul_ps(x1, w));
            w = _mm256_broadcast_ss(q3 + i);
            d0 = _mm256_add_ps(d0, _mm256_mul_ps(x0, w)); d1 = _mm256_add_ps(d1, _mm256_mul_ps(x1, w));
        }
        long valid = count - g * 16;
        float padded[16];
        const float *t = tails + g * 16;
        if (valid < 16) { crk_group_tails(t, valid, padded); t = padded; }
        __m256 t0 = _mm256_loadu_ps(t), t1 = _mm256_loadu_ps(t + 8);
        unsigned keep = valid < 16 ? (1u << valid) - 1 : 0xFFFFu;
        __m256 sums[8] = {a0, a1, b0, b1, c0, c1, d0, d1};
        for (int k = 0; k < 4; k++) {
            __m256 w = _mm256_set1_ps(query_tails[k]);
            __m256 lo = _mm256_add_ps(sums[2 * k], _mm256_mul_ps(t0, w));
            __m256 hi = _mm256_add_ps(sums[2 * k + 1], _mm256_mul_ps(t1, w));
            unsigned bits = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(lo, limit, _CMP_GE_OQ))
                | ((unsigned)_mm256_movemask_ps(_mm256_cmp_ps(hi, limit, _CMP_GE_OQ)) << 8);
            masks[k * groups + g] = (unsigned short)(bits & keep);
        }
    }
}

static float crk_dot_sse(const float *a, const float *b, long n) {
    __m128 s0 = _mm_setzero_ps(), s1 = _mm_setzero_ps(), s2 = _mm_setzero_ps(), s3 = _mm_setzero_ps();
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        s0 = _mm_add_ps(s0, _mm_mul_ps(_mm_loadu_ps(a + i), _mm_loadu_ps(b + i)));
        s1 = _mm_add_ps(s1, _mm_mul_ps(_mm_loadu_ps(a + i + 4), _mm_loadu_ps(b + i + 4)));
        s2 = _mm_add_ps(s2, _mm_mul_ps(_mm_loadu_ps(a + i + 8), _mm_loadu_ps(b + i + 8)));
        s3 = _mm_add_ps(s3, _mm_mul_ps(_mm_loadu_ps(a + i + 12), _mm_loadu_ps(b + i + 12)));
    }
    float lanes[16];
    _mm_storeu_ps(lanes, s0); _mm_storeu_ps(lanes + 4, s1); _mm_storeu_ps(lanes + 8, s2); _mm_storeu_ps(lanes + 12, s3);
    return crk_finish(lanes, a, b, i, n);
}

/// Bit 0: AVX; bit 1: AVX and F16C. Probed once.
static int crk_features(void) {
    static int known = -1;
    int value = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (value < 0) {
        __builtin_cpu_init();
        int avx = __builtin_cpu_supports("avx") ? 1 : 0;
        value = avx | (avx && __builtin_cpu_supports("f16c") ? 2 : 0);
        __atomic_store_n(&known, value, __ATOMIC_RELAXED);
    }
    return value;
}

static int crk_has_avx(void) { return crk_features() & 1; }
static int crk_has_f16c(void) { return (crk_features() & 2) != 0; }
#endif

float crk_dot(const float *a, const float *b, long n) {
#ifdef CRK_X86
    return crk_has_avx() ? crk_dot_avx(a, b, n) : crk_dot_sse(a, b, n);
#else
    return crk_dot_plain(a, b, n);
#endif
}

void crk_dot4(const float *row, const float *q0, const float *q1, const float *q2, const float *q3, long n,
              float *out) {
#ifdef CRK_X86
    if (crk_has_avx()) {
        crk_dot4_avx(row, q0, q1, q2, q3, n, out);
        return;
    }
    out[0] = crk_dot_sse(row, q0, n); out[1] = crk_dot_sse(row, q1, n);
    out[2] = crk_dot_sse(row, q2, n); out[3] = crk_dot_sse(row, q3, n);
#else
    out[0] = crk_dot_plain(row, q0, n); out[1] = crk_dot_plain(row, q1, n);
    out[2] = crk_dot_plain(row, q2, n); out[3] = crk_dot_plain(row, q3, n);
#endif
}

static void crk_prefix_bound4_plain(const float *columns, const float *tails, long count, long p, const float *q0,
                                    const float *q1, const float *q2, const float *q3, const float *query_tails,
                                    float cut, unsigned short *masks) {
    long groups = (count + 15) / 16;
    const float *queries[4] = {q0, q1, q2, q3};
    for (long g = 0; g < groups; g++) {
        long valid = count - g * 16;
        float t[16];
        crk_group_tails(tails + g * 16, valid < 16 ? valid : 16, t);
        for (int k = 0; k < 4; k++) {
            float sums[16] = {0};
            for (long i = 0; i < p; i++) {
                for (int l = 0; l < 16; l++) { sums[l] += columns[(g * p + i) * 16 + l] * queries[k][i]; }
            }
            unsigned bits = 0;
            for (int l = 0; l < 16 && l < valid; l++) {
                if (sums[l] + t[l] * query_tails[k] >= cut) { bits |= 1u << l; }
            }
            masks[k * groups + g] = (unsigned short)bits;
        }
    }
}

void crk_prefix_bound4(const float *columns, const float *tails, long count, long p, const float *q0, const float *q1,
                       const float *q2, const float *q3, const float *query_tails, float cut, unsigned short *masks) {
#ifdef CRK_X86
    if (crk_has_avx()) {
        crk_prefix_bound4_avx(columns, tails, count, p, q0, q1, q2, q3, query_tails, cut, masks);
        return;
    }
#endif
    crk_prefix_bound4_plain(columns, tails, count, p, q0, q1, q2, q3, query_tails, cut, masks);
}

int crk_path(void) {
#ifdef CRK_X86
    return crk_has_avx() ? 2 : 1;
#else
    return 0;
#endif
}

/// The plain path, for tests that check every path agrees.
float crk_dot_reference(const float *a, const float *b, long n) { return crk_dot_plain(a, b, n); }

/// The plain path of the prefix bound, for tests that check every path agrees.
void crk_prefix_bound4_reference(const float *columns, const float *tails, long count, long p, const float *q0,
                                 const float *q1, const float *q2, const float *q3, const float *query_tails, float cut,
                                 unsigned short *masks) {
    crk_prefix_bound4_plain(columns, tails, count, p, q0, q1, q2, q3, query_tails, cut, masks);
}

// Float16 rows (IEEE binary16, the cache's compact storage): each component is widened exactly to float, then summed
// in the order of crk_dot, so a float16 score is crk_dot of the query with the widened row on every processor.

/// The exact float value of an IEEE binary16 bit pattern.
static inline float crk_half(unsigned short h) {
    unsigned sign = (unsigned)(h & 0x8000u) << 16, exponent = (h >> 10) & 0x1fu, mantissa = h & 0x3ffu, bits;
    if (exponent == 0) {
        float magnitude = (float)mantissa * (1.0f / 16777216.0f);  // subnormal: mantissa · 2⁻²⁴, exact in float
        __builtin_memcpy(&bits, &magnitude, 4);
        bits |= sign;
    } else if (exponent == 31) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    }
    float value;
    __builtin_memcpy(&value, &bits, 4);
    return value;
}

static float crk_finish_f16(const float lanes[16], const float *a, const unsigned short *b, long i, long n) {
    float total = -0.0f;
    for (int k = 0; k < 16; k++) { total += lanes[k]; }
    for (; i < n; i++) { total += a[i] * crk_half(b[i]); }
    return total;
}

static float crk_dot_f16_plain(const float *a, const unsigned short *b, long n) {
    float lanes[16] = {0};
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        for (int k = 0; k < 16; k++) { lanes[k] += a[i + k] * crk_half(b[i + k]); }
    }
    return crk_finish_f16(lanes, a, b, i, n);
}

#ifdef CRK_X86
__attribute__((target("avx,f16c")))
static float crk_dot_f16_avx(const float *a, const unsigned short *b, long n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256 x0 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(b + i)));
        __m256 x1 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(b + i + 8)));
        s0 = _mm256_add_ps(s0, _mm256_mul_ps(_mm256_loadu_ps(a + i), x0));
        s1 = _mm256_add_ps(s1, _mm256_mul_ps(_mm256_loadu_ps(a + i + 8), x1));
    }
    float lanes[16];
    _mm256_storeu_ps(lanes, s0);
    _mm256_storeu_ps(lanes + 8, s1);
    return crk_finish_f16(lanes, a, b, i, n);
}
#endif

float crk_dot_f16(const float *a, const unsigned short *b, long n) {
#ifdef CRK_X86
    if (crk_has_f16c()) { return crk_dot_f16_avx(a, b, n); }
#endif
    return crk_dot_f16_plain(a, b, n);
}

float crk_dot_f16_reference(const float *a, const unsigned short *b, long n) { return crk_dot_f16_plain(a, b, n); }
