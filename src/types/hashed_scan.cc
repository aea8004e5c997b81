#include "types/hashed_scan.h"

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

}  // namespace strata::types
