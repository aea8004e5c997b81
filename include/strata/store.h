// Strata's embeddable engine: open a store with redis.conf-style options, run commands against
// it, read the replies as values or as RESP bytes, close it. The network server is one user of
// the engine below this API; programs that link Strata in are another.
//
//   auto store = strata::Store::Open({"--profile", "session", "--dir", "/tmp/x"});
//   if (!store.ok()) ...;
//   auto client = (*store)->NewClient();
//   strata::Reply r = (*store)->Run(*client, {"SET", "k", "v"});  // kSimpleString "OK"
//
// What every command does in-process (nothing waits for another client, and every call
// returns exactly one reply):
//  - A write is in the redo log when Run/Execute returns (and synced under appendfsync
//    always): closing the store, or the process dying, keeps it in the durable profiles.
//  - A blocking command (BLPOP, BLMOVE, BZPOPMIN, XREAD BLOCK, XREADGROUP BLOCK, ...) never
//    blocks. If it can be served at once it answers as over the network; otherwise it answers
//    what its timeout would (a null or null array), as Redis does inside MULTI.
//  - Pub/sub, MONITOR and CLIENT TRACKING messages sent to a client are kept for it until
//    TakeMessages reads them. SUBSCRIBE and friends reply with their confirmations.
//  - A command held back by CLIENT PAUSE waits for the pause to end, then runs.
//  - CLIENT LIST/INFO/KILL see the store's clients; a client killed by CLIENT KILL answers
//    every later command with an error. SHUTDOWN answers an error: close the Store instead.
//
// Thread-compatible: one thread at a time may use a Store and its clients. Clients must be
// destroyed before their Store.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "strata/reply.h"
#include "strata/status.h"

namespace strata {

namespace engine {
class Engine;
}
class EmbeddedHost;

class Store {
 public:
  // A client's state: selected database, protocol version (HELLO), name, subscriptions.
  class Client {
   public:
    ~Client();
    uint64_t id() const;

   private:
    friend class Store;
    friend class EmbeddedHost;
    struct Rep;
    explicit Client(std::unique_ptr<Rep> rep);
    std::unique_ptr<Rep> rep_;
  };

  // `args` are what strata-server takes after its name: an optional config file, then
  // `--directive value` pairs.
  static StatusOr<std::unique_ptr<Store>> Open(const std::vector<std::string>& args);
  ~Store();  // commits, syncs and closes

  std::unique_ptr<Client> NewClient();
  // Runs one command and returns its reply.
  Reply Run(Client& client, const std::vector<std::string_view>& args);
  // Runs one command and appends its reply, as RESP bytes in the client's protocol, to *reply.
  void Execute(Client& client, const std::vector<std::string_view>& args, std::string* reply);
  // The messages sent to `client` since the last call (pub/sub, MONITOR, invalidations), in
  // order: RESP2 arrays, or RESP3 pushes after HELLO 3.
  std::vector<Reply> TakeMessages(Client& client);
  // Runs active expiry and other periodic work once (the server does this hz times a second).
  void RunPeriodicTasks();

 private:
  Store(std::unique_ptr<engine::Engine> engine, std::unique_ptr<EmbeddedHost> host);
  void ExecuteOnce(Client& client, const std::vector<std::string_view>& args, std::string* reply);
  std::unique_ptr<EmbeddedHost> host_;
  std::unique_ptr<engine::Engine> engine_;
};

// Parses RESP2/RESP3 bytes holding whole replies into values. Fails on malformed or
// incomplete input.
StatusOr<std::vector<Reply>> ParseReplies(std::string_view resp);

}  // namespace strata
