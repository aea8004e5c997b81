// An order-preserving 8-byte encoding of a sorted-set score.
//
// Invariant: for any two non-NaN doubles a and b, EncodeScore(a) < EncodeScore(b) bytewise
// exactly when a < b numerically, and the encodings are equal exactly when a == b. So RocksDB's
// bytewise order of `encoded score | member` sub-keys is ZRANGE order (score, then member
// bytes), -inf first and +inf last. -0.0 is stored as 0.0: the two compare equal, and Redis
// replies "0" for both.
//
// The transform, on the IEEE-754 bits taken as a big-endian u64: a non-negative number has its
// sign bit flipped (it sorts above every negative one); a negative number has every bit
// inverted (a larger magnitude sorts lower).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::types {

inline constexpr size_t kEncodedScoreSize = 8;

// The ordered u64 of a score (-0.0 normalised to 0.0). REQUIRES: !isnan(score).
uint64_t ScoreToOrdered(double score);
double OrderedToScore(uint64_t ordered);

// Appends the 8 big-endian bytes of ScoreToOrdered(score).
void PutEncodedScore(std::string* dst, double score);
std::string EncodeScore(double score);
// REQUIRES: p points at kEncodedScoreSize bytes.
double DecodeScore(const char* p);

}  // namespace strata::types
