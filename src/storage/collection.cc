#include "storage/collection.h"

#include <algorithm>
#include <iterator>
#include <unordered_map>
#include <vector>

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

void SubKeyChanges::Put(uint8_t cf, std::string_view key, std::string_view value, bool fresh) {
  rep_.push_back(static_cast<char>(fresh ? kFreshFlag : 0));
  uint32_t n = static_cast<uint32_t>(key.size());
  rep_.append(reinterpret_cast<const char*>(&n), 4);
  rep_.push_back(static_cast<char>(cf));
  rep_.append(key);
  n = static_cast<uint32_t>(value.size());
  rep_.append(reinterpret_cast<const char*>(&n), 4);
  rep_.append(value);
  ++count_;
}

void SubKeyChanges::Delete(uint8_t cf, std::string_view key) {
  rep_.push_back(static_cast<char>(kDeleteFlag));
  uint32_t n = static_cast<uint32_t>(key.size());
  rep_.append(reinterpret_cast<const char*>(&n), 4);
  rep_.push_back(static_cast<char>(cf));
  rep_.append(key);
  ++count_;
}

void SubKeyChanges::TakeFrom(SubKeyChanges* other) {
  if (empty()) {
    rep_.swap(other->rep_);
  } else {
    rep_.append(other->rep_);
  }
  count_ += other->count_;
  other->Clear();
}

void SubKeyChanges::Clear() {
  std::string().swap(rep_);
  count_ = 0;
  coalesce_at_ = kMinCoalesce;
}

template <typename Fn>
void SubKeyChanges::ForEach(Fn&& fn) const {
  const char* p = rep_.data();
  const char* end = p + rep_.size();
  while (p < end) {
    Change c;
    const uint8_t flags = static_cast<uint8_t>(*p++);
    uint32_t key_len;
    std::memcpy(&key_len, p, 4);
    p += 4;
    c.id = std::string_view(p, 1 + key_len);
    p += 1 + key_len;
    c.fresh = (flags & kFreshFlag) != 0;
    c.value = nullptr;
    if ((flags & kDeleteFlag) == 0) {
      uint32_t value_len;
      std::memcpy(&value_len, p, 4);
      p += 4;
      c.value_storage = std::string_view(p, value_len);
      c.value = &c.value_storage;
      p += value_len;
    }
    fn(c);
  }
}

template <typename Fn>
void SubKeyChanges::ForEachFinalChange(Fn&& fn) const {
  if (count_ < 2) {
    ForEach([&](const Change& c) { fn(c, c.fresh && c.value != nullptr); });
    return;
  }
  // One pass with a map marks each key's last change and whether the key's first change
  // created it; the second pass reads the marks, in order.
  constexpr uint8_t kLast = 1, kCreated = 2;
  struct Seen {
    size_t last;   // index of the key's last change so far
    bool created;  // its first change was a fresh put
  };
  std::vector<uint8_t> marks(count_, 0);
  std::unordered_map<std::string_view, Seen> seen;
  seen.reserve(count_);
  size_t i = 0;
  ForEach([&](const Change& c) {
    auto [it, first] = seen.try_emplace(c.id, Seen{i, c.fresh && c.value != nullptr});
    if (!first) {
      marks[it->second.last] = 0;
      it->second.last = i;
    }
    marks[i] = static_cast<uint8_t>(kLast | (it->second.created ? kCreated : 0));
    ++i;
  });
  i = 0;
  ForEach([&](const Change& c) {
    const uint8_t m = marks[i++];
    if ((m & kLast) == 0) return;                           // a later change supersedes it
    if ((m & kCreated) != 0 && c.value == nullptr) return;  // created, then deleted: nothing
    fn(c, (m & kCreated) != 0);
  });
}

void SubKeyChanges::ForEachFinal(
    const std::function<void(uint8_t cf, std::string_view key, const std::string_view* value)>& fn)
    const {
  ForEachFinalChange(
      [&](const Change& c, bool) { fn(static_cast<uint8_t>(c.id[0]), c.id.substr(1), c.value); });
}

void SubKeyChanges::Coalesce() {
  SubKeyChanges out;
  ForEachFinalChange([&](const Change& c, bool created) {
    const uint8_t cf = static_cast<uint8_t>(c.id[0]);
    if (c.value) {
      out.Put(cf, c.id.substr(1), *c.value, created);
    } else {
      out.Delete(cf, c.id.substr(1));
    }
  });
  rep_.swap(out.rep_);
  count_ = out.count_;
  coalesce_at_ = std::max(kMinCoalesce, 4 * count_);
}

}  // namespace strata::storage
