// Time-based retention of streams, applied in the background: entries whose ID time is older
// than the stream's retention (XRETENTION, or the server's stream-retention-ms) are trimmed
// away as XTRIM MINID would. Each cycle visits a bounded number of keys, resuming where the
// last one stopped, so a big keyspace costs a little per tick rather than a pause.
//
// Threading: execution thread, between commands (the engine's cron). The caller commits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "common/status.h"
#include "storage/keyspace.h"

namespace strata::types {

class StreamRetention {
 public:
  // Looks at about `budget` keys of one database; returns how many entries it removed.
  // `on_trimmed(db, key)` is called for each stream that lost entries (to announce it as
  // XTRIM's "xtrim" event).
  using TrimmedFn = std::function<void(int db, std::string_view key)>;
  StatusOr<uint64_t> Cycle(storage::Keyspace& ks, int64_t default_retention_ms, size_t budget,
                           const TrimmedFn& on_trimmed = {});

 private:
  int db_ = 0;
  uint64_t cursor_ = 0;
};

}  // namespace strata::types
