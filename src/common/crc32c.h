// CRC-32C (Castagnoli), the checksum of Strata's own on-disk records (the redo log).
// Uses the SSE4.2 instruction when the CPU has it, a table otherwise; both give the same value.
#pragma once

#include <cstdint>
#include <string_view>

namespace strata {

uint32_t Crc32c(std::string_view data, uint32_t crc = 0);

// A stored checksum is masked so that a record holding checksums of its own (a log inside a
// log) does not checksum to a fixed point, as leveldb does.
inline uint32_t MaskCrc(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8u; }
inline uint32_t UnmaskCrc(uint32_t masked) {
  uint32_t rot = masked - 0xa282ead8u;
  return (rot >> 17) | (rot << 15);
}

}  // namespace strata
