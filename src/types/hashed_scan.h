// HSCAN/SSCAN/ZSCAN over a collection kept on disk. Hash fields, set members and sorted-set
// members are stored under `hash64(element) | element`, so a cursor is the next hash to visit,
// as for SCAN: stateless, numeric, valid across restarts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/keyspace.h"

namespace strata::types {

// Visits the elements whose hash is >= cursor, at least `count` of them, stopping only between
// two hashes so that a cursor never splits elements sharing one. `fn` gets the element (the
// sub-key without its hash) and the stored value; it returns false to skip a malformed entry.
// Returns the next cursor, 0 when the collection was covered.
StatusOr<uint64_t> ScanHashedSubKeys(
    storage::Keyspace& ks, storage::HotEntry* e, uint64_t cursor, size_t count,
    const std::function<bool(std::string_view element, std::string_view value)>& fn);

// The same paging over a collection held whole: `candidates` holds (hash, element index) for
// every element whose hash is >= cursor. Keeps about `count` of them, in hash order, never
// splitting elements that share a hash, and returns the next cursor (0 when this is the last
// page). O(n) per page.
uint64_t PickPageByHash(std::vector<std::pair<uint64_t, size_t>>* candidates, size_t count);

}  // namespace strata::types
