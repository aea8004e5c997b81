#include "common/hash.h"

#include <cstring>
#include <random>

namespace strata {
namespace {

constexpr uint64_t kMul1 = 0x9E3779B97F4A7C15ull;
constexpr uint64_t kMul2 = 0xC2B2AE3D27D4EB4Full;

inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);  // little-endian hosts only; checked by a static_assert below
  return v;
}

inline uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDull;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ull;
  x ^= x >> 33;
  return x;
}

}  // namespace

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "KeyHash64 assumes a little-endian host");

uint64_t KeyHash64(std::string_view bytes, uint64_t seed) {
  const char* p = bytes.data();
  size_t n = bytes.size();
  uint64_t h = seed ^ (n * kMul1);
  while (n >= 8) {
    h = (h ^ Mix(Load64(p) * kMul2)) * kMul1;
    h = (h << 27) | (h >> 37);
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, p, n);
  h ^= Mix(tail ^ (uint64_t{n} << 56));
  return Mix(h);
}

namespace {

inline uint64_t Rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

struct SipKey {
  uint64_t k0, k1;
};

SipKey DrawSipKey() {
  std::random_device rd;
  auto word = [&rd] { return (uint64_t{rd()} << 32) ^ rd(); };
  return SipKey{word(), word()};
}

inline void SipRound(uint64_t& v0, uint64_t& v1, uint64_t& v2, uint64_t& v3) {
  v0 += v1;
  v1 = Rotl(v1, 13);
  v1 ^= v0;
  v0 = Rotl(v0, 32);
  v2 += v3;
  v3 = Rotl(v3, 16);
  v3 ^= v2;
  v0 += v3;
  v3 = Rotl(v3, 21);
  v3 ^= v0;
  v2 += v1;
  v1 = Rotl(v1, 17);
  v1 ^= v2;
  v2 = Rotl(v2, 32);
}

}  // namespace

inline uint64_t Load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

inline uint64_t Byte(const char* p, size_t i) {
  return uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
}

// The last n < 8 bytes of a message, little-endian, without a variable-length memcpy (a call,
// on this hot path). A message of 8 bytes or more is read with one load ending at its last
// byte; a shorter one with two overlapping loads, or three bytes, whose overlaps OR the same
// byte into the same place.
inline uint64_t LoadTail(const char* p, size_t n, size_t total) {
  if (n == 0) return 0;
  if (total >= 8) return Load64(p + n - 8) >> (64 - 8 * n);
  if (n >= 4) return Load32(p) | (Load32(p + n - 4) << (8 * (n - 4)));
  return Byte(p, 0) | Byte(p, n >> 1) | Byte(p, n - 1);
}

template <int kCompressionRounds, int kFinalRounds>
[[gnu::always_inline]] inline uint64_t SipHash(uint64_t k0, uint64_t k1, std::string_view bytes) {
  uint64_t v0 = 0x736f6d6570736575ull ^ k0;
  uint64_t v1 = 0x646f72616e646f6dull ^ k1;
  uint64_t v2 = 0x6c7967656e657261ull ^ k0;
  uint64_t v3 = 0x7465646279746573ull ^ k1;
  const char* p = bytes.data();
  size_t n = bytes.size();
  const uint64_t last = uint64_t{n} << 56;
  auto absorb = [&](uint64_t m) {
    v3 ^= m;
#pragma GCC unroll 4
    for (int i = 0; i < kCompressionRounds; ++i) SipRound(v0, v1, v2, v3);
    v0 ^= m;
  };
  for (; n >= 8; p += 8, n -= 8) absorb(Load64(p));
  absorb(last | LoadTail(p, n, bytes.size()));
  v2 ^= 0xff;
#pragma GCC unroll 4
  for (int i = 0; i < kFinalRounds; ++i) SipRound(v0, v1, v2, v3);
  return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t SipHash24(uint64_t k0, uint64_t k1, std::string_view bytes) {
  return SipHash<2, 4>(k0, k1, bytes);
}

uint64_t SipHash13(uint64_t k0, uint64_t k1, std::string_view bytes) {
  return SipHash<1, 3>(k0, k1, bytes);
}

// SipHash-1-3 (one compression round, three finalization rounds), the variant Redis's dict
// uses for the same reason.
uint64_t MemoryHash(std::string_view bytes) {
  static const SipKey key = DrawSipKey();
  return SipHash<1, 3>(key.k0, key.k1, bytes);
}

}  // namespace strata
