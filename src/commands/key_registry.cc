#include "commands/key_registry.h"

#include <algorithm>

#include "common/coding.h"

namespace strata::commands {

std::string KeyRegistry::RegistryKey(int db, std::string_view key) {
  std::string k;
  k.reserve(2 + key.size());
  PutFixed16BE(&k, static_cast<uint16_t>(db));
  k.append(key);
  return k;
}

int KeyRegistry::DbOf(std::string_view registry_key) {
  return (static_cast<uint8_t>(registry_key[0]) << 8) | static_cast<uint8_t>(registry_key[1]);
}

void KeyRegistry::AddWaiter(int db, std::string_view key, uint64_t client) {
  waiters_[RegistryKey(db, key)].push_back(client);
  wants_ready_ = true;
}

void KeyRegistry::RemoveWaiter(int db, std::string_view key, uint64_t client) {
  auto it = waiters_.find(RegistryKey(db, key));
  if (it == waiters_.end()) return;
  auto& queue = it->second;
  auto at = std::find(queue.begin(), queue.end(), client);
  if (at != queue.end()) queue.erase(at);
  if (queue.empty()) waiters_.erase(it);
  wants_ready_ = !waiters_.empty();
}

const std::deque<uint64_t>& KeyRegistry::Waiters(int db, std::string_view key) const {
  static const std::deque<uint64_t> kNone;
  auto it = waiters_.find(RegistryKey(db, key));
  return it == waiters_.end() ? kNone : it->second;
}

std::vector<std::pair<int, std::string>> KeyRegistry::TakeReadyKeys() {
  std::vector<std::pair<int, std::string>> out;
  out.swap(ready_);
  return out;
}

void KeyRegistry::KeyReady(int db, std::string_view key) {
  if (!waiters_.contains(RegistryKey(db, key))) return;
  for (const auto& [d, k] : ready_) {
    if (d == db && k == key) return;
  }
  ready_.emplace_back(db, std::string(key));
}

uint64_t KeyRegistry::Watch(int db, std::string_view key) {
  Watched& w = watched_[RegistryKey(db, key)];
  ++w.refs;
  wants_changes_ = true;
  return w.changes;
}

void KeyRegistry::Unwatch(int db, std::string_view key) {
  auto it = watched_.find(RegistryKey(db, key));
  if (it != watched_.end() && --it->second.refs == 0) watched_.erase(it);
  wants_changes_ = !watched_.empty();
}

uint64_t KeyRegistry::ChangeCount(int db, std::string_view key) const {
  auto it = watched_.find(RegistryKey(db, key));
  return it == watched_.end() ? 0 : it->second.changes;
}

void KeyRegistry::KeyChanged(int db, std::string_view key) {
  if (watched_.empty()) return;
  auto it = watched_.find(RegistryKey(db, key));
  if (it != watched_.end()) ++it->second.changes;
}

void KeyRegistry::DatabaseFlushing(int db, const std::function<bool(std::string_view)>& exists) {
  for (auto& [rk, w] : watched_) {
    if (DbOf(rk) == db && exists(NameOf(rk))) ++w.changes;
  }
  // Every waited-on key of the database is gone: its waiters decide what that means to them
  // (a blocked XREADGROUP is told its stream no longer exists; a blocked pop waits on).
  std::vector<std::string> gone;
  for (const auto& [rk, queue] : waiters_) {
    if (DbOf(rk) == db) gone.emplace_back(NameOf(rk));
  }
  for (const std::string& key : gone) KeyReady(db, key);
}

void KeyRegistry::DatabasesSwapping(int a, int b,
                                    const std::function<bool(int, std::string_view)>& exists) {
  // A watched key that exists in either database sees its value change (or vanish).
  for (auto& [rk, w] : watched_) {
    const int db = DbOf(rk);
    if (db != a && db != b) continue;
    if (exists(a, NameOf(rk)) || exists(b, NameOf(rk))) ++w.changes;
  }
}

}  // namespace strata::commands
