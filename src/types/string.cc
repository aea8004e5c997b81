#include "types/string.h"

#include "types/type_errors.h"

namespace strata::types {

StatusOr<StringValue> StringValue::Open(storage::Keyspace& ks, int db, std::string_view key,
                                        bool for_write) {
  auto e = FindTyped(ks, db, key, for_write, storage::ValueType::kString);
  if (!e.ok()) return e.status();
  return StringValue(ks, db, key, *e);
}

void StringValue::Set(std::string value, int64_t expire_ms) {
  entry_ = ks_->PutString(db_, key_, std::move(value), expire_ms);
}

void StringValue::Replace(std::string value) {
  if (entry_ == nullptr) return Set(std::move(value), 0);
  entry_->value = std::move(value);  // in place: the lookup already marked the key as used
  ks_->ValueChanged(entry_);
}

void StringValue::Append(std::string_view tail) {
  if (entry_ == nullptr) return Set(std::string(tail), 0);
  entry_->value.append(tail);
  ks_->ValueChanged(entry_);
}

void StringValue::Overwrite(size_t offset, std::string_view patch) {
  if (entry_ == nullptr) {
    std::string value(offset, '\0');
    value.append(patch);
    return Set(std::move(value), 0);
  }
  std::string& v = entry_->value;
  if (v.size() < offset + patch.size()) v.resize(offset + patch.size(), '\0');
  v.replace(offset, patch.size(), patch);
  ks_->ValueChanged(entry_);
}

}  // namespace strata::types
