#include "storage/collection.h"

#include <iterator>

#include "common/coding.h"

namespace strata::storage {

void EncodeCollectionHeader(ValueType type, const CollectionHeader& h, std::string* out) {
  out->clear();
  PutFixed64BE(out, h.version);
  PutFixed64BE(out, h.size);
  if (type == ValueType::kList) {
    PutFixed64BE(out, h.head);
    PutFixed64BE(out, h.tail);
  } else if (type == ValueType::kStream) {
    for (uint64_t v :
         {h.last_ms, h.last_seq, h.first_ms, h.first_seq, h.max_deleted_ms, h.max_deleted_seq,
          h.entries_added, h.aux, static_cast<uint64_t>(h.retention_ms)}) {
      PutFixed64BE(out, v);
    }
  }
}

std::optional<CollectionHeader> DecodeCollectionHeader(ValueType type, std::string_view p) {
  size_t need = type == ValueType::kList ? 32 : type == ValueType::kStream ? 72 : 16;
  if (p.size() < need) return std::nullopt;
  CollectionHeader h;
  h.version = DecodeFixed64BE(p.data());
  h.size = DecodeFixed64BE(p.data() + 8);
  if (type == ValueType::kList) {
    h.head = DecodeFixed64BE(p.data() + 16);
    h.tail = DecodeFixed64BE(p.data() + 24);
  } else if (type == ValueType::kStream) {
    uint64_t* fields[] = {&h.last_ms,        &h.last_seq,        &h.first_ms,     &h.first_seq,
                          &h.max_deleted_ms, &h.max_deleted_seq, &h.entries_added};
    for (size_t i = 0; i < std::size(fields); ++i) {
      *fields[i] = DecodeFixed64BE(p.data() + 16 + 8 * i);
    }
    // Fields added later are absent from headers written before them.
    if (p.size() >= 80) h.aux = DecodeFixed64BE(p.data() + 72);
    if (p.size() >= 88) h.retention_ms = static_cast<int64_t>(DecodeFixed64BE(p.data() + 80));
  }
  return h;
}

}  // namespace strata::storage
