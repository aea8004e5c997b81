#include "types/score_codec.h"

#include <bit>

#include "common/coding.h"

namespace strata::types {

namespace {
constexpr uint64_t kSignBit = uint64_t{1} << 63;
}  // namespace

uint64_t ScoreToOrdered(double score) {
  if (score == 0) score = 0.0;  // -0.0 == 0.0: one encoding for both
  uint64_t bits = std::bit_cast<uint64_t>(score);
  return (bits & kSignBit) ? ~bits : bits ^ kSignBit;
}

double OrderedToScore(uint64_t ordered) {
  uint64_t bits = (ordered & kSignBit) ? ordered ^ kSignBit : ~ordered;
  return std::bit_cast<double>(bits);
}

void PutEncodedScore(std::string* dst, double score) { PutFixed64BE(dst, ScoreToOrdered(score)); }

std::string EncodeScore(double score) {
  std::string out;
  out.reserve(kEncodedScoreSize);
  PutEncodedScore(&out, score);
  return out;
}

double DecodeScore(const char* p) { return OrderedToScore(DecodeFixed64BE(p)); }

}  // namespace strata::types
