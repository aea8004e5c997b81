// Strings, as commands read and change them.
//
// A StringValue is a handle for one command (it holds a HotEntry pointer and a view of the key,
// which must outlive it: the command's arguments do), like the handles of the other types. Every
// change goes through it, and it persists each change itself (the keyspace stages the new value
// into the open batch), so no command can change a value and forget to write it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/keyspace.h"

namespace strata::types {

class StringValue {
 public:
  // The string at `key` (absent if there is none); WrongType() if the key holds another type.
  // `for_write` skips the keyspace hit/miss statistics, as Redis's lookupKeyWrite.
  static StatusOr<StringValue> Open(storage::Keyspace& ks, int db, std::string_view key,
                                    bool for_write);

  // A handle that only writes: SET and MSET replace whatever `key` holds, of any type.
  static StringValue Overwriting(storage::Keyspace& ks, int db, std::string_view key) {
    return StringValue(ks, db, key, nullptr);
  }

  bool exists() const { return entry_ != nullptr; }
  // REQUIRES: exists().
  std::string_view value() const { return entry_->value; }
  int64_t expire_ms() const { return entry_ ? entry_->expire_ms : 0; }
  size_t size() const { return entry_ ? entry_->value.size() : 0; }

  // Replaces the value, or creates the key, with `expire_ms` as its TTL (0: none).
  void Set(std::string value, int64_t expire_ms);
  // Replaces the value, keeping the TTL (or creating the key without one).
  void Replace(std::string value);
  // APPEND: adds `tail` at the end, creating the key if needed.
  void Append(std::string_view tail);
  // SETRANGE: writes `patch` at `offset`, padding with zero bytes; creates the key if needed.
  // REQUIRES: !patch.empty().
  void Overwrite(size_t offset, std::string_view patch);
  // Sets or clears (0) the TTL. REQUIRES: exists().
  void SetExpire(int64_t expire_ms) { ks_->SetExpire(entry_, expire_ms); }
  // Deletes the key. REQUIRES: exists(); the handle is absent afterwards.
  void Delete() {
    ks_->Delete(entry_);
    entry_ = nullptr;
  }

 private:
  StringValue(storage::Keyspace& ks, int db, std::string_view key, storage::HotEntry* e)
      : ks_(&ks), db_(db), key_(key), entry_(e) {}

  storage::Keyspace* ks_;
  int db_;
  std::string_view key_;
  storage::HotEntry* entry_;
};

}  // namespace strata::types
