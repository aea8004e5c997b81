#include "types/hash.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <random>
#include <unordered_set>

#include "common/coding.h"
#include "common/hash.h"
#include "common/numbers.h"
#include "types/hashed_scan.h"
#include "types/type_errors.h"

namespace strata::types {
namespace {

using storage::Keyspace;
using storage::ValueType;

constexpr std::string_view kNotInteger = "ERR hash value is not an integer";
constexpr std::string_view kNotFloat = "ERR hash value is not a float";
constexpr std::string_view kOverflow = "ERR increment or decrement would overflow";
constexpr std::string_view kNanOrInf = "ERR increment would produce NaN or Infinity";

// What a field costs in memory beyond its bytes: the allocation (the strings' headers, the
// position and malloc's header), the order vector's pointer and about 1.5 index slots.
constexpr size_t kFieldOverhead =
    16 + 2 * sizeof(std::string) + sizeof(size_t) + sizeof(void*) + 24;

size_t FieldBytes(std::string_view field, std::string_view value) {
  return kFieldOverhead + field.size() + value.size();
}

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

// Uniform in [0, n). REQUIRES: n > 0.
uint64_t RandomBelow(uint64_t n) {
  return std::uniform_int_distribution<uint64_t>(0, n - 1)(Rng());
}

// Redis's tolerance for stored hash values read as floats (string2ld): strtold on the text up
// to its first NUL, no leading space, nothing left over, no NaN, and an underflow to a
// denormal is fine while one to zero or infinity is not.
std::optional<long double> ParseStoredFloat(std::string_view s) {
  if (s.empty() || s.size() >= 5120) return std::nullopt;
  std::string buf(s);
  if (std::isspace(static_cast<unsigned char>(buf[0]))) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long double v = std::strtold(buf.c_str(), &end);
  if (*end != '\0' || std::isnan(v)) return std::nullopt;
  if (errno == ERANGE && (std::isinf(v) || v == 0)) return std::nullopt;
  return v;
}

}  // namespace

std::string HashFieldSubKey(std::string_view field) {
  std::string sub;
  sub.reserve(8 + field.size());
  PutFixed64BE(&sub, KeyHash64(field));
  sub.append(field);
  return sub;
}

// ---- HashObject ---------------------------------------------------------------------------

HashObject::HashObject(const HashObject& other) {
  index_.Reserve(other.size());
  order_.reserve(other.size());
  for (const auto& f : other.order_) Set(f->name, f->value);
}

std::unique_ptr<storage::HotObject> HashObject::Clone() const {
  return std::make_unique<HashObject>(*this);
}

const std::string* HashObject::Find(std::string_view field) const {
  const Field* f = index_.Find(field);
  return f == nullptr ? nullptr : &f->value;
}

bool HashObject::Set(std::string_view field, std::string_view value) {
  // One hash of the field and one probe whether it is new or not: HSET on a big hash is bound
  // by the table's cache misses.
  const uint64_t hash = index_.Hash(field);
  if (Field* f = index_.Find(field, hash)) {
    bytes_ -= f->value.size();
    f->value.assign(value);
    bytes_ += value.size();
    return false;
  }
  auto owned =
      std::make_unique<Field>(Field{std::string(field), std::string(value), order_.size()});
  index_.Insert(owned.get(), hash);
  order_.push_back(std::move(owned));
  bytes_ += FieldBytes(field, value);
  return true;
}

bool HashObject::Erase(std::string_view field) {
  Field* f = index_.Erase(field);
  if (f == nullptr) return false;
  bytes_ -= FieldBytes(f->name, f->value);
  const size_t pos = f->pos;
  if (order_.size() <= kOrderedFields) {
    order_.erase(order_.begin() + static_cast<ptrdiff_t>(pos));  // frees f
    for (size_t i = pos; i < order_.size(); ++i) order_[i]->pos = i;
  } else {
    order_[pos] = std::move(order_.back());  // frees f
    order_[pos]->pos = pos;
    order_.pop_back();
  }
  return true;
}

// ---- Hash ---------------------------------------------------------------------------------

StatusOr<Hash> Hash::Open(Keyspace& ks, int db, std::string_view key, bool for_write) {
  auto found = FindTyped(ks, db, key, for_write, ValueType::kHash);
  if (!found.ok()) return found.status();
  storage::HotEntry* e = *found;
  Hash h(ks, db, std::string(key), e);
  if (e != nullptr) {
    Status s = h.LoadIfSmall();
    if (!s.ok()) return s;
  }
  return h;
}

uint64_t Hash::size() const { return entry_ ? ks_->Header(entry_).size : 0; }

Status Hash::LoadIfSmall() {
  if (entry_->object || !ks_->durable() || size() > ks_->hot_collection_limit()) {
    return Status::OK();
  }
  auto it = ks_->NewSubIterator(entry_, Keyspace::SubCf::kData);
  if (!it.ok()) return it.status();
  auto obj = std::make_unique<HashObject>();
  for ((*it)->SeekToFirst(); (*it)->Valid(); (*it)->Next()) {
    std::string_view sub = (*it)->sub();
    if (sub.size() < 8) continue;
    obj->Set(sub.substr(8), (*it)->value());
  }
  Status s = (*it)->status();
  if (!s.ok()) return s;
  entry_->object = std::move(obj);
  ks_->ObjectChanged(entry_);
  return Status::OK();
}

StatusOr<std::optional<std::string>> Hash::Get(std::string_view field) {
  if (!entry_) return std::optional<std::string>();
  if (HashObject* obj = object()) {
    const std::string* value = obj->Find(field);
    if (value == nullptr) return std::optional<std::string>();
    return std::optional<std::string>(*value);
  }
  std::string value;
  Status s = ks_->GetSub(entry_, Keyspace::SubCf::kData, HashFieldSubKey(field), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return s;
  return std::optional<std::string>(std::move(value));
}

StatusOr<int64_t> Hash::Set(const std::vector<Pair>& pairs, bool only_new) {
  if (!entry_) {
    entry_ = ks_->CreateCollection(db_, key_, ValueType::kHash);
    entry_->object = std::make_unique<HashObject>();
  }
  storage::CollectionHeader header = ks_->Header(entry_);
  int64_t added = 0;
  bool changed = false;
  for (const auto& [field, value] : pairs) {
    bool is_new;
    if (HashObject* obj = object()) {
      if (only_new && obj->Find(field) != nullptr) continue;
      is_new = obj->Set(field, value);
    } else {
      std::string existing;
      Status s = ks_->GetSub(entry_, Keyspace::SubCf::kData, HashFieldSubKey(field), &existing);
      if (!s.ok() && !s.IsNotFound()) return s;
      is_new = s.IsNotFound();
      if (!is_new && only_new) continue;
    }
    // (The cache profile has no sub-keys: no key to build, but the write still counts.)
    ks_->PutSub(entry_, Keyspace::SubCf::kData,
                ks_->durable() ? HashFieldSubKey(field) : std::string(), value, is_new);
    changed = true;
    if (is_new) {
      ++added;
      ++header.size;
    }
  }
  // HSETNX on an existing field: nothing to persist (the key existed, so nothing was created).
  if (!changed) return added;
  // Past the limit a durable hash stops being held whole: commands then touch single fields.
  if (ks_->durable() && header.size > 2 * ks_->hot_collection_limit()) {
    Status dropped = ks_->DropObject(entry_);
    if (!dropped.ok()) return dropped;
  }
  ks_->ObjectChanged(entry_);
  ks_->SetHeader(entry_, header);
  return added;
}

StatusOr<int64_t> Hash::Delete(const std::vector<std::string_view>& fields) {
  if (!entry_) return int64_t{0};
  storage::CollectionHeader header = ks_->Header(entry_);
  int64_t removed = 0;
  for (std::string_view field : fields) {
    bool existed;
    if (HashObject* obj = object()) {
      existed = obj->Erase(field);
    } else {
      std::string existing;
      Status s = ks_->GetSub(entry_, Keyspace::SubCf::kData, HashFieldSubKey(field), &existing);
      if (!s.ok() && !s.IsNotFound()) return s;
      existed = s.ok();
    }
    if (!existed) continue;
    ks_->DeleteSub(entry_, Keyspace::SubCf::kData, HashFieldSubKey(field));
    ++removed;
    --header.size;
  }
  if (removed == 0) return removed;
  ks_->ObjectChanged(entry_);
  ks_->SetHeader(entry_, header);  // deletes the key when it becomes empty
  if (header.size == 0) entry_ = nullptr;
  return removed;
}

StatusOr<int64_t> Hash::IncrBy(std::string_view field, int64_t delta) {
  auto current = Get(field);
  if (!current.ok()) return current.status();
  int64_t value = 0;
  if (*current) {
    auto parsed = ParseInt64(**current);
    if (!parsed) return Status::InvalidArgument(kNotInteger);
    value = *parsed;
  }
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if ((delta < 0 && value < 0 && delta < kMin - value) ||
      (delta > 0 && value > 0 && delta > kMax - value)) {
    return Status::InvalidArgument(kOverflow);
  }
  value += delta;
  std::string text = FormatInt64(value);
  auto set = Set({{field, text}});
  if (!set.ok()) return set.status();
  return value;
}

StatusOr<std::string> Hash::IncrByFloat(std::string_view field, long double delta) {
  auto current = Get(field);
  if (!current.ok()) return current.status();
  long double value = 0;
  if (*current) {
    auto parsed = ParseStoredFloat(**current);
    if (!parsed) return Status::InvalidArgument(kNotFloat);
    value = *parsed;
  }
  value += delta;
  if (std::isnan(value) || std::isinf(value)) return Status::InvalidArgument(kNanOrInf);
  std::string text = FormatLongDoubleHuman(value);
  auto set = Set({{field, text}});
  if (!set.ok()) return set.status();
  return text;
}

Status Hash::ForEach(
    const std::function<void(std::string_view field, std::string_view value)>& fn) {
  if (!entry_) return Status::OK();
  if (HashObject* obj = object()) {
    for (size_t i = 0; i < obj->size(); ++i) {
      auto [field, value] = obj->At(i);
      fn(field, value);
    }
    return Status::OK();
  }
  auto it = ks_->NewSubIterator(entry_, Keyspace::SubCf::kData);
  if (!it.ok()) return it.status();
  for ((*it)->SeekToFirst(); (*it)->Valid(); (*it)->Next()) {
    std::string_view sub = (*it)->sub();
    if (sub.size() >= 8) fn(sub.substr(8), (*it)->value());
  }
  return (*it)->status();
}

StatusOr<std::vector<Hash::Field>> Hash::Random(uint64_t count, bool distinct) {
  std::vector<Field> out;
  if (!entry_ || count == 0) return out;
  HashObject* obj = object();
  if (obj == nullptr) return RandomFromDisk(count, distinct);
  const uint64_t n = obj->size();
  if (n == 0) return out;
  auto take = [&](size_t i) {
    auto [field, value] = obj->At(i);
    out.emplace_back(std::string(field), std::string(value));
  };
  if (!distinct) {
    out.reserve(static_cast<size_t>(std::min<uint64_t>(count, 1 << 16)));
    for (uint64_t i = 0; i < count; ++i) take(static_cast<size_t>(RandomBelow(n)));
  } else if (count >= n) {
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) take(i);
  } else if (count * 3 > n) {
    // A large share: the first `count` steps of a Fisher-Yates shuffle.
    std::vector<size_t> idx(n);
    std::iota(idx.begin(), idx.end(), size_t{0});
    for (size_t i = 0; i < count; ++i) {
      std::swap(idx[i], idx[i + RandomBelow(n - i)]);
      take(idx[i]);
    }
  } else {
    // A small share: draw and skip repeats (each draw is new with probability > 2/3).
    std::unordered_set<size_t> chosen;
    while (out.size() < count) {
      size_t i = static_cast<size_t>(RandomBelow(n));
      if (chosen.insert(i).second) take(i);
    }
  }
  return out;
}

// A hash too big to be held whole: a random field is the first one at or after a random
// 64-bit hash (wrapping around). Fields after big gaps in hash space come up more often, as
// with Redis's bucket sampling; every field can come up.
StatusOr<std::vector<Hash::Field>> Hash::RandomFromDisk(uint64_t count, bool distinct) {
  std::vector<Field> out;
  const uint64_t n = size();
  if (distinct && count >= n) {
    Status s = ForEach([&](std::string_view field, std::string_view value) {
      out.emplace_back(std::string(field), std::string(value));
    });
    if (!s.ok()) return s;
    return out;
  }
  auto made = ks_->NewSubIterator(entry_, Keyspace::SubCf::kData);
  if (!made.ok()) return made.status();
  Keyspace::SubIterator& it = **made;
  auto wrap = [&] {
    if (!it.Valid()) it.SeekToFirst();
    return it.Valid();
  };
  auto land = [&] {
    std::string start;
    PutFixed64BE(&start, Rng()());
    it.Seek(start);
    return wrap();
  };
  auto field = [&] { return it.sub().substr(std::min<size_t>(8, it.sub().size())); };
  if (!distinct) {
    out.reserve(static_cast<size_t>(std::min<uint64_t>(count, 1 << 16)));
    for (uint64_t i = 0; i < count && land(); ++i) {
      out.emplace_back(std::string(field()), std::string(it.value()));
    }
  } else {
    std::unordered_set<std::string> seen;
    const uint64_t max_draws = 4 * count + 64;
    for (uint64_t draws = 0; out.size() < count && draws < max_draws && land(); ++draws) {
      if (seen.emplace(field()).second) {
        out.emplace_back(std::string(field()), std::string(it.value()));
      }
    }
    // Unlucky draws: complete with the fields that follow the last one, in hash order.
    for (uint64_t steps = 0; out.size() < count && steps < 2 * n && it.Valid(); ++steps) {
      it.Next();
      if (!wrap()) break;
      if (seen.emplace(field()).second) {
        out.emplace_back(std::string(field()), std::string(it.value()));
      }
    }
  }
  Status s = it.status();
  if (!s.ok()) return s;
  return out;
}

StatusOr<Hash::ScanPage> Hash::Scan(uint64_t cursor, size_t count) {
  ScanPage page;
  if (!entry_) return page;
  count = std::max<size_t>(count, 1);
  if (HashObject* obj = object()) {
    const size_t n = obj->size();
    if (n <= HashObject::kOrderedFields) {
      // Small: one page with everything, as Redis does for its small encoding.
      for (size_t i = 0; i < n; ++i) {
        auto [field, value] = obj->At(i);
        page.items.emplace_back(std::string(field), std::string(value));
      }
      return page;
    }
    // Bigger: the same pages, in the same hash order, as the on-disk path. O(n) per page.
    std::vector<std::pair<uint64_t, size_t>> candidates;
    for (size_t i = 0; i < n; ++i) {
      uint64_t h = KeyHash64(obj->At(i).first);
      if (h >= cursor) candidates.emplace_back(h, i);
    }
    page.next_cursor = PickPageByHash(&candidates, count);
    for (const auto& [h, i] : candidates) {
      auto [field, value] = obj->At(i);
      page.items.emplace_back(std::string(field), std::string(value));
    }
    return page;
  }
  auto next = ScanHashedSubKeys(*ks_, entry_, cursor, count,
                                [&](std::string_view field, std::string_view value) {
                                  page.items.emplace_back(std::string(field), std::string(value));
                                  return true;
                                });
  if (!next.ok()) return next.status();
  page.next_cursor = *next;
  return page;
}

}  // namespace strata::types
