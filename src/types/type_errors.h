// Errors the types layer returns. They carry Redis's exact reply text as the message of an
// InvalidArgument status, so the command layer can send them unchanged.
#pragma once

#include <string_view>

#include "common/status.h"
#include "storage/keyspace.h"

namespace strata::types {

inline constexpr std::string_view kWrongTypeText =
    "WRONGTYPE Operation against a key holding the wrong kind of value";

inline Status WrongType() { return Status::InvalidArgument(kWrongTypeText); }

// The entry a command on a collection of `type` works on: nullptr if the key does not exist,
// WrongType() if it holds another type. `for_write` skips the keyspace hit/miss statistics.
inline StatusOr<storage::HotEntry*> FindTyped(storage::Keyspace& ks, int db, std::string_view key,
                                              bool for_write, storage::ValueType type) {
  auto found = for_write ? ks.Peek(db, key) : ks.Lookup(db, key);
  if (!found.ok()) return found.status();
  if (*found != nullptr && (*found)->type != type) return WrongType();
  return *found;
}

}  // namespace strata::types
