#include "storage/collection.h"

#include "common/coding.h"

namespace strata::storage {

void EncodeCollectionHeader(ValueType type, const CollectionHeader& h, std::string* out) {
  out->clear();
  PutFixed64BE(out, h.version);
  PutFixed64BE(out, h.size);
  if (type == ValueType::kList) {
    PutFixed64BE(out, h.head);
    PutFixed64BE(out, h.tail);
  }
}

std::optional<CollectionHeader> DecodeCollectionHeader(ValueType type, std::string_view p) {
  size_t need = type == ValueType::kList ? 32 : 16;
  if (p.size() < need) return std::nullopt;
  CollectionHeader h;
  h.version = DecodeFixed64BE(p.data());
  h.size = DecodeFixed64BE(p.data() + 8);
  if (type == ValueType::kList) {
    h.head = DecodeFixed64BE(p.data() + 16);
    h.tail = DecodeFixed64BE(p.data() + 24);
  }
  return h;
}

}  // namespace strata::storage
