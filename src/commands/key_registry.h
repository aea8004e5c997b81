// The clients that wait on keys, in one place above storage, which feeds it through
// storage::KeyObserver:
//  - blocking commands: per key, the clients blocked on it, first come first served, and the
//    keys that may serve them since the server last looked (TakeReadyKeys);
//  - WATCH: per watched key, a count of its changes (every write, deletion, expiry, eviction,
//    and FLUSHDB or SWAPDB while it exists); EXEC runs only if the count is what it was at
//    WATCH. Registrations are reference-counted.
// A key is its logical database and its name, encoded once here (RegistryKey).
//
// Threading: execution thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/key_observer.h"

namespace strata::commands {

class KeyRegistry final : public storage::KeyObserver {
 public:
  // ---- Blocking commands ----
  void AddWaiter(int db, std::string_view key, uint64_t client);
  void RemoveWaiter(int db, std::string_view key, uint64_t client);
  // The clients blocked on `key`, oldest first.
  const std::deque<uint64_t>& Waiters(int db, std::string_view key) const;
  bool HasReadyKeys() const { return !ready_.empty(); }
  // The keys reported ready since the last call, each once, in the order reported.
  std::vector<std::pair<int, std::string>> TakeReadyKeys();

  // ---- WATCH ----
  uint64_t Watch(int db, std::string_view key);  // returns the current count
  void Unwatch(int db, std::string_view key);
  uint64_t ChangeCount(int db, std::string_view key) const;

  // ---- storage::KeyObserver ----
  void KeyChanged(int db, std::string_view key) override;
  void KeyReady(int db, std::string_view key) override;
  void DatabaseFlushing(int db, const std::function<bool(std::string_view)>& exists) override;
  void DatabasesSwapping(int a, int b,
                         const std::function<bool(int, std::string_view)>& exists) override;

 private:
  // db:u16 big-endian | key bytes.
  static std::string RegistryKey(int db, std::string_view key);
  static int DbOf(std::string_view registry_key);
  static std::string_view NameOf(std::string_view registry_key) { return registry_key.substr(2); }

  struct Watched {
    uint32_t refs = 0;
    uint64_t changes = 0;
  };
  std::unordered_map<std::string, std::deque<uint64_t>> waiters_;
  std::unordered_map<std::string, Watched> watched_;
  std::vector<std::pair<int, std::string>> ready_;
};

}  // namespace strata::commands
