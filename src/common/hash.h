// Two hashes of key bytes, for two different jobs.
//
// KeyHash64 is stable across versions and machines because it is part of the persisted key
// layout (meta keys are ordered by it, so durable SCAN cursors are its values): never change it
// without bumping the format version. It is fast and public, so a client can choose keys that
// collide in it; it must never pick a bucket or a probe position in memory.
//
// MemoryHash is SipHash-1-3 under a key drawn at random when the process starts, for every
// in-memory table indexed by client-chosen strings (the hot tier, collections' member indexes).
// Without the key, choosing names that collide is as hard as breaking SipHash, so no client
// can build long chains or probe runs. Its values differ between processes: nothing that is
// stored or compared across a restart may use it.
#pragma once

#include <cstdint>
#include <string_view>

namespace strata {

uint64_t KeyHash64(std::string_view bytes, uint64_t seed = 0);

uint64_t MemoryHash(std::string_view bytes);

// SipHash (Aumasson and Bernstein) under the 128-bit key (k0, k1), little-endian words.
uint64_t SipHash13(uint64_t k0, uint64_t k1, std::string_view bytes);
uint64_t SipHash24(uint64_t k0, uint64_t k1, std::string_view bytes);

}  // namespace strata
