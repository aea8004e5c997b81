#include "types/hash.h"

#include "common/coding.h"
#include "common/hash.h"
#include "types/type_errors.h"

namespace strata::types {
namespace {

using storage::Keyspace;
using storage::ValueType;

// What a field costs in memory beyond its bytes: the map node and the strings' headers.
constexpr size_t kFieldOverhead = 64 + 2 * sizeof(std::string);

size_t FieldBytes(std::string_view field, std::string_view value) {
  return kFieldOverhead + field.size() + value.size();
}

}  // namespace

std::string HashFieldSubKey(std::string_view field) {
  std::string sub;
  sub.reserve(8 + field.size());
  PutFixed64BE(&sub, KeyHash64(field));
  sub.append(field);
  return sub;
}

std::unique_ptr<storage::HotObject> HashObject::Clone() const {
  return std::make_unique<HashObject>(*this);
}

bool HashObject::Set(std::string_view field, std::string_view value) {
  auto [it, inserted] = fields_.try_emplace(std::string(field));
  if (!inserted) bytes_ -= FieldBytes(it->first, it->second);
  it->second.assign(value);
  bytes_ += FieldBytes(it->first, it->second);
  return inserted;
}

bool HashObject::Erase(std::string_view field) {
  auto it = fields_.find(std::string(field));
  if (it == fields_.end()) return false;
  bytes_ -= FieldBytes(it->first, it->second);
  fields_.erase(it);
  return true;
}

StatusOr<Hash> Hash::Open(Keyspace& ks, int db, std::string_view key, bool for_write) {
  auto found = for_write ? ks.Peek(db, key) : ks.Lookup(db, key);
  if (!found.ok()) return found.status();
  storage::HotEntry* e = *found;
  if (e != nullptr && e->type != ValueType::kHash) return WrongType();
  Hash h(ks, db, std::string(key), e);
  if (e != nullptr) {
    Status s = h.LoadIfSmall();
    if (!s.ok()) return s;
  }
  return h;
}

uint64_t Hash::size() const { return entry_ ? ks_->Header(entry_).size : 0; }

Status Hash::LoadIfSmall() {
  if (entry_->object || !ks_->durable() || size() > Keyspace::kHotCollectionLimit) {
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
    auto it = obj->fields().find(std::string(field));
    if (it == obj->fields().end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
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
  for (const auto& [field, value] : pairs) {
    bool is_new;
    if (HashObject* obj = object()) {
      is_new = obj->fields().find(std::string(field)) == obj->fields().end();
      if (!is_new && only_new) continue;
      obj->Set(field, value);
    } else {
      std::string existing;
      Status s = ks_->GetSub(entry_, Keyspace::SubCf::kData, HashFieldSubKey(field), &existing);
      if (!s.ok() && !s.IsNotFound()) return s;
      is_new = s.IsNotFound();
      if (!is_new && only_new) continue;
    }
    ks_->PutSub(entry_, Keyspace::SubCf::kData, HashFieldSubKey(field), value);
    if (is_new) {
      ++added;
      ++header.size;
    }
  }
  // Past the limit a durable hash stops being held whole: commands then touch single fields.
  if (ks_->durable() && header.size > 2 * Keyspace::kHotCollectionLimit) entry_->object.reset();
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

Status Hash::ForEach(
    const std::function<void(std::string_view field, std::string_view value)>& fn) {
  if (!entry_) return Status::OK();
  if (HashObject* obj = object()) {
    for (const auto& [field, value] : obj->fields()) fn(field, value);
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

StatusOr<Hash::ScanPage> Hash::Scan(uint64_t cursor, size_t count) {
  ScanPage page;
  if (!entry_) return page;
  if (HashObject* obj = object()) {
    // Held whole (small): one page with everything, as Redis does for small encodings.
    for (const auto& [field, value] : obj->fields()) page.items.emplace_back(field, value);
    return page;
  }
  auto it = ks_->NewSubIterator(entry_, Keyspace::SubCf::kData);
  if (!it.ok()) return it.status();
  std::string start;
  PutFixed64BE(&start, cursor);
  uint64_t last_hash = 0;
  for ((*it)->Seek(start); (*it)->Valid(); (*it)->Next()) {
    std::string_view sub = (*it)->sub();
    if (sub.size() < 8) continue;
    uint64_t h = DecodeFixed64BE(sub.data());
    // Stop only between two hashes, so a cursor never splits fields that share one.
    if (page.items.size() >= count && h != last_hash) {
      page.next_cursor = h;
      return page;
    }
    last_hash = h;
    page.items.emplace_back(std::string(sub.substr(8)), std::string((*it)->value()));
  }
  Status s = (*it)->status();
  if (!s.ok()) return s;
  return page;
}

}  // namespace strata::types
