#include "storage/collection.h"

#include <algorithm>
#include <iterator>
#include <type_traits>
#include <vector>

#include "common/coding.h"
#include "common/hash.h"

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
  } else if (type == ValueType::kZSet) {
    PutFixed64BE(out, h.score_index ? 1 : 0);
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
  } else if (type == ValueType::kZSet && p.size() >= 24) {
    h.score_index = DecodeFixed64BE(p.data() + 16) != 0;
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
size_t SubKeyChanges::ForEach(Fn&& fn, size_t offset) const {
  const char* p = rep_.data() + offset;
  const char* end = rep_.data() + rep_.size();
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
    if constexpr (std::is_same_v<decltype(fn(c)), bool>) {
      if (!fn(c)) break;
    } else {
      fn(c);
    }
  }
  return static_cast<size_t>(p - rep_.data());
}

size_t SubKeyChanges::ForEachFrom(
    size_t offset, size_t max,
    const std::function<void(uint8_t cf, std::string_view key, const std::string_view* value)>& fn)
    const {
  if (max == 0) return offset;
  size_t n = 0;
  return ForEach(
      [&](const Change& c) {
        fn(static_cast<uint8_t>(c.id[0]), c.id.substr(1), c.value);
        return ++n < max;
      },
      offset);
}

template <typename Fn>
void SubKeyChanges::ForEachFinalChange(Fn&& fn) const {
  if (count_ < 2) {
    ForEach([&](const Change& c) { fn(c, c.fresh && c.value != nullptr); });
    return;
  }
  // One pass marks each key's last change and whether the key's first change created it; the
  // second pass reads the marks, in order. The index is an open-addressing table of change
  // numbers (no allocation per key: this runs over hundreds of thousands of changes on the
  // execution thread).
  constexpr uint8_t kLast = 1, kCreated = 2;
  std::vector<uint8_t> marks(count_, 0);
  std::vector<std::string_view> ids(count_);
  size_t capacity = 16;
  while (capacity < 2 * count_) capacity <<= 1;
  // A slot holds the key hash's high 32 bits and the change number + 1 (0 = empty): most
  // probes that miss are told apart by the hash, without reaching the key's bytes.
  std::vector<uint64_t> table(capacity, 0);
  const size_t mask = capacity - 1;
  uint32_t i = 0;
  ForEach([&](const Change& c) {
    ids[i] = c.id;
    const uint64_t hash = MemoryHash(c.id);
    const uint64_t tag = hash & 0xffffffff00000000ull;
    size_t slot = hash & mask;
    while (table[slot] != 0 && ((table[slot] & 0xffffffff00000000ull) != tag ||
                                ids[static_cast<uint32_t>(table[slot]) - 1] != c.id)) {
      slot = (slot + 1) & mask;
    }
    uint8_t created = c.fresh && c.value != nullptr ? kCreated : 0;
    if (table[slot] != 0) {
      const uint32_t prev = static_cast<uint32_t>(table[slot]) - 1;
      created = marks[prev] & kCreated;  // the key's first change decides
      marks[prev] = 0;
    }
    table[slot] = tag | (i + 1);
    marks[i] = static_cast<uint8_t>(kLast | created);
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
