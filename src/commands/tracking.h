// CLIENT TRACKING: server-assisted client-side caching, as Redis 7.0 does it.
//
// Default mode: the keys a tracking client reads (read-only commands) are remembered; the
// first change to such a key afterwards, by anyone, sends that client one invalidation
// ("invalidate" [key]) and forgets the pair. BCAST mode remembers nothing: every change to a
// key under one of the client's prefixes ("" = all) is announced. OPTIN tracks only the
// command after CLIENT CACHING YES, OPTOUT all but the one after CLIENT CACHING NO; NOLOOP
// leaves out the client's own changes. A RESP3 client gets a push; with REDIRECT the message
// goes to another client instead (a push in RESP3, or a message on __redis__:invalidate to a
// RESP2 client subscribed to it). FLUSHDB/FLUSHALL invalidate everything (a null key list).
// Key names are tracked across databases, as in Redis.
//
// A change made by the invalidated client itself is told after that command's reply (as Redis
// 7.0 does): Dispatch calls FlushOwn() once the reply is written.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace strata::commands {

struct Session;
struct ServerState;
class Host;

class Tracking {
 public:
  struct Mode {
    bool bcast = false;
    bool optin = false;
    bool optout = false;
    bool noloop = false;
    uint64_t redirect = 0;  // 0: to the client itself
    std::vector<std::string> prefixes;
  };

  // CLIENT TRACKING ON (the caller validated the options; a BCAST client that turns it on
  // again keeps its prefixes and adds these) / OFF.
  void Enable(Session& s, Mode mode);
  void Disable(Session& s);
  bool tracking(uint64_t client) const { return clients_.count(client) != 0; }
  const Mode* ModeOf(uint64_t client) const;
  bool redirect_broken(uint64_t client) const;

  // After a read-only command of a tracking client in default mode: remember its keys. Past
  // `max_keys` remembered keys (0: no limit), others are forgotten with an invalidation to
  // their readers, so the table stays bounded even for keys that are never written (and for
  // clients gone since: their entries go when their keys do).
  void Remember(ServerState& server, uint64_t client, const std::vector<std::string_view>& keys,
                size_t max_keys);
  // A key changed (by `writer`, 0 for the server itself): announce it to whoever must hear.
  void Invalidate(ServerState& server, std::string_view key, uint64_t writer);
  // FLUSHDB, FLUSHALL: every tracking client forgets everything.
  void InvalidateAll(ServerState& server);
  // Sends what the client changed itself during its last command (after its reply).
  void FlushOwn(ServerState& server, uint64_t client);

  size_t clients() const { return clients_.size(); }
  size_t keys() const { return keys_.size(); }
  size_t items() const { return items_; }
  size_t prefixes() const { return prefixes_.size(); }

 private:
  struct Client {
    Mode mode;
    bool broken = false;           // its redirect target is gone
    std::vector<std::string> own;  // invalidations of its own changes, sent after its reply
  };
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  // key -> the clients that read it; looked up by view, as every write asks.
  using KeyTable = std::unordered_map<std::string, std::vector<uint64_t>, KeyHash, std::equal_to<>>;

  // Drops a remembered key and tells its readers (`writer`'s own change after its reply).
  void ForgetKey(ServerState& server, KeyTable::iterator it, uint64_t writer);
  // Tells one client that `key` changed, or queues it for after its reply if it is `writer`.
  void Tell(ServerState& server, uint64_t client, const std::string& key, uint64_t writer);
  // Sends one invalidation (`key` nullptr: all keys) to `client`, through its redirect.
  void Send(ServerState& server, uint64_t client, Client& c, const std::string* key);

  std::unordered_map<uint64_t, Client> clients_;
  KeyTable keys_;
  size_t items_ = 0;                                       // (key, client) pairs
  std::map<std::string, std::vector<uint64_t>> prefixes_;  // BCAST prefix -> clients
};

}  // namespace strata::commands
