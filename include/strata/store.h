// Strata's embeddable engine: open a store with redis.conf-style options, run commands
// against it, read RESP replies, close it. The network server is one user of this API; the
// in-process tests are another.
//
//   auto store = strata::Store::Open({"--profile", "session", "--dir", "/tmp/x"});
//   if (!store.ok()) ...;
//   auto client = (*store)->NewClient();
//   std::string reply;
//   (*store)->Execute(*client, {"SET", "k", "v"}, &reply);   // reply == "+OK\r\n"
//
// Thread-compatible: one thread at a time may use a Store and its clients.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "strata/status.h"

namespace strata {

namespace engine {
class Engine;
}

class Store {
 public:
  // A client's state: selected database, protocol version (HELLO), name.
  class Client {
   public:
    ~Client();
    uint64_t id() const;

   private:
    friend class Store;
    struct Rep;
    explicit Client(std::unique_ptr<Rep> rep);
    std::unique_ptr<Rep> rep_;
  };

  // `args` are what strata-server takes after its name: an optional config file, then
  // `--directive value` pairs.
  static StatusOr<std::unique_ptr<Store>> Open(const std::vector<std::string>& args);
  ~Store();  // commits, syncs and closes

  std::unique_ptr<Client> NewClient();
  // Runs one command and appends its RESP reply to *reply. When it returns, a write is in
  // the WAL, and synced if appendfsync is always.
  void Execute(Client& client, const std::vector<std::string_view>& args, std::string* reply);
  // Runs active expiry and other periodic work once (the server does this hz times a second).
  void RunPeriodicTasks();

 private:
  explicit Store(std::unique_ptr<engine::Engine> engine);
  std::unique_ptr<engine::Engine> engine_;
};

}  // namespace strata
