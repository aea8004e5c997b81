#include "types/hashed_scan.h"

#include <algorithm>
#include <string>

#include "common/coding.h"

namespace strata::types {

StatusOr<uint64_t> ScanHashedSubKeys(
    storage::Keyspace& ks, storage::HotEntry* e, uint64_t cursor, size_t count,
    const std::function<bool(std::string_view element, std::string_view value)>& fn) {
  auto it = ks.NewSubIterator(e, storage::Keyspace::SubCf::kData);
  if (!it.ok()) return it.status();
  std::string start;
  PutFixed64BE(&start, cursor);
  size_t visited = 0;
  uint64_t last_hash = 0;
  for ((*it)->Seek(start); (*it)->Valid(); (*it)->Next()) {
    std::string_view sub = (*it)->sub();
    if (sub.size() < 8) continue;
    uint64_t h = DecodeFixed64BE(sub.data());
    if (visited >= count && h != last_hash) return h;
    last_hash = h;
    if (fn(sub.substr(8), (*it)->value())) ++visited;
  }
  Status s = (*it)->status();
  if (!s.ok()) return s;
  return uint64_t{0};
}

uint64_t PickPageByHash(std::vector<std::pair<uint64_t, size_t>>* candidates, size_t count) {
  uint64_t next_cursor = 0;
  if (candidates->size() > count) {
    std::nth_element(candidates->begin(), candidates->begin() + static_cast<ptrdiff_t>(count),
                     candidates->end());
    const uint64_t boundary = (*candidates)[count].first;
    // Elements sharing the boundary hash all go to the next page, so no hash is split.
    candidates->resize(count);
    std::erase_if(*candidates, [&](const auto& c) { return c.first >= boundary; });
    next_cursor = boundary;
  }
  std::sort(candidates->begin(), candidates->end());
  return next_cursor;
}

}  // namespace strata::types
