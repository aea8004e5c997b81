// Fixed-width big-endian encodings. Big-endian so that RocksDB's bytewise order of an encoded
// number is the number's order; signed values are biased so that negatives sort first.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace strata {

// One load or store and a byte swap (GCC did not turn the byte loops into that: decoding a
// stream's 11-field header took 177 instructions, 3% of an XADD run's samples).
static_assert(std::endian::native == std::endian::little, "big-endian hosts need a port");

inline void PutFixed16BE(std::string* dst, uint16_t v) {
  char b[2] = {static_cast<char>(v >> 8), static_cast<char>(v)};
  dst->append(b, 2);
}

inline void PutFixed32BE(std::string* dst, uint32_t v) {
  const uint32_t be = __builtin_bswap32(v);
  dst->append(reinterpret_cast<const char*>(&be), 4);
}

inline void PutFixed64BE(std::string* dst, uint64_t v) {
  const uint64_t be = __builtin_bswap64(v);
  dst->append(reinterpret_cast<const char*>(&be), 8);
}

// Signed 64-bit with the sign bit flipped: INT64_MIN..INT64_MAX map to 0..UINT64_MAX.
inline void PutOrderedInt64(std::string* dst, int64_t v) {
  PutFixed64BE(dst, static_cast<uint64_t>(v) ^ (uint64_t{1} << 63));
}

inline uint16_t DecodeFixed16BE(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint16_t>((u[0] << 8) | u[1]);
}

inline uint32_t DecodeFixed32BE(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return __builtin_bswap32(v);
}

inline uint64_t DecodeFixed64BE(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}

inline int64_t DecodeOrderedInt64(const char* p) {
  return static_cast<int64_t>(DecodeFixed64BE(p) ^ (uint64_t{1} << 63));
}

}  // namespace strata
